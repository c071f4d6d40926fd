"""The one door for evidence that is not an answer to a Cairn item (LMS statements, teachers' ratings,
placement): it moves the learner model's estimate by its weight, and never a teacher's mastery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.core.errors import Invalid
from cairn.learning import learner
from cairn.learning.models import LearnerState, Progress
from cairn.learning.services.evidence import record_evidence
from cairn.learning.services.mastery import mark_mastered
from tests.conftest import World
from tests.learning.conftest import Unit


def test_outside_evidence_moves_the_estimate_by_its_weight_and_is_no_practice(
    world: World, unit: Unit
) -> None:
    strong = record_evidence(world.student, unit.a, source="statement", correct_or_score=1.0, weight=1.0)
    weak = record_evidence(world.classmate, unit.a, source="statement", correct_or_score=1.0, weight=0.3)
    assert strong.mastery_before == pytest.approx(weak.mastery_before)
    assert strong.mastery_before < weak.mastery_after < strong.mastery_after
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.mastery == pytest.approx(strong.mastery_after)
    assert progress.uncertainty == pytest.approx(strong.uncertainty)
    assert progress.status == Progress.Status.NOT_STARTED  # the check is the student's own to pass
    assert progress.attempts == 0
    state = LearnerState.objects.get(student=world.student).state
    assert learner.skill_mastery(state, unit.a.pk).n == 1


def test_a_teachers_mastery_is_never_changed_by_outside_evidence(world: World, unit: Unit) -> None:
    progress = Progress.objects.create(student=world.student, competency=unit.a)
    mark_mastered(progress, timezone.now(), by="teacher")
    progress.save()
    result = record_evidence(world.student, unit.a, source="teacher", correct_or_score=0.0)
    assert not result.progress_updated
    assert result.mastery_after < result.mastery_before
    kept = Progress.objects.get(pk=progress.pk)
    assert kept.status == Progress.Status.MASTERED and kept.mastered_by == "teacher"
    assert kept.mastery == progress.mastery


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"source": "gossip", "correct_or_score": 1.0}, "source"),
        ({"source": "statement", "correct_or_score": 1.5}, "correct_or_score"),
        ({"source": "statement", "correct_or_score": 1.0, "weight": 2.0}, "weight"),
        ({"source": "statement", "correct_or_score": 1.0, "at": dt.datetime(2026, 1, 1)}, "at"),
    ],
)
def test_bad_evidence_is_invalid_and_writes_nothing(
    world: World, unit: Unit, values: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        record_evidence(world.student, unit.a, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not LearnerState.objects.exists()
    assert not Progress.objects.exists()
