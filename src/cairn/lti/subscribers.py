"""What sends scores to the LMS: learning's events (a mastery, a finished activity, a finished sitting) queue
:func:`cairn.lti.tasks.send_score` for each placement they touch. Apart from :mod:`cairn.lti.ags` so that
the tasks, which wrap ags, and the subscribers, which queue the tasks, import one way only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cairn.accounts.models import User
from cairn.assessments.models import Administration
from cairn.learning import events
from cairn.learning.models import ActivityCompletion
from cairn.lti import tasks
from cairn.lti.ags import placements_for
from cairn.lti.models import Placement


def _queue(placements: QuerySet[Placement], student: User) -> None:
    for pk in placements.values_list("pk", flat=True):
        tasks.send_score.delay(pk, student.pk)


def on_mastery(*, student: User, competency: Any, **_: Any) -> None:
    _queue(placements_for(student, Placement.Kind.COMPETENCY, competency=competency), student)


def on_completion(*, completion: ActivityCompletion, **_: Any) -> None:
    student = completion.student
    _queue(placements_for(student, Placement.Kind.CONTENT, content_id=completion.content_id), student)


def on_sitting(*, sitting: Administration, **_: Any) -> None:
    _queue(placements_for(sitting.student, Placement.Kind.DIAGNOSTIC), sitting.student)


def subscribe() -> None:
    """Listen to learning's events (called from the app's ``ready()``)."""
    events.subscribe(events.MASTERY, on_mastery)
    events.subscribe(events.COMPLETION, on_completion)
    events.subscribe(events.SITTING, on_sitting)
