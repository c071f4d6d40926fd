"""Station rotations: Cairn forms one rotation group per station from the students' needs and balances
screen time (online stations) against teacher and peer time (cairn.engine.grouping.plan_rotation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.agency.selectors import minutes_in, week_start
from cairn.core.errors import Invalid
from cairn.engine import grouping
from cairn.insights import selectors
from cairn.insights.access import require_teacher
from cairn.insights.models import StationPlan
from cairn.insights.services.checks import clean_text


@dataclass(frozen=True)
class StationInput:
    name: str
    kind: str
    activity: str = ""


@transaction.atomic
def plan_stations(
    teacher: User,
    section: Section,
    *,
    title: str,
    lesson_date: dt.date,
    block_minutes: int,
    rotations: int,
    stations: Sequence[StationInput],
) -> StationPlan:
    """Who goes where in each block: Cairn forms one rotation group per station from the students' needs
    and balances screen time (online stations) against teacher and peer time."""
    require_teacher(teacher, section)
    title = clean_text("title", title, 200)
    if not 5 <= int(block_minutes) <= 90:
        raise Invalid(_("A block lasts between 5 and 90 minutes."), field="block_minutes")
    parsed = []
    kinds = [k.value for k in grouping.StationKind]
    for i, given in enumerate(stations, start=1):
        name = clean_text(f"station {i} name", given.name, 60)
        if given.kind not in kinds:
            raise Invalid(f"Station {i}: choose a kind ({', '.join(kinds)}).", field=f"station {i} kind")
        parsed.append(
            (grouping.Station(name, grouping.StationKind(given.kind)), given.activity.strip()[:200])
        )
    state = selectors.class_state(section)
    monday = week_start(state.today)
    students = []
    for s in state.students:
        needs = selectors.needs_of(state, s.pk)
        summary = state.summaries[s.pk]
        students.append(
            grouping.RotationStudent(
                s.pk,
                need=needs[0].competency if needs else None,
                mastery=needs[0].mastery if needs else summary.mean_mastery,
                teacher_priority=1.0 if summary.stuck else 0.0,
                screen_minutes=float(minutes_in(s, monday)),
            )
        )
    try:
        plan = grouping.plan_rotation(students, [station for station, _ in parsed], int(rotations))
    except ValueError as exc:
        raise Invalid(str(exc)[:1].upper() + str(exc)[1:] + ".", field="stations") from exc
    activity_of = {station.name: activity for station, activity in parsed}
    return StationPlan.objects.create(
        section=section,
        title=title,
        lesson_date=lesson_date,
        block_minutes=int(block_minutes),
        stations=[
            {"name": st.name, "kind": st.kind.value, "activity": activity_of[st.name]} for st in plan.stations
        ],
        groups=[list(g) for g in plan.groups],
        focus=list(plan.focus),
        schedule=[list(block) for block in plan.schedule],
        created_by=teacher,
    )
