"""A district admin uploads the SIS's OneRoster export, reads the check (a dry run) and confirms; the new
teacher it names chooses a password from the invitation and finds only their class and its course."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from cairn.accounts.models import Course, CourseMappingRule, Section
from tests.accounts.oneroster_packages import roster_11, write_package
from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "granite-lantern-orchard"


def test_admin_imports_a_roster_and_the_new_teacher_sees_only_their_course(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    math = Course.objects.create(district=world.district, name="Grade 4 Math", code="MATH-4", subject="Math")
    Course.objects.create(district=world.district, name="Grade 4 Science", code="SCI-4", subject="Science")
    CourseMappingRule.objects.create(
        district=world.district, subject="Math", grade_low=4, grade_high=4, course=math
    )
    data = roster_11()
    data["orgs"][1]["identifier"] = "LAKE-N1"
    data["enrollments"] = [e for e in data["enrollments"] if e["sourcedId"] != "e6"]  # Tess teaches math only
    package = write_package(tmp_path / "lakeside-roster.zip", data)

    page = browser_page
    login(page, live_server.url, world.district_admin.username)
    page.goto(f"{live_server.url}/district/")
    page.get_by_role("link", name=f"Rosters of {world.district.name}").click()
    page.get_by_label("OneRoster CSV package (zip)").set_input_files(str(package))
    page.get_by_role("button", name="Check the roster").click()

    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    people = page.get_by_role("row", name=re.compile("^People"))
    expect(people.get_by_role("cell").first).to_have_text("5")  # five new people
    expect(page.get_by_text("Art 4 (k2")).to_be_visible()  # listed: no course rule matches it
    assert not Section.objects.filter(sourced_id="k1").exists()  # a check writes nothing
    page.screenshot(path=str(artifacts_dir / "roster_check.png"), full_page=True)

    page.get_by_role("button", name="Import this roster").click()
    expect(page.get_by_role("heading", name="What the import did")).to_be_visible()
    expect(page.locator("#roster-progress")).to_contain_text("Imported")
    page.get_by_role("link", name=f"Rosters of {world.district.name}").click()
    expect(page.get_by_role("link", name="lakeside-roster.zip")).to_have_count(1)  # in the history
    assert Section.objects.get(sourced_id="k1").course == math

    invitation = next(m for m in mail.outbox if m.to == ["tess@lakeside.test"])
    link = re.search(r"https?://\S+", invitation.body)
    assert link is not None
    page.context.clear_cookies()
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link.group(0)))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label(re.compile("confirm", re.I)).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    login(page, live_server.url, "u-t1", NEW_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/teacher/")
    expect(page.get_by_role("link", name="Math 4A")).to_be_visible()
    expect(page.get_by_text("Art 4")).to_have_count(0)
    page.get_by_role("link", name="Math 4A").click()
    page.get_by_role("link", name="What this class studies").click()
    expect(page.get_by_text("Grade 4 Math").first).to_be_visible()
    expect(page.get_by_text("Grade 4 Science")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "roster_new_teacher.png"), full_page=True)
