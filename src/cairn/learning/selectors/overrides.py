"""Reads about a teacher's overrides of student paths: who may change whose path, the marks the path reads
from the active overrides, and the log. The overrides themselves are written by
:mod:`cairn.learning.services.overrides`, whose docstring says what each action does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from cairn.accounts.access import roles_of
from cairn.accounts.models import Enrolment, Role, User
from cairn.engine.release import Status
from cairn.learning.models import PathOverride

Action = PathOverride.Action

# What the student reads next to a competency a teacher changed (unlock and lock carry the engine's own
# "Unlocked/Locked by your teacher"). A note shows only while true: "assigned" on an open row, and so on.
# Kept in English here (the engine carries them); the student's path translates them (selectors.path).
_NOTES: dict[str, tuple[str, frozenset[Status]]] = {
    Action.ASSIGN: (gettext_noop("Assigned by your teacher"), frozenset({Status.READY, Status.IN_PROGRESS})),
    Action.SKIP: (gettext_noop("Skipped by your teacher"), frozenset({Status.MASTERED})),
    Action.MASTERED: (gettext_noop("Marked mastered by your teacher"), frozenset({Status.MASTERED})),
    Action.RESET: (
        gettext_noop("Started over by your teacher"),
        frozenset({Status.READY, Status.IN_PROGRESS}),
    ),
}


@dataclass(frozen=True)
class TeacherMarks:
    """A student's active overrides, as the path reads them."""

    unlocked: frozenset[str] = frozenset()
    locked: frozenset[str] = frozenset()
    skipped: frozenset[str] = frozenset()  # count as done for what builds on them
    actions: dict[str, str] = field(default_factory=dict)  # code -> action

    def note(self, code: str, status: Status) -> str | None:
        """What the student's path says about the teacher's change to this competency, if anything."""
        action = self.actions.get(code)
        if action is None or action not in _NOTES:
            return None
        text, shown_when = _NOTES[action]
        return text if status in shown_when else None


def marks(active: Iterable[tuple[str, str]]) -> TeacherMarks:
    """Summarise (competency code, action) pairs of active overrides."""
    actions = dict(active)
    return TeacherMarks(
        unlocked=frozenset(c for c, a in actions.items() if a in (Action.UNLOCK, Action.ASSIGN)),
        locked=frozenset(c for c, a in actions.items() if a == Action.LOCK),
        skipped=frozenset(c for c, a in actions.items() if a == Action.SKIP),
        actions=actions,
    )


def taught_students(user: User) -> set[int]:
    """Ids of the students a person teaches now: whose paths they may change."""
    if Role.TEACHER not in roles_of(user):
        return set()
    sections = Enrolment.objects.current().filter(user=user, kind=Enrolment.Kind.TEACHER).values("section_id")
    return set(
        Enrolment.objects.current()
        .filter(kind=Enrolment.Kind.STUDENT, section_id__in=sections)
        .values_list("user_id", flat=True)
    )


def may_override(user: User, student: User) -> bool:
    return student.pk in taught_students(user)


def history(students: Iterable[User], limit: int = 200) -> list[PathOverride]:
    """The override log of these students, newest first (active and replaced)."""
    return list(
        PathOverride.objects.filter(student__in=[s.pk for s in students])
        .select_related("student", "competency", "set_by")
        .order_by("-created_at", "-pk")[:limit]
    )
