"""A teacher's overrides of a student's path: assign, skip, lock or unlock, reset, or mark mastered.

The teacher is in the lead: whatever the model and the rules say, a teacher who knows the student can
change the path, for one student, a small group or the whole section at once. Every override is kept
(PathOverride, with who, when and why; a later override of the same competency replaces the earlier one,
which stays in the log as inactive) and the student's path says "set by your teacher" next to it. The
teacher's reason is for the teacher and colleagues; the student sees what was done, not the note.

What each does:

- **assign**: opens the competency (whatever its prerequisites) and puts it first on the choice board;
- **unlock** / **lock**: opens or closes it, whatever the prerequisites and release rules say;
- **skip**: the student need not do it; what builds on it no longer waits for it;
- **mastered**: records mastery on the teacher's word (``mastered_by="teacher"``); spaced review starts;
- **reset**: starts the competency over: counters, the learner model's estimate and the mastery check are
  cleared, open alerts resolved. Answers already given stay in the history (attempts are append-only).

Only a teacher who teaches the student now may change their path (leaders and admins read, they don't
steer a class they don't teach). Bad input changes nothing: the whole batch is refused with a message that
says what is wrong. Who may override and the marks the path reads are in
:mod:`cairn.learning.selectors.overrides`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core import audit
from cairn.core.errors import Forbidden, Invalid
from cairn.curriculum.models import Competency
from cairn.curriculum.ownership import approved_items_for, district_ids_of
from cairn.learning import learner
from cairn.learning.models import Alert, LearnerState, PathOverride, Progress, ServedItem
from cairn.learning.selectors.overrides import taught_students
from cairn.learning.services.mastery import mark_mastered

Action = PathOverride.Action
REASON_MAX = 300


@dataclass(frozen=True)
class OverrideResult:
    created: list[PathOverride]
    unchanged: list[tuple[User, str]]  # students it did not apply to, and why

    @property
    def summary(self) -> str:
        parts = [f"{len(self.created)} student{'s' if len(self.created) != 1 else ''} changed"]
        if self.unchanged:
            parts.append(
                "unchanged: "
                + "; ".join(f"{student.display_name} ({why})" for student, why in self.unchanged)
            )
        return ", ".join(parts)


def _validate(
    teacher: User, students: Sequence[User], competency: Competency, action: str, reason: str
) -> str:
    if action not in Action.values:
        raise Invalid(f"Unknown action {action!r}: choose one of {', '.join(Action.values)}.", field="action")
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid(
            _("Give a reason: it is kept with the change, for you and your colleagues."), field="reason"
        )
    if len(reason) > REASON_MAX:
        raise Invalid(
            f"Keep the reason under {REASON_MAX} characters (it has {len(reason)}).", field="reason"
        )
    if not students:
        raise Invalid(_("Choose at least one student."), field="students")
    approved = approved_items_for(district_ids_of(teacher))
    if not approved.filter(competencies=competency).exists():
        raise Invalid(
            f"{competency.code} has no approved practice yet, so it is on no student's path.",
            field="competency",
        )
    allowed = taught_students(teacher)
    for student in students:
        if student.pk not in allowed:
            raise Forbidden(
                _("You don't teach student %(id)s, so you can't change their path.") % {"id": student.pk}
            )
    return reason


@transaction.atomic
def override(
    teacher: User,
    students: Sequence[User],
    competency: Competency,
    action: str,
    reason: str,
    *,
    at: dt.datetime | None = None,
) -> OverrideResult:
    """Apply one override to each student (one, a group or a section), all in one transaction."""
    reason = _validate(teacher, students, competency, action, reason)
    now = at or timezone.now()
    unique = list({s.pk: s for s in students}.values())
    progress = {
        p.student_id: p
        for p in Progress.objects.select_for_update().filter(
            student__in=[s.pk for s in unique], competency=competency
        )
    }
    created: list[PathOverride] = []
    unchanged: list[tuple[User, str]] = []
    for student in unique:
        p = progress.get(student.pk)
        mastered = p is not None and p.status == Progress.Status.MASTERED
        if mastered and action not in (Action.RESET,):
            unchanged.append((student, "already mastered; reset it first to reopen it"))
            continue
        PathOverride.objects.filter(student=student, competency=competency, active=True).update(active=False)
        if action == Action.MASTERED:
            _mark_mastered(student, competency, p, now)
        elif action == Action.RESET:
            _reset(student, competency, p, now)
        created.append(
            PathOverride.objects.create(
                student=student, competency=competency, action=action, reason=reason, set_by=teacher
            )
        )
        detail = _audit_detail(competency, action)
        audit.record(audit.AuditAction.OVERRIDE, actor=teacher, student=student, detail=detail)
    return OverrideResult(created=created, unchanged=unchanged)


def _audit_detail(competency: Competency, action: str) -> dict[str, str]:
    """What the trail keeps about an override: the competency and the change, not the teacher's reason (free
    text may name people)."""
    return {"competency": competency.code, "action": str(action)}


def _close_open_questions(student: User, competency: Competency) -> None:
    """A question served before the change (a check question, say) must not come back after it."""
    ServedItem.objects.filter(student=student, competency=competency, closed=False).update(closed=True)


def _mark_mastered(student: User, competency: Competency, p: Progress | None, now: dt.datetime) -> None:
    if p is None:
        p = Progress.objects.create(student=student, competency=competency)
    mark_mastered(p, now, by="teacher")
    p.save()
    _close_open_questions(student, competency)


def _reset(student: User, competency: Competency, p: Progress | None, now: dt.datetime) -> None:
    state_row = LearnerState.objects.select_for_update().filter(student=student).first()
    if state_row is not None:
        state_row.state = learner.forget(state_row.state, competency.pk)
        state_row.save(update_fields=["state", "updated_at"])
    if p is not None:
        p.mastery, p.uncertainty = learner.mastery(learner.initial_state(), competency.pk)
        p.status = Progress.Status.NOT_STARTED
        p.attempts = p.correct = 0
        p.recent_estimates, p.check_answers = [], []
        p.spinning = False
        p.mastered_at, p.mastered_by = None, ""
        p.review_card, p.review_due = None, None
        p.save()
    Alert.objects.filter(student=student, competency=competency, resolved_at__isnull=True).update(
        resolved_at=now
    )
    _close_open_questions(student, competency)
