"""Background work for leaders: the daily rollup of every district's goal measures (beat: daily)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from cairn.accounts.models import District
from cairn.leaders.rollups import roll_up
from cairn.leaders.teacher_evidence import feed_evidence


@shared_task(name="cairn.leaders.roll_up_measures")
def roll_up_measures(on: str | None = None) -> dict[str, int]:
    """Store today's (or ``on``'s, ISO date) figures for every district with goals."""
    day = dt.date.fromisoformat(on) if on else None
    done = {}
    for district in District.objects.filter(leader_goals__active=True).distinct():
        done[district.slug] = roll_up(district=district, on=day).values
    return done


@shared_task(name="cairn.leaders.feed_teacher_evidence")
def feed_teacher_evidence(on: str | None = None) -> dict[str, int]:
    """Teachers' practice evidence (fidelity signals, walkthroughs) into their paths; idempotent."""
    day = dt.date.fromisoformat(on) if on else None
    districts = District.objects.filter(definitions__isnull=False).distinct()
    return {district.slug: feed_evidence(district=district, on=day) for district in districts}
