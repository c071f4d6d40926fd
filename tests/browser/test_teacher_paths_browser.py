"""A teacher reads their own practices on a phone, chooses what to work on and opts in to sharing; their
principal reads where the school's teachers need support. No sideways scrolling, no serious or critical axe
violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.leaders import services
from cairn.leaders.models import PathSharing, PracticeFocus
from tests.browser.accessibility import axe_violations
from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_teacher_chooses_a_practice_and_the_principal_reads_support(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    services.save_definition(
        district=world.district,
        author=world.district_admin,
        pillars={"personal_paths": {"teachers": "Teachers group from the class view."}},
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server.url, world.teacher.username)
    page.goto(f"{live_server.url}/leaders/me/path/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts_dir / "teacher_path_phone.png"), full_page=True)
    page.get_by_role("button", name="Work on “I can tier a task”").click()
    page.wait_for_url("**/leaders/me/path/")
    assert PracticeFocus.objects.get(teacher=world.teacher).competency.code == "TP.4"
    page.get_by_label("Also share my path with my district's coaches and admins").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/leaders/me/path/")
    assert PathSharing.objects.get(teacher=world.teacher).beyond_principal
    page.context.clear_cookies()
    login(page, live_server.url, world.leader.username)
    page.goto(f"{live_server.url}/leaders/schools/{world.school.pk}/support/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    assert world.teacher.get_full_name() in page.content()
