"""A student logs in, finds their path, practises with feedback that updates in place, chooses an activity
from the board and sets a weekly goal — with keyboard-reachable controls and no serious WCAG violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.learning.models import ActivityChoice, Attempt, Progress
from tests.browser.accessibility import assert_accessible
from tests.conftest import World, login
from tests.learning.conftest import Unit, unit  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_practises_sees_mastery_change_chooses_and_sets_a_goal(
    world: World,
    unit: Unit,  # noqa: F811
    browser_page: Any,
    live_server: Any,
    artifacts_dir: Path,
) -> None:
    from playwright.sync_api import expect

    from cairn.curriculum.models import Competency

    Competency.objects.filter(pk=unit.a.pk).update(student_statement="I can split 8 in half.")
    Competency.objects.filter(pk=unit.b.pk).update(student_statement="I can add fractions.")
    page = browser_page
    login(page, live_server.url, world.student.username)
    page.get_by_role("link", name="My path").first.click()
    expect(page.get_by_role("heading", name="My path", level=1)).to_be_visible()
    rows = page.get_by_role("table")
    locked_row = rows.get_by_role("row").filter(
        has=page.get_by_role("link", name="I can add fractions.", exact=True)
    )
    expect(locked_row).to_contain_text("Locked")
    expect(locked_row).to_contain_text("Opens when you can split 8 in half.")  # no codes for students
    expect(page.get_by_role("group", name="Map of what you can learn")).to_be_visible()
    assert_accessible(page, "my path")
    page.screenshot(path=str(artifacts_dir / "student_path.png"), full_page=True)

    # Practice: a right answer, by keyboard only, updates mastery in place (no page load).
    rows.get_by_role("link", name="I can split 8 in half.", exact=True).click()
    expect(page.get_by_role("heading", name="What is half of 8?")).to_be_visible()
    assert_accessible(page, "practice")
    page.evaluate("window.__same_page = true")
    page.get_by_label("Your answer").fill("4")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Right!")
    assert page.evaluate("window.__same_page") is True  # htmx swapped the feedback in
    expect(page.locator("#mastery .change-up")).to_contain_text("growing")  # an arrow, not a red bar
    page.screenshot(path=str(artifacts_dir / "student_feedback_right.png"), full_page=True)

    # A miss: a second try with a hint on request, then the worked solution.
    page.get_by_role("link", name="Next question").click()
    page.get_by_label("Your answer").fill("5")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("status")).to_contain_text("Have another go")
    page.get_by_role("button", name="Show a hint").click()
    expect(page.get_by_text("Hint: Split 8 into two equal parts.")).to_be_visible()
    page.get_by_label("Your answer").fill("6")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("list", name="Worked solution")).to_contain_text("8 ÷ 2 = 4.")
    assert_accessible(page, "feedback with a worked solution")
    page.screenshot(path=str(artifacts_dir / "student_feedback_solution.png"), full_page=True)
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.attempts == 3
    assert Attempt.objects.filter(student=world.student).count() == 3

    # The choice board: pick the video; the choice is recorded with what was offered.
    page.get_by_role("link", name="My path").first.click()
    board = page.get_by_role("region", name="Choose what's next")
    expect(board.get_by_role("listitem")).not_to_have_count(0)
    board.get_by_role("button", name="Start: Fractions on a number line").click()
    expect(page.get_by_role("heading", name="Fractions on a number line", level=1)).to_be_visible()
    choice = ActivityChoice.objects.get(student=world.student)
    assert choice.chosen_kind == "video"
    assert len(choice.offered) >= 2
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("is done")).to_be_visible()

    # A weekly goal, with a suggestion, then pace on the path.
    page.get_by_role("link", name="Set my goal").click()
    expect(page.get_by_text("Suggested:")).to_be_visible()
    assert_accessible(page, "goals")
    page.get_by_label("Competencies to master this week").fill("2")
    page.get_by_label("Minutes of practice this week").fill("60")
    page.get_by_role("button", name="Save my goal").click()
    expect(page.get_by_role("heading", name="My path", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="This week")).to_contain_text("Goal: master 2")
    page.screenshot(path=str(artifacts_dir / "student_goal.png"), full_page=True)
