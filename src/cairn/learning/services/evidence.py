"""Evidence about a student that is not an answer to a Cairn item: the one door for it.

Statements from other tools (an LMS, xAPI), teachers' ratings and their own practice evidence, and the
diagnostic's placement all enter the learner model here, as the engine's one evidence type
(:class:`cairn.engine.kt.base.Evidence`: source, how right in [0, 1], weight in [0, 1], time). The learner
model tempers it by its weight and, unless it is an answer, takes no learning step from it; the student's
progress on the competency shows the new estimate. What outside evidence never does: change a mastery a
teacher set (the teacher's word stands until the teacher changes it), or start, pass or fail the
"show what you know" check, which only the student's own answers do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Invalid
from cairn.curriculum.models import Competency
from cairn.engine.kt.base import EVIDENCE_SOURCES
from cairn.learning import learner
from cairn.learning.models import LearnerState, Progress

SOURCES = EVIDENCE_SOURCES


@dataclass(frozen=True)
class Recorded:
    """What the evidence changed: the estimate before and after, its SD, and whether progress shows it
    (False when a teacher's mastery stands)."""

    mastery_before: float
    mastery_after: float
    uncertainty: float
    progress_updated: bool


def record_evidence(
    student: User,
    competency: Competency,
    *,
    source: str,
    correct_or_score: float,
    weight: float = 1.0,
    at: dt.datetime | None = None,
    item: int | None = None,
    hinted: bool = False,
    label: str = "",
) -> Recorded:
    """Feed one piece of evidence into the student's learner state, in one transaction; Invalid (naming
    the field) when a value is out of range or the source unknown, and then nothing is written. ``label``
    names where it came from (e.g. the tool that sent a statement): the student's path shows it."""
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise Invalid(_("The evidence's time needs a time zone."), field="at")
    try:
        piece = learner.evidence(
            competency.pk,
            float(correct_or_score),
            source=source,
            weight=float(weight),
            at=at,
            item=item,
            hinted=hinted,
        )
    except ValueError as exc:
        field = "source" if "source" in str(exc) else "weight" if "weight" in str(exc) else "correct_or_score"
        raise Invalid(str(exc), field=field) from exc
    with transaction.atomic():
        state_row, _created = LearnerState.objects.select_for_update().get_or_create(
            student=student,
            defaults={"model_name": learner.model_name(), "state": learner.initial_state()},
        )
        before = learner.mastery(state_row.state, competency.pk, at=at)[0]
        state_row.state = learner.apply(state_row.state, piece)
        state_row.model_name = learner.model_name()
        state_row.save(update_fields=["state", "model_name", "updated_at"])
        after, sd = learner.mastery(state_row.state, competency.pk, at=at)
        progresses = Progress.objects.select_for_update()
        progress, _new = progresses.get_or_create(student=student, competency=competency)
        teachers = progress.status == Progress.Status.MASTERED and progress.mastered_by == "teacher"
        if not teachers:
            progress.mastery, progress.uncertainty = round(after, 4), round(sd, 4)
            if label:
                progress.evidence_from = [label, *(f for f in progress.evidence_from if f != label)][:3]
            progress.save(update_fields=["mastery", "uncertainty", "evidence_from", "updated_at"])
    return Recorded(round(before, 4), round(after, 4), round(sd, 4), not teachers)
