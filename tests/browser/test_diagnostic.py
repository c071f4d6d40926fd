"""A demo-like student (grade 5; the demo curriculum: CCSS fractions and ratios, grades 3–6) takes the
placement diagnostic in the browser, closes the tab half-way and resumes on the same question, finishes,
and lands on a path that starts in a sensible place; their teacher then sees the placement. No serious
WCAG violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.assessments.bank import instance
from cairn.assessments.models import Administration, Diagnostic, Response
from cairn.curriculum.demo import seed_demo_curriculum
from cairn.curriculum.models import Competency, Item, Prerequisite
from cairn.curriculum.naming import student_words
from cairn.engine import items as item_engine
from cairn.learning.models import Progress
from tests.browser.accessibility import assert_accessible
from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The simulated student knows what an item of difficulty below this tests (logit scale of the templates'
# author ratings: grade 3 items sit near -1.5, grade 6 items up to 0.9).
ABILITY = 0.45


def _answer_open_question(page: Any, sitting: Administration) -> bool:
    """Answer the question on the page as the simulated student would; True if it was answered right."""
    response = Response.objects.select_related("item").get(administration=sitting, answered_at__isnull=True)
    inst = instance(response.item, response.seed)
    right = sitting.bank["b"][response.bank_index] < ABILITY
    if isinstance(inst.spec, item_engine.ChoiceSpec):
        correct = sorted(inst.spec.correct)[0]
        pick = correct if right else next(c.id for c in inst.spec.choices if c.id != correct)
        text = next(c.text for c in inst.spec.choices if c.id == pick)
        page.get_by_role("radio", name=text, exact=True).check()
    else:
        page.get_by_label("Your answer").fill(inst.answer_text if right else "999")
    page.get_by_role("button", name="Submit answer").click()
    return right


def test_student_takes_the_diagnostic_resumes_and_lands_on_a_sensible_path(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    seed_demo_curriculum()
    Diagnostic.objects.update(active=False)
    diagnostic, _ = Diagnostic.objects.update_or_create(
        slug="placement", defaults={"title": "Where am I? Placement diagnostic", "active": True}
    )
    page = browser_page
    login(page, live_server.url, world.student.username)
    expect(page).to_have_url(f"{live_server.url}/student/")
    page.screenshot(path=str(artifacts_dir / "diagnostic_student_home.png"), full_page=True)
    page.get_by_role("link", name="Take the diagnostic").click()
    expect(page.get_by_role("heading", name=diagnostic.title, level=2)).to_be_visible()
    assert_accessible(page, "diagnostic start page")
    page.get_by_role("button", name="Start the diagnostic").click()
    expect(page.get_by_text("Question 1 · at most 20")).to_be_visible()
    assert_accessible(page, "diagnostic question")
    page.screenshot(path=str(artifacts_dir / "diagnostic_question.png"), full_page=True)

    sitting = Administration.objects.get(student=world.student)
    page.evaluate("window.__same_page = true")
    for n in range(1, 5):
        _answer_open_question(page, sitting)
        expect(page.get_by_text(f"Question {n + 1} · at most 20")).to_be_visible()
    assert page.evaluate("window.__same_page") is True  # htmx swapped each question in
    stem = page.locator("#stem").inner_text()

    # The tab closes; the student comes back from the home page and is on the same question.
    context = page.context
    page.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/student/")
    page.get_by_role("link", name="Continue the diagnostic").click()
    expect(page.get_by_text("You have answered 4 questions so far.")).to_be_visible()
    page.get_by_role("button", name="Continue where I stopped").click()
    expect(page.get_by_text("Question 5 · at most 20")).to_be_visible()
    assert page.locator("#stem").inner_text() == stem

    done = page.get_by_role("heading", name="Your diagnostic is done", level=1)
    number = 5
    while True:
        _answer_open_question(page, sitting)
        # Wait for the server's answer before reading the database (SQLite's test database is shared).
        expect(page.get_by_text(f"Question {number + 1} · at most 20").or_(done)).to_be_visible()
        if done.is_visible():
            break
        number += 1
    sitting.refresh_from_db()
    assert sitting.status == Administration.Status.FINISHED
    assert sitting.answered == number
    assert_accessible(page, "diagnostic result")
    page.screenshot(path=str(artifacts_dir / "diagnostic_result.png"), full_page=True)

    # A sensible placement: early standards presumed mastered, never past a gap, the next ones ready,
    # what was presumed is easier than what is ready, and nothing the student got wrong is presumed.
    placement = sitting.placement
    mastered = {int(k) for k in placement["mastered"]}
    ready = {int(k) for k in placement["ready"]}
    codes = placement["codes"]
    difficulty = placement["difficulty"]
    assert mastered
    assert ready
    assert not mastered & ready
    assert any(codes[str(k)].startswith("3.") for k in mastered)
    covered = {int(k) for k in codes}
    prerequisites: dict[int, set[int]] = {}
    for pre, comp in Prerequisite.objects.filter(
        competency_id__in=covered, prerequisite_id__in=covered
    ).values_list("prerequisite_id", "competency_id"):
        prerequisites.setdefault(comp, set()).add(pre)
    assert all(prerequisites.get(k, set()) <= mastered for k in mastered | ready)
    mean = lambda keys: sum(difficulty[str(k)] for k in keys) / len(keys)  # noqa: E731
    assert mean(mastered) < mean(ready)
    wrong = Response.objects.filter(administration=sitting, correct=False).values_list("item_id", flat=True)
    missed = {
        c for item_id in wrong for c in Item.objects.get(pk=item_id).competencies.values_list("pk", flat=True)
    }
    assert not mastered & missed

    page.get_by_role("link", name="Go to my path").click()
    expect(page.get_by_role("heading", name="My path", level=1)).to_be_visible()
    table = page.get_by_role("table")
    # The student reads each competency by its "I can" words, never its code.
    words = {c.pk: student_words(c) for c in Competency.objects.filter(pk__in=mastered | ready)}
    for k in mastered:
        expect(table.get_by_role("row", name=words[k], exact=False).first).to_contain_text("Got it")
    for k in ready:
        expect(table.get_by_role("row", name=words[k], exact=False).first).to_contain_text("Ready")
    page.screenshot(path=str(artifacts_dir / "diagnostic_path.png"), full_page=True)
    seeded = Progress.objects.filter(student=world.student, mastered_by="diagnostic")
    assert {p.competency_id for p in seeded} == mastered
    expect(page.get_by_role("link", name="Take the diagnostic")).to_have_count(0)

    # The teacher sees the placement for the section.
    teacher_page = context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(teacher_page, live_server.url, world.teacher.username)
    teacher_page.goto(f"{live_server.url}/diagnostic/")
    teacher_page.get_by_role("link", name=world.section.name).click()
    expect(teacher_page.get_by_role("heading", name=f"Placements: {world.section.name}")).to_be_visible()
    row = teacher_page.get_by_role("row", name=world.student.display_name)
    expect(row).to_contain_text(f"{sitting.theta:.2f} ± {sitting.se:.2f}")
    expect(teacher_page.get_by_role("row", name=world.classmate.display_name)).to_contain_text("Not yet")
    assert_accessible(teacher_page, "section placements")
    teacher_page.screenshot(path=str(artifacts_dir / "diagnostic_section.png"), full_page=True)
    teacher_page.context.close()
