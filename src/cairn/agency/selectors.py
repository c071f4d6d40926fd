"""Weekly goals and pace: what the student planned, what they've done, and what a realistic goal is.

Minutes are estimated from the learning log: each answer counts the time since the previous one in the same
sitting, capped at 5 minutes (a longer gap means the student stepped away), plus the stated length of
activities they finished. Setting a goal and reflecting are :mod:`cairn.agency.services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.accounts.models import User
from cairn.agency.models import WeeklyGoal
from cairn.core.templatetags.cairn_format import quantity
from cairn.learning.models import ActivityCompletion, Attempt, Progress

GAP_CAP = dt.timedelta(minutes=5)
FIRST_ANSWER = dt.timedelta(minutes=1)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _window(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=7)


def minutes_in(student: User, monday: dt.date) -> int:
    start, end = _window(monday)
    times = list(
        Attempt.objects.filter(student=student, created_at__gte=start, created_at__lt=end)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    total = answering_time(times)
    activity = sum(
        ActivityCompletion.objects.filter(
            student=student, completed_at__gte=start, completed_at__lt=end
        ).values_list("minutes", flat=True)
    )
    return round(total.total_seconds() / 60) + int(activity)


def answering_time(times: Iterable[dt.datetime]) -> dt.timedelta:
    """Time spent answering, from answer times in order: the gap since the previous answer, capped at
    GAP_CAP (a longer gap means the student stepped away); the first answer of a run counts FIRST_ANSWER."""
    total = dt.timedelta()
    previous: dt.datetime | None = None
    for current in times:
        total += FIRST_ANSWER if previous is None else min(current - previous, GAP_CAP)
        previous = current
    return total


def is_on_track(goal: WeeklyGoal, mastered: int, minutes: int, today: dt.date) -> bool:
    """On track when the lesser of the two ratios (mastered, minutes) is at least 80% of the school week
    gone by."""
    expected = min(today.weekday() + 1, 5) / 5
    ratios = [
        mastered / goal.competencies if goal.competencies else 1.0,
        minutes / goal.minutes if goal.minutes else 1.0,
    ]
    return min(ratios) >= expected * 0.8


def mastered_in(student: User, monday: dt.date) -> int:
    start, end = _window(monday)
    return Progress.objects.filter(
        student=student, status=Progress.Status.MASTERED, mastered_at__gte=start, mastered_at__lt=end
    ).count()


@dataclass(frozen=True)
class Pace:
    week_start: dt.date
    goal: WeeklyGoal | None
    mastered: int
    minutes: int
    days_left: int
    on_track: bool | None  # None without a goal
    message: str


def pace(student: User, today: dt.date | None = None) -> Pace:
    today = today or timezone.localdate()
    monday = week_start(today)
    goal = WeeklyGoal.objects.filter(student=student, week_start=monday).first()
    mastered, minutes = mastered_in(student, monday), minutes_in(student, monday)
    days_done = min(today.weekday() + 1, 5)  # school days
    days_left = max(5 - days_done, 0)
    if goal is None:
        return Pace(monday, None, mastered, minutes, days_left, None, _("Set a goal for this week."))
    on_track = is_on_track(goal, mastered, minutes, today)
    if mastered >= goal.competencies and minutes >= goal.minutes:
        message = _("Goal reached. Well done!")
    elif on_track:
        message = _("On track for your goal.")
    else:
        short = []
        if mastered < goal.competencies:
            n = goal.competencies - mastered
            short.append(ngettext("%(n)d more to master", "%(n)d more to master", n) % {"n": n})
        if minutes < goal.minutes:
            n = goal.minutes - minutes
            short.append(ngettext("%(n)d more minute", "%(n)d more minutes", n) % {"n": n})
        when = (
            ngettext("in %(n)d school day left", "in %(n)d school days left", days_left) % {"n": days_left}
            if days_left
            else _("this week")
        )
        message = _("Behind your plan: %(short)s %(when)s.") % {
            "short": _("%(first)s and %(second)s") % {"first": short[0], "second": short[1]}
            if len(short) == 2
            else short[0],
            "when": when,
        }
    return Pace(monday, goal, mastered, minutes, days_left, on_track, message)


@dataclass(frozen=True)
class Suggestion:
    competencies: int
    minutes: int
    basis: str


def suggest_goal(student: User, today: dt.date | None = None, weeks: int = 3) -> Suggestion:
    """A realistic goal: a little above the student's own recent weekly pace (or a modest start)."""
    today = today or timezone.localdate()
    monday = week_start(today)
    past = [monday - dt.timedelta(weeks=w) for w in range(1, weeks + 1)]
    mastered = [mastered_in(student, m) for m in past]
    minutes = [minutes_in(student, m) for m in past]
    active = [i for i in range(weeks) if minutes[i] > 0]
    if not active:
        return Suggestion(2, 60, _("A good first goal: 2 competencies and 60 minutes."))
    avg_mastered = sum(mastered[i] for i in active) / len(active)
    avg_minutes = sum(minutes[i] for i in active) / len(active)
    said = ngettext(
        "Your last active week: about %(competencies)s and %(minutes)s a week.",
        "Your last %(n)d active weeks: about %(competencies)s and %(minutes)s a week.",
        len(active),
    ) % {
        "n": len(active),
        "competencies": quantity(avg_mastered, _("competency"), _("competencies")),
        "minutes": quantity(round(avg_minutes), _("minute"), _("minutes")),
    }
    return Suggestion(max(1, round(avg_mastered * 1.2)), max(30, int(round(avg_minutes * 1.1 / 5) * 5)), said)
