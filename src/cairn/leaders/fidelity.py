"""Implementation fidelity: is personalized learning being done as planned? Indicators Cairn can see in what
it stores, each registered as a measure a goal can name (cairn.leaders.measures), for a school or the whole
district, as of a day:

- Today's alerts seen to: share of the week's alerts (stuck, inactive, ...) a teacher marked as seen to.
- Station plans per class per week.
- Screen-time balance: share of station time in the week's plans spent at an online station (the rest is
  with the teacher, with peers or offline). A balance, not a score: a goal says which way it should go.
- Teacher activity: days in the week a teacher did something in Cairn (the audit log), per teacher.
- Walkthrough look-fors seen: share of look-fors marked seen on the month's walkthroughs.

Small groups pulled per week and student goals set are L1's built-in measures (cairn.leaders.measures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cairn.accounts.models import District, Role, RoleAssignment, School, Section
from cairn.core.models import AuditEvent
from cairn.engine.grouping import SCREEN_KINDS
from cairn.insights.models import StationPlan
from cairn.leaders.measures import Measure, Value, register, schools_of, students_of
from cairn.leaders.models.walkthroughs import WalkthroughMark
from cairn.learning.models import Alert

WEEK = 7
MONTH = 30


def _since(on: dt.date, days: int) -> dt.date:
    return on - dt.timedelta(days=days - 1)


def _sections(district: District, school: School | None, on: dt.date) -> Any:
    sections = Section.objects.filter(school__in=schools_of(district, school), active=True)
    return sections.filter(term_start__lte=on, term_end__gte=on)


def alerts_seen_to(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    """Percent of the alerts raised in the week to ``on`` that a teacher marked seen to by ``on``."""
    alerts = Alert.objects.filter(
        student__in=students_of(district, school),
        created_at__date__gte=_since(on, WEEK),
        created_at__date__lte=on,
    )
    n = alerts.count()
    if not n:
        return Value(None, 0)
    seen = alerts.filter(resolved_at__date__lte=on).count()
    return Value(100.0 * seen / n, n)


def station_plans_per_week(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    """Station plans for lessons in the week to ``on``, per active class."""
    sections = _sections(district, school, on)
    n = sections.count()
    if not n:
        return Value(None, 0)
    plans = StationPlan.objects.filter(
        section__in=sections, lesson_date__gte=_since(on, WEEK), lesson_date__lte=on
    ).count()
    return Value(plans / n, n)


def screen_share(
    plan_stations: list[dict[str, Any]], schedule: list[list[int]], minutes: int
) -> tuple[int, int]:
    """(minutes on screens, all minutes) of one plan: each block, each group at its station."""
    screens = {str(kind) for kind in SCREEN_KINDS}
    on_screen = total = 0
    for block in schedule:
        for station_index in block:
            total += minutes
            kind = (
                plan_stations[station_index].get("kind") if 0 <= station_index < len(plan_stations) else None
            )
            on_screen += minutes if kind in screens else 0
    return on_screen, total


def screen_time_balance(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    """Percent of the station minutes planned in the week to ``on`` spent at an online station; n is the
    number of plans."""
    plans = StationPlan.objects.filter(
        section__in=_sections(district, school, on), lesson_date__gte=_since(on, WEEK), lesson_date__lte=on
    ).values_list("stations", "schedule", "block_minutes")
    on_screen = total = count = 0
    for stations, schedule, minutes in plans:
        screen, every = screen_share(stations or [], schedule or [], minutes or 0)
        on_screen, total, count = on_screen + screen, total + every, count + 1
    if not total:
        return Value(None, count)
    return Value(100.0 * on_screen / total, count)


def teacher_active_days(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    """Mean days in the week to ``on`` on which a teacher did something recorded in the audit log."""
    teacher_ids = set(
        RoleAssignment.objects.filter(role=Role.TEACHER, school__in=schools_of(district, school)).values_list(
            "user_id", flat=True
        )
    )
    if not teacher_ids:
        return Value(None, 0)
    days = (
        AuditEvent.objects.filter(
            actor_id__in=teacher_ids, time__date__gte=_since(on, WEEK), time__date__lte=on
        )
        .values("actor_id", "time__date")
        .distinct()
        .count()
    )
    return Value(days / len(teacher_ids), len(teacher_ids))


def lookfors_seen(district: District, school: School | None, on: dt.date, params: Mapping[str, Any]) -> Value:
    """Percent of the look-fors marked seen on walkthroughs in the 30 days to ``on``; n: the walkthroughs."""
    marks = WalkthroughMark.objects.filter(
        walkthrough__school__in=schools_of(district, school),
        walkthrough__at__date__gte=_since(on, MONTH),
        walkthrough__at__date__lte=on,
    )
    pillar = params.get("pillar")
    if pillar:
        marks = marks.filter(pillar=pillar)
    total = marks.count()
    if not total:
        return Value(None, 0)
    visits = marks.values("walkthrough_id").distinct().count()
    return Value(100.0 * marks.filter(seen=True).count() / total, visits)


register(
    Measure(
        "alerts_seen_to",
        "Today's alerts seen to",
        "percent",
        alerts_seen_to,
        help="Alerts raised in the last seven days (stuck, inactive students) that a teacher marked seen to.",
        advice="ask teachers to open Today at the start of each class",
    )
)
register(
    Measure(
        "station_plans_per_week",
        "Station plans per class per week",
        "per_week",
        station_plans_per_week,
        help="Station rotations planned in Cairn for lessons in the last seven days, per class.",
        advice="plan one rotation together in the next team meeting",
    )
)
register(
    Measure(
        "screen_time_balance",
        "Screen-time balance (share of station time on screens)",
        "percent",
        screen_time_balance,
        higher_is_better=False,
        help="Of the station minutes planned in the last seven days, the share at an online station; the "
        "rest is with the teacher, with peers or offline.",
        advice="visit a rotation and look for a teacher-led station in every block",
    )
)
register(
    Measure(
        "teacher_active_days",
        "Teacher activity (days per week)",
        "days",
        teacher_active_days,
        help="Days in the last seven on which a teacher did something in Cairn, per teacher.",
        advice="check in with teachers who have not opened Cairn this week",
    )
)
register(
    Measure(
        "lookfors_seen",
        "Walkthrough look-fors seen",
        "percent",
        lookfors_seen,
        params=("pillar",),
        help="Of the look-fors marked on walkthroughs in the last 30 days, the share seen.",
        advice="walk through two classes this week with the look-fors",
    )
)
