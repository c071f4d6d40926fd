"""What a student does with the choice board: pick an activity (only one that was offered) and finish one.
The board itself is read by :mod:`cairn.learning.selectors.board`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Invalid
from cairn.curriculum.models import Content
from cairn.learning import events
from cairn.learning.models import ActivityChoice, ActivityCompletion, Progress
from cairn.learning.selectors.board import BoardOption


@transaction.atomic
def choose(
    student: User, option_id: str, offered: list[BoardOption], *, at: dt.datetime | None = None
) -> BoardOption:
    """Record the student's pick among what was offered; picks that weren't offered are refused."""
    picked = next((o for o in offered if o.option_id == option_id), None)
    if picked is None:
        raise Invalid(_("That activity is not on your board any more; pick another."), field="option_id")
    kind, _sep, ident = option_id.partition(":")
    competency_id = int(ident) if kind in ("practice", "review") else None
    if kind == "content":
        content = Content.objects.filter(pk=int(ident)).prefetch_related("competencies").first()
        first = content.competencies.first() if content else None
        competency_id = first.pk if first else None
    ActivityChoice.objects.create(
        student=student,
        offered=[{"id": o.option_id, "kind": o.kind, "why": o.why} for o in offered],
        chosen=option_id,
        chosen_kind=picked.kind,
        competency_id=competency_id,
        created_at=at or timezone.now(),
    )
    return picked


@transaction.atomic
def complete_activity(
    student: User, content: Content, *, at: dt.datetime | None = None
) -> ActivityCompletion:
    """Record a finished activity. It counts for release rules ("after activity A") and, being a different
    way into the topic, lifts the wheel-spinning stop on the competencies it is aligned to."""
    done, created = ActivityCompletion.objects.get_or_create(
        student=student,
        content=content,
        defaults={"minutes": content.estimated_minutes or 0, "completed_at": at or timezone.now()},
    )
    Progress.objects.filter(student=student, competency__in=content.competencies.all(), spinning=True).update(
        spinning=False,
        recent_estimates=[],
        updated_at=timezone.now(),  # a change the answer loop must see
    )
    if created:
        events.publish(events.COMPLETION, completion=done, at=done.completed_at)
    return done
