"""On or off track, read from stored figures: each goal's trajectory per school against its target line
(``cairn.engine.trajectory``), the reason in data, and at most five actions for this week.

Reads only ``MeasureValue`` rows (and, for an action about small groups, the one class to visit), so the
leaders' home pages stay fast on a large district."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cairn.accounts.models import District, Enrolment, School, Section
from cairn.engine.trajectory import Trajectory, project
from cairn.leaders import measures
from cairn.leaders.models import Goal, MeasureValue, SchoolTarget

MAX_ACTIONS = 5
UNIT_SUFFIX = {"percent": "%", "per_week": " a week", "days": " days", "logits": " logits"}


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    number = f"{value:.0f}" if unit == "percent" or abs(value) >= 10 else f"{value:.1f}"
    return number + UNIT_SUFFIX.get(unit, "")


@dataclass(frozen=True)
class Cell:
    goal: Goal
    school: School | None
    target: float
    trajectory: Trajectory
    points: list[tuple[dt.date, float]]
    n: int
    unit: str

    @property
    def status(self) -> str:
        return {True: "on", False: "off", None: "none"}[self.trajectory.on_track]

    @property
    def reason(self) -> str:
        """Why, in figures: where the projection lands against the target, and where it stands today."""
        t = self.trajectory
        if t.projected is None:
            return _("No figures yet.")
        return _(
            "Projected %(projected)s by %(by)s against a target of %(target)s; "
            "now %(now)s where the line says %(expected)s (n = %(n)s, %(points)s figures)."
        ) % {
            "projected": fmt(t.projected, self.unit),
            "by": date_format(self.goal.target_date, "j M Y"),
            "target": fmt(self.target, self.unit),
            "now": fmt(t.latest, self.unit),
            "expected": fmt(t.expected_today, self.unit),
            "n": self.n,
            "points": t.n_points,
        }


@dataclass
class Board:
    district: District
    goals: list[Goal]
    district_row: list[Cell]
    rows: list[tuple[School, list[Cell]]] = field(default_factory=list)

    @property
    def off_track(self) -> list[Cell]:
        return [c for _, cells in self.rows for c in cells if c.status == "off"]


def _cell(
    goal: Goal,
    school: School | None,
    points: list[tuple[dt.date, float]],
    n: int,
    target: float,
    today: dt.date,
) -> Cell:
    measure = measures.get(goal.measure_key)
    higher = measure.higher_is_better if measure else True
    trajectory = project(
        points,
        baseline=goal.baseline,
        target=target,
        start=goal.start_date,
        target_date=goal.target_date,
        today=today,
        higher_is_better=higher,
    )
    return Cell(goal, school, target, trajectory, points, n, measure.unit if measure else "")


def _weekly(goals: list[Goal], today: dt.date) -> list[dt.date]:
    """Today and the same weekday of every week back to the earliest goal's start."""
    if not goals:
        return []
    weeks = (today - min(g.start_date for g in goals)).days // 7
    return [today - dt.timedelta(weeks=k) for k in range(max(weeks, 0) + 1)]


def board(district: District, schools: Iterable[School], today: dt.date, *, weekly: bool = False) -> Board:
    """Schools × goals from the stored figures (one query for the figures, one for the targets). ``weekly``
    reads one figure a week (the same weekday as today): the straight line through them is the same to a
    leader's eye and a district of fifty schools reads a seventh of the rows."""
    schools = list(schools)
    goals = list(Goal.objects.filter(district=district, active=True).order_by("target_date", "pk"))
    school_ids = [s.pk for s in schools]
    series: dict[tuple[int, int | None], list[tuple[dt.date, float]]] = defaultdict(list)
    last_n: dict[tuple[int, int | None], int] = {}
    stored = MeasureValue.objects.filter(goal__in=goals, on__lte=today, value__isnull=False)
    if weekly:
        stored = stored.filter(on__in=_weekly(goals, today))
    rows = (
        stored.filter(Q(school_id__in=school_ids) | Q(school__isnull=True))
        .order_by("on")
        .values_list("goal_id", "school_id", "on", "value", "n")
    )
    for goal_id, school_id, on, value, n in rows:
        series[(goal_id, school_id)].append((on, float(value or 0.0)))
        last_n[(goal_id, school_id)] = n
    targets: dict[tuple[int, int | None], float] = {
        (t.goal_id, t.school_id): t.target
        for t in SchoolTarget.objects.filter(goal__in=goals, school_id__in=school_ids)
    }

    def cell(goal: Goal, school: School | None) -> Cell:
        key = (goal.pk, school.pk if school else None)
        target = targets.get(key, goal.target) if school else goal.target
        return _cell(goal, school, series.get(key, []), last_n.get(key, 0), target, today)

    result = Board(district, goals, [cell(g, None) for g in goals])
    result.rows = [(s, [cell(g, s) for g in goals]) for s in schools]
    return result


# --- actions for this week -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    school: School
    text: str
    goal: Goal


def _gap(cell: Cell) -> float:
    """How far behind the line, as a share of the whole planned change (bigger is worse)."""
    t = cell.trajectory
    span = abs(cell.target - cell.goal.baseline) or 1.0
    if t.latest is None:
        return 0.0
    behind = t.expected_today - t.latest
    return (behind if cell.target >= cell.goal.baseline else -behind) / span


def _classes_to_visit(schools: list[School], today: dt.date) -> dict[int, str]:
    """For each school, the class that pulled the fewest small groups in the last two weeks, with its
    teacher: the one a leader could visit (two queries for all the schools)."""
    if not schools:
        return {}
    since = today - dt.timedelta(days=13)
    sections = (
        Section.objects.filter(school__in=schools, active=True, term_start__lte=today, term_end__gte=today)
        .annotate(
            pulled=Count(
                "small_groups",
                filter=Q(small_groups__for_date__gte=since, small_groups__done_at__isnull=False),
            )
        )
        .order_by("pulled", "name")
        .values_list("pk", "school_id", "name")
    )
    fewest: dict[int, tuple[int, str]] = {}
    for pk, school_id, name in sections:
        fewest.setdefault(school_id, (pk, name))
    teachers = {
        e.section_id: e.user.get_full_name() or e.user.username
        for e in Enrolment.objects.current(today)
        .filter(section_id__in=[pk for pk, _ in fewest.values()], kind=Enrolment.Kind.TEACHER)
        .select_related("user")
    }
    return {
        school_id: f" — visit {teachers[pk] + chr(39) + 's ' if pk in teachers else ''}class {name}"
        for school_id, (pk, name) in fewest.items()
    }


def _action_text(cell: Cell, visits: dict[int, str]) -> str:
    assert cell.school is not None
    measure = measures.get(cell.goal.measure_key)
    label = measure.label if measure else cell.goal.title
    t = cell.trajectory
    text = _("%(school)s: %(measure)s at %(now)s, where the line says %(expected)s by now") % {
        "school": cell.school.name,
        "measure": str(label).lower(),
        "now": fmt(t.latest, cell.unit),
        "expected": fmt(t.expected_today, cell.unit),
    }
    if cell.goal.measure_key == "small_groups_per_week":
        return text + visits.get(cell.school.pk, "")
    return text + (f" — {measure.advice}" if measure and measure.advice else "")


def actions(result: Board, today: dt.date) -> list[Action]:
    """At most five actions for this week: the off-track schools furthest behind their target line first."""
    worst = [c for c in sorted(result.off_track, key=_gap, reverse=True) if c.school is not None][
        :MAX_ACTIONS
    ]
    groups = [
        c.school for c in worst if c.school is not None and c.goal.measure_key == "small_groups_per_week"
    ]
    visits = _classes_to_visit(groups, today)
    return [Action(c.school, _action_text(c, visits), c.goal) for c in worst if c.school is not None]
