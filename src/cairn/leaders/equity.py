"""Equity: figures broken down by the groups a district must watch (lunch program, English learners, IEP,
504 plan, race and ethnicity, gender), with the gaps between groups over time. For leaders only
(demographics are never shown to teachers). A group of fewer than 10 students is suppressed ("fewer than
10"), and so is a gap that needs it.

Two readings:

- a goal's measure over time (``over_time``, ``gaps``): every measure per student
  (``cairn.leaders.group_measures``), from the ``GroupValue`` rows the daily rollup stores;
- an outside test window by window (``breakdown``), from the imported scores themselves.

Fidelity indicators (per class or teacher) and survey scales (anonymous) are not broken down by group.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import District, School
from cairn.leaders import measures
from cairn.leaders.group_measures import DIMENSIONS, MIN_GROUP, breakable, groups_of
from cairn.leaders.measures import students_of
from cairn.leaders.models import Demographics, Goal, GroupValue, OutsideScore

__all__ = ["MIN_GROUP", "assessments_of", "breakdown", "gaps", "over_time", "unbroken_measures"]

DIMENSION_LABELS = {
    "frl": _("Free or reduced lunch"),
    "ell": _("English learners"),
    "iep": _("IEP"),
    "plan504": _("504 plan"),
    "race_ethnicity": _("Race and ethnicity"),
    "gender": _("Gender"),
}
FLAG_GROUPS = {
    "frl": {"yes": _("Free or reduced lunch"), "no": _("Not free or reduced lunch")},
    "ell": {"yes": _("English learners"), "no": _("Not English learners")},
    "iep": {"yes": _("IEP"), "no": _("No IEP")},
    "plan504": {"yes": _("504 plan"), "no": _("No 504 plan")},
}


def group_label(dimension: str, group: str) -> str:
    return str(FLAG_GROUPS.get(dimension, {}).get(group, group))


# --- a goal's measure by group, over time (stored figures) ----------------------------------------------


@dataclass(frozen=True)
class GroupLine:
    group: str
    points: list[tuple[dt.date, float | None, int]]  # value None: suppressed that day

    @property
    def latest(self) -> tuple[dt.date, float | None, int]:
        return self.points[-1]


@dataclass(frozen=True)
class GapOverTime:
    goal: Goal
    dimension: str
    lines: list[GroupLine]
    gaps: list[tuple[dt.date, float | None]]  # highest minus lowest shown group; None: fewer than two shown

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS[self.dimension])

    @property
    def first_gap(self) -> float | None:
        return next((g for _, g in self.gaps if g is not None), None)

    @property
    def last_gap(self) -> float | None:
        return self.gaps[-1][1] if self.gaps else None

    def weekly(self) -> list[tuple[dt.date, list[tuple[float | None, int]], float | None]]:
        """One row a week back from the latest: the day, each line's (value, n), the gap."""
        days = [d for d, _ in self.gaps][::-1][::7][::-1]
        at = {line.group: {d: (v, n) for d, v, n in line.points} for line in self.lines}
        gap = dict(self.gaps)
        return [(d, [at[line.group].get(d, (None, 0)) for line in self.lines], gap[d]) for d in days]


def _gap(values: list[float | None]) -> float | None:
    shown = [v for v in values if v is not None]
    return max(shown) - min(shown) if len(shown) > 1 else None


def over_time(goal: Goal, school: School | None, dimension: str) -> GapOverTime | None:
    """Each group's stored figure for the goal (at the school, else the district) day by day, and the gap."""
    rows = GroupValue.objects.filter(goal=goal, school=school, dimension=dimension).order_by("on", "group")
    series: dict[str, list[tuple[dt.date, float | None, int]]] = defaultdict(list)
    days: dict[dt.date, list[float | None]] = defaultdict(list)
    for group, on, value, n in rows.values_list("group", "on", "value", "n"):
        series[group].append((on, value, n))
        days[on].append(value)
    if not series:
        return None
    lines = [GroupLine(group_label(dimension, g), points) for g, points in sorted(series.items())]
    return GapOverTime(goal, dimension, lines, [(d, _gap(v)) for d, v in sorted(days.items())])


def breakable_goals(district: District) -> list[Goal]:
    goals = Goal.objects.filter(district=district, active=True).order_by("target_date", "pk")
    return [g for g in goals if breakable(g.measure_key)]


def gaps(district: District, school: School | None, goal: Goal | None = None) -> list[GapOverTime]:
    """Every breakable goal (or the one given) × dimension with stored figures."""
    chosen = [goal] if goal is not None else breakable_goals(district)
    found = (over_time(g, school, d) for g in chosen for d in DIMENSIONS)
    return [f for f in found if f is not None]


def unbroken_measures(district: District) -> list[str]:
    """The labels of the district's goals' measures that are not per student (not broken down)."""
    goals = Goal.objects.filter(district=district, active=True).order_by("pk")
    labels = []
    for goal in goals:
        measure = measures.get(goal.measure_key)
        if not breakable(goal.measure_key) and measure is not None and measure.label not in labels:
            labels.append(measure.label)
    return labels


# --- an outside test, window by window (live from the scores) -------------------------------------------


@dataclass(frozen=True)
class Cell:
    group: str
    n: int
    mean: float | None  # None: suppressed (fewer than MIN_GROUP students)

    @property
    def suppressed(self) -> bool:
        return self.mean is None


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    period: str
    cells: list[Cell]
    gap: float | None  # highest minus lowest shown group mean; None when fewer than two are shown


def _cell(group: str, scores: list[float]) -> Cell:
    n = len(scores)
    return Cell(group, n, sum(scores) / n if n >= MIN_GROUP else None)


def breakdown(district: District, school: School | None, assessment: str) -> list[Breakdown]:
    """Per dimension and window (in order of date, then name): each group's mean score on the test."""
    students = students_of(district, school)
    demos = {d.student_id: groups_of(d) for d in Demographics.objects.filter(student__in=students)}
    scores = OutsideScore.objects.filter(district=district, assessment=assessment, student__in=students)
    table: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    periods: dict[str, tuple[str, str]] = {}
    for student_id, period, on, score in scores.values_list("student_id", "period", "on", "score"):
        periods[period] = (on.isoformat() if on else "", period)
        for dimension, group in demos.get(student_id, {}).items():
            table[(dimension, period)][group_label(dimension, group)].append(score)
    result = []
    for dimension, period in sorted(table, key=lambda k: (DIMENSIONS.index(k[0]), periods[k[1]])):
        cells = [_cell(group, values) for group, values in sorted(table[(dimension, period)].items())]
        label = str(DIMENSION_LABELS[dimension])
        result.append(Breakdown(label, period, cells, _gap([c.mean for c in cells])))
    return result


def assessments_of(district: District) -> list[str]:
    rows = (
        OutsideScore.objects.filter(district=district)
        .values_list("assessment", flat=True)
        .order_by()
        .distinct()
    )
    return sorted(rows)
