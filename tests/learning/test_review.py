"""Spaced review of mastered competencies: due reviews reach the board; a lapse reopens the competency."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from cairn.learning.models import Progress, ServedItem
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
    assert progress.review_due > timezone.now()
    assert all(o.kind != "review" for o in board.build_board(world.student))


def test_a_lapse_reopens_the_competency(world: World, unit: Unit) -> None:
    _mastered_long_ago(world, unit)
    served = questions.serve(world.student, unit.a)
    feedback = practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "7")
    assert feedback.event == "lapse"
    assert "slipped" in feedback.message
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.status == Progress.Status.IN_PROGRESS
    assert progress.review_due is None
    assert questions.serve(world.student, unit.a).purpose == ServedItem.Purpose.PRACTICE
