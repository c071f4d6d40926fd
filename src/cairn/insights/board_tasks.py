"""A teacher's tiered task on each student's choice board, as "Your task" at the student's own level.

The board (``cairn.learning``, below insights) reads tasks through the board-sources registry
(:mod:`cairn.learning.board_sources`): :class:`cairn.insights.apps.InsightsConfig` registers
:func:`tasks_for_board` when the app starts, and the board asks every registered source for candidates.
The other way, the board's callers passing the tasks in, was not taken: the board is built by several
callers (the path page, the choose view that re-checks a pick, the API), each would have had to know about
insights and remember to pass tasks, and a caller forgetting would silently drop a student's task. The
registry keeps one place, below which nothing imports upward.

A task shows while it is recent (``RECENT``) on the board of a student assigned to it who is still in its
class; the teacher's assignment makes the engine put it first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Enrolment, User
from cairn.engine.recommend import Candidate
from cairn.insights.models import TieredAssignment
from cairn.learning.board_sources import BoardExtra
from cairn.learning.selectors.path import Path

SOURCE = "tiered"
RECENT = dt.timedelta(days=14)
AT_MOST = 2  # tasks on one board at once, newest first
MINUTES = 20


def assignments_for(student: User) -> list[TieredAssignment]:
    """The student's recent tiered tasks in the classes they are in now, newest first."""
    sections = (
        Enrolment.objects.current().filter(user=student, kind=Enrolment.Kind.STUDENT).values("section_id")
    )
    return list(
        TieredAssignment.objects.filter(
            student=student,
            task__section_id__in=sections,
            task__created_at__gte=timezone.now() - RECENT,
        )
        .select_related("task__competency")
        .order_by("-task__created_at", "-task_id")[:AT_MOST]
    )


def tasks_for_board(student: User, path: Path) -> Iterator[BoardExtra]:
    """Board candidates for the student's tiered tasks (registered as the ``tiered`` board source)."""
    rows = path.by_code()
    for assignment in assignments_for(student):
        task = assignment.task
        row = rows.get(task.competency.code)
        mastery = assignment.mastery if assignment.mastery is not None else (row.mastery if row else 0.0)
        yield BoardExtra(
            candidate=Candidate(
                activity_id=f"{SOURCE}:{task.pk}",
                title=task.title,
                kind="task",
                competency=task.competency.code,
                p_correct=0.75,  # written for this student's level: in the zone by design
                mastery=mastery,
                minutes=MINUTES,
                accessibility=frozenset({"read_aloud"}),
                assigned_by_teacher=True,
            ),
            url=reverse("insights-my-task", args=[task.pk]),
            label=_("Your task"),
        )
