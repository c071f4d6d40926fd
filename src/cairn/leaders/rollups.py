"""The daily rollup: each active goal's measure for the district and each of its schools, stored as
``MeasureValue`` rows the leaders' pages read, and (for a measure per student) each student group's figure
as ``GroupValue`` rows for the equity page (``cairn.leaders.group_measures``). Incremental: only the
figures of ``on`` are (re)computed; past days stay as they were stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, School
from cairn.leaders import group_measures, measures
from cairn.leaders.models import Goal, GroupValue, MeasureValue


@dataclass(frozen=True)
class RollupSummary:
    goals: int
    values: int
    skipped: list[str]  # goals whose measure is not registered


def roll_up(*, district: District, on: dt.date | None = None) -> RollupSummary:
    day = on or timezone.localdate()
    schools: list[School | None] = [
        None,
        *School.objects.filter(district=district, active=True).order_by("pk"),
    ]
    goals = list(Goal.objects.filter(district=district, active=True, start_date__lte=day))
    written, skipped = 0, []
    for goal in goals:
        measure = measures.get(goal.measure_key)
        if measure is None:
            skipped.append(goal.title)
            continue
        figures = [(school, measure.value(district, school, day, goal.measure_params)) for school in schools]
        groups = group_measures.group_values(goal, district, schools, day)
        with transaction.atomic():
            GroupValue.objects.filter(goal=goal, on=day).delete()
            GroupValue.objects.bulk_create(groups)
            for school, figure in figures:
                MeasureValue.objects.update_or_create(
                    goal=goal, school=school, on=day, defaults={"value": figure.value, "n": figure.n}
                )
                written += 1
    return RollupSummary(goals=len(goals), values=written, skipped=skipped)
