"""A teacher walks from Today to a small group to an override, sees the class view update live and prints a
station plan on one page; the student then sees "set by your teacher". Screenshots in test-artifacts/, and
no serious or critical WCAG 2.1 AA violations on any page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cairn.curriculum.naming import student_words
from cairn.insights.models import SmallGroup
from cairn.learning.models import PathOverride, Progress
from tests.browser.accessibility import assert_accessible
from tests.conftest import login
from tests.insights.conftest import Classroom, classroom, progress  # noqa: F401  (the fixture)
from tests.learning.conftest import unit  # noqa: F401  (the fixture classroom builds on)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_goes_from_today_to_a_group_to_an_override(
    classroom: Classroom,  # noqa: F811
    browser_page: Any,
    live_server: Any,
    artifacts_dir: Path,
) -> None:
    from playwright.sync_api import expect

    w, u, s = classroom.world, classroom.unit, classroom.students
    progress(s[0], u.a, mastery=0.25, attempts=14, spinning=True)
    progress(s[1], u.a, mastery=0.3, attempts=11, spinning=True)
    for student in s[2:]:
        progress(student, u.d, mastery=0.45)

    page = browser_page
    login(page, live_server.url, w.teacher.username)
    page.get_by_role("link", name="Today", exact=True).click()

    # Today: a short list, stuck students first, each with a why and one step.
    expect(page.get_by_role("heading", name=f"Today in {w.section.name}", level=1)).to_be_visible()
    actions = page.get_by_role("list", name="Actions for today").get_by_role("listitem")
    assert 1 <= actions.count() <= 5
    first = actions.first
    expect(first).to_contain_text("2 stuck on 4.NF.A.1")
    expect(first).to_contain_text("14, 11 tries on 4.NF.A.1 without getting closer to mastery")
    expect(first).to_contain_text("Fraction strips at the teacher table")
    assert_accessible(page, "Today")
    page.screenshot(path=str(artifacts_dir / "teacher_today.png"), full_page=True)

    # One click: the two become a small group with the teacher-led activity.
    first.get_by_role("button", name="Pull the 2 as a group").click()
    expect(page.get_by_role("heading", name="4.NF.A.1 mini-lesson", level=1)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Saved")
    members = page.get_by_role("table", name="Members")
    for student in s[:2]:
        expect(members).to_contain_text(student.display_name)
    expect(page.get_by_text("Teacher-led activity: Fraction strips at the teacher table")).to_be_visible()
    assert_accessible(page, "group")
    page.screenshot(path=str(artifacts_dir / "teacher_group.png"), full_page=True)
    group = SmallGroup.objects.get()
    assert {x.pk for x in group.students.all()} == {s[0].pk, s[1].pk}

    # An override for the whole group, with a reason: after the mini-lesson, they move on to D.
    form = page.locator("form.override-form")
    form.get_by_label("What").select_option("assign")
    form.get_by_label("Competency").select_option(str(u.d.pk))
    form.get_by_label("Reason (kept in the log)").fill("After the fraction-strips mini-lesson")
    form.get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text("Assign 4.MD.A.1: 2 students changed.")
    page.screenshot(path=str(artifacts_dir / "teacher_override.png"), full_page=True)
    assert set(PathOverride.objects.filter(active=True).values_list("student_id", "action")) == {
        (s[0].pk, "assign"),
        (s[1].pk, "assign"),
    }
    page.get_by_role("link", name="Overrides").click()
    expect(page.get_by_role("table")).to_contain_text("After the fraction-strips mini-lesson")
    assert_accessible(page, "override log")

    # The class view: states with confidence, and a cell that changes when a student answers.
    page.get_by_role("link", name="Class view").click()
    grid = page.locator("#class-grid")
    row = grid.get_by_role("row").filter(has=page.get_by_role("link", name=s[5].display_name))
    expect(row).to_contain_text("…45")
    assert_accessible(page, "class view")
    page.screenshot(path=str(artifacts_dir / "teacher_class_view.png"), full_page=True)
    progress(s[5], u.d, mastery=0.82, attempts=9)  # as if the student just answered
    expect(
        grid.get_by_role("row").filter(has=page.get_by_role("link", name=s[5].display_name))
    ).to_contain_text("…82", timeout=25_000)

    # A drill-down into one student.
    grid.get_by_role("link", name=s[0].display_name).click()
    expect(page.get_by_role("heading", name=s[0].display_name, level=1)).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Why / notes")).to_contain_text(
        "Assigned by your teacher"
    )
    assert_accessible(page, "student drill-down")
    page.screenshot(path=str(artifacts_dir / "teacher_student.png"), full_page=True)

    # A station rotation that prints on one page.
    page.get_by_role("link", name="Stations").click()
    page.get_by_role("button", name="Plan the rotation").click()
    expect(page.get_by_role("table", name=re.compile("Who is where"))).to_be_visible()
    assert_accessible(page, "station plan")
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "teacher_station_plan_print.png"), full_page=True)
    pdf = page.pdf(format="Letter", landscape=True, print_background=True)
    (artifacts_dir / "teacher_station_plan.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")

    # The student sees the change, marked as the teacher's.
    page.get_by_role("button", name="Log out").click()
    login(page, live_server.url, s[0].username)
    page.goto(f"{live_server.url}/learn/")
    named = student_words(u.d)  # students read words, never the code
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=named, exact=True))
    expect(row).to_contain_text("Assigned by your teacher")
    expect(row).to_contain_text("set by your teacher")
    page.screenshot(path=str(artifacts_dir / "student_path_set_by_teacher.png"), full_page=True)
    assert Progress.objects.filter(student=s[0], competency=u.a, spinning=True).exists()
