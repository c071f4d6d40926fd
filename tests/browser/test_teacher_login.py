"""A teacher logs in through the real form and finds their own classes, and only theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_sees_own_sections_and_their_students(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.teacher.username)

    expect(page).to_have_url(f"{live_server.url}/teacher/")
    expect(page.get_by_role("heading", name="My classes", level=1)).to_be_visible()
    sections = page.get_by_role("list", name="My sections").get_by_role("listitem")
    expect(sections).to_have_count(1)
    expect(sections.first).to_contain_text(world.section.name)
    expect(sections.first).to_contain_text(world.school.name)
    for other in (world.sister_section, world.far_section):
        expect(page.get_by_text(other.name)).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "teacher_home.png"), full_page=True)

    page.get_by_role("link", name=world.section.name).click()
    expect(page).to_have_url(f"{live_server.url}/sections/{world.section.pk}/")
    expect(page.get_by_role("heading", name=world.section.name, level=1)).to_be_visible()
    # The roster lists current students by surname.
    roster = page.get_by_role("table").get_by_role("link")
    expect(roster).to_have_text([world.classmate.display_name, world.student.display_name])
    # Only current enrolments: a student who left last month and other classes' students are not listed.
    for absent in (world.former_student, world.schoolmate, world.stranger):
        expect(page.get_by_text(absent.display_name)).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "teacher_section.png"), full_page=True)
