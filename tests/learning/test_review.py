"""Spaced review of mastered competencies: due reviews reach the board; a lapse reopens the competency."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from cairn.learning.models import Alert, Progress, ServedItem
from cairn.learning.selectors import board
from cairn.learning.services import practice, questions
from cairn.learning.services.mastery import mark_mastered
from tests.conftest import World
from tests.learning.conftest import Unit


def _mastered_long_ago(world: World, unit: Unit) -> Progress:
    progress = Progress.objects.create(student=world.student, competency=unit.a, attempts=8, mastery=0.97)
    mark_mastered(progress, timezone.now() - dt.timedelta(days=60), by="check")
    progress.save()
    assert progress.review_due is not None
    assert progress.review_due < timezone.now()
    return progress


def test_a_due_review_is_on_the_board_and_a_right_answer_pushes_it_out(world: World, unit: Unit) -> None:
    progress = _mastered_long_ago(world, unit)
    options = board.build_board(world.student)
    review = next(o for o in options if o.kind == "review")
    assert review.competency == "4.NF.A.1"
    assert "review" in review.why.lower()
    served = questions.serve(world.student, unit.a)
    assert served.purpose == ServedItem.Purpose.REVIEW
    feedback = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "4")
    assert feedback.event == "reviewed"
    progress.refresh_from_db()
    assert progress.status == Progress.Status.MASTERED
    assert progress.review_due is not None and progress.review_due > timezone.now()
    assert all(o.kind != "review" for o in board.build_board(world.student))


def _review_answer(world: World, unit: Unit, answer: str, *, hours_later: int = 0) -> practice.Feedback:
    """A review answer, ``hours_later`` from now (the unit's competency has one item, and a question whose
    solution was shown doesn't come back in the same sitting)."""
    at = timezone.now() + dt.timedelta(hours=hours_later)
    served = questions.serve(world.student, unit.a, at=at)
    assert served.purpose == ServedItem.Purpose.REVIEW
    return practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), answer, at=at)


def test_one_slip_in_a_review_asks_a_second_question_and_a_right_one_holds_the_mastery(
    world: World, unit: Unit
) -> None:
    _mastered_long_ago(world, unit)
    first = _review_answer(world, unit, "7")
    assert first.event == ""
    assert "one more review question" in first.message
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.status == Progress.Status.MASTERED
    assert progress.review_due is not None and progress.review_due <= timezone.now()  # still due
    second = _review_answer(world, unit, "4", hours_later=4)
    assert second.event == "reviewed"
    progress.refresh_from_db()
    assert progress.status == Progress.Status.MASTERED
    assert progress.check_answers == []
    assert not Alert.objects.filter(student=world.student).exists()


def test_a_second_miss_is_a_lapse_that_reopens_the_competency_and_tells_the_teacher(
    world: World, unit: Unit
) -> None:
    _mastered_long_ago(world, unit)
    assert _review_answer(world, unit, "7").event == ""
    feedback = _review_answer(world, unit, "7", hours_later=4)
    assert feedback.event == "lapse"
    assert "slipped" in feedback.message
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.status == Progress.Status.IN_PROGRESS
    assert progress.review_due is None
    alert = Alert.objects.get(student=world.student, kind=Alert.Kind.LAPSE)
    assert alert.competency == unit.a
    assert "4.NF.A.1" in alert.message
    assert alert.resolved_at is None
    later = timezone.now() + dt.timedelta(hours=8)
    assert questions.serve(world.student, unit.a, at=later).purpose == ServedItem.Purpose.PRACTICE


def test_opening_a_mastered_competency_before_its_review_is_due_is_practice_not_a_review(
    world: World, unit: Unit
) -> None:
    progress = Progress.objects.create(student=world.student, competency=unit.a, attempts=8, mastery=0.97)
    mark_mastered(progress, timezone.now(), by="check")
    progress.save()
    due = progress.review_due
    assert due is not None and due > timezone.now()
    assert all(o.kind != "review" for o in board.build_board(world.student))
    served = questions.serve(world.student, unit.a)
    assert served.purpose == ServedItem.Purpose.PRACTICE
    for _ in range(2):  # a miss and its second try change nothing about the mastery or its schedule
        practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "7")
    progress.refresh_from_db()
    assert progress.status == Progress.Status.MASTERED
    assert progress.review_due == due
    assert not Alert.objects.filter(student=world.student).exists()
