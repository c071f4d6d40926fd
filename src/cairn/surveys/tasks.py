"""Background work for surveys: each Monday, open this week's class pulse for every class (beat)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from cairn.surveys.pulse import open_weekly_pulses


@shared_task(name="cairn.surveys.open_pulses")
def open_pulses(on: str | None = None) -> int:
    """Open the week's pulse windows (of ``on``'s week, ISO date; default this week)."""
    return open_weekly_pulses(today=dt.date.fromisoformat(on) if on else None)
