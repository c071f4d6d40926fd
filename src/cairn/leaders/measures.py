"""The measures a goal can name: a registry of figures Cairn computes for a district or one of its schools
on a day. Other parts of the leaders' work (outside scores, survey scales, fidelity indicators) register
theirs with :func:`register` from a module imported in ``LeadersConfig.ready()``.

A measure's ``compute(district, school, on, params)`` reads (never writes) and returns ``Value(value, n)``:
the figure (``None`` when there is no data) and how many students (or sections) it is over. ``school`` None
means the whole district. Pages never call it; the daily rollup (``cairn.leaders.rollups``) stores figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet

from cairn.accounts.models import District, Enrolment, Role, RoleAssignment, School, Section, User
from cairn.agency.models import WeeklyGoal
from cairn.assessments.models import Administration
from cairn.curriculum.models import CourseCompetency
from cairn.insights.models import SmallGroup
from cairn.learning.models import Attempt, Progress


class Value(NamedTuple):
    value: float | None
    n: int


Compute = Callable[[District, School | None, dt.date, Mapping[str, Any]], "Value | tuple[float | None, int]"]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # "percent" (0..100) | "points" | "count" | "per_week" | "days" | "logits"
    compute: Compute
    params: tuple[str, ...] = ()
    higher_is_better: bool = True
    help: str = ""
    advice: str = ""  # what a leader could do this week when a school is off track on it

    def value(
        self, district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
    ) -> Value:
        return Value(*self.compute(district, school, on, params))


_REGISTRY: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    """Add a measure (a key registered twice is replaced: a module reloaded in tests re-registers)."""
    _REGISTRY[measure.key] = measure
    return measure


def get(key: str) -> Measure | None:
    return _REGISTRY.get(key)


def all_measures() -> list[Measure]:
    return sorted(_REGISTRY.values(), key=lambda m: m.label)


def choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in all_measures()]


# --- who is counted -------------------------------------------------------------------------------------


def schools_of(district: District, school: School | None) -> QuerySet[School]:
    if school is not None:
        return School.objects.filter(pk=school.pk)
    return School.objects.filter(district=district)


def students_of(district: District, school: School | None) -> QuerySet[User]:
    """The students with a student role in the district's (or the one school's) schools."""
    ids = RoleAssignment.objects.filter(role=Role.STUDENT, school__in=schools_of(district, school))
    return User.objects.filter(pk__in=ids.values("user_id"))


def _week(on: dt.date) -> tuple[dt.date, dt.date]:
    return on - dt.timedelta(days=6), on


def _params_int(params: Mapping[str, Any], key: str) -> int | None:
    raw = params.get(key)
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- built-in measures -----------------------------------------------------------------------------------


def mastery_rate(district: District, school: School | None, on: dt.date, params: Mapping[str, Any]) -> Value:
    """Percent of a course's students (enrolled on ``on`` in its sections) who have mastered at least
    ``threshold`` (0..1, default 0.8) of its competencies. Without ``course_id``: of every competency the
    students have started."""
    course_id = _params_int(params, "course_id")
    threshold = float(params.get("threshold") or 0.8)
    sections = Section.objects.filter(school__in=schools_of(district, school))
    if course_id is not None:
        sections = sections.filter(course_id=course_id)
    enrolled = Enrolment.objects.current(on).filter(kind=Enrolment.Kind.STUDENT, section__in=sections)
    student_ids = set(enrolled.values_list("user_id", flat=True))
    if not student_ids:
        return Value(None, 0)
    progress = Progress.objects.filter(student_id__in=student_ids)
    if course_id is not None:
        competency_ids = CourseCompetency.objects.filter(course_id=course_id).values("competency_id")
        total = CourseCompetency.objects.filter(course_id=course_id).count()
        progress = progress.filter(competency_id__in=competency_ids)
    else:
        total = 0
    rows = progress.values("student_id").annotate(
        mastered=Count("pk", filter=Q(status=Progress.Status.MASTERED, mastered_at__date__lte=on)),
        started=Count("pk"),
    )
    counts = {r["student_id"]: (r["mastered"], total or r["started"]) for r in rows}
    reached = sum(1 for m, t in counts.values() if t and m / t >= threshold)
    return Value(100.0 * reached / len(student_ids), len(student_ids))


def diagnostic_growth(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    """Mean gain in ability (logits) from each student's first to latest finished diagnostic sitting, over
    students with two or more sittings by ``on``."""
    sittings = Administration.objects.filter(
        status=Administration.Status.FINISHED,
        finished_at__date__lte=on,
        student__in=students_of(district, school),
    )
    diagnostic_id = _params_int(params, "diagnostic_id")
    if diagnostic_id is not None:
        sittings = sittings.filter(diagnostic_id=diagnostic_id)
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    count: dict[int, int] = {}
    for student_id, theta in sittings.order_by("finished_at", "pk").values_list("student_id", "theta"):
        first.setdefault(student_id, theta)
        last[student_id] = theta
        count[student_id] = count.get(student_id, 0) + 1
    gains = [last[s] - first[s] for s in first if count[s] > 1]
    return Value(sum(gains) / len(gains) if gains else None, len(gains))


def active_days(district: District, school: School | None, on: dt.date, params: Mapping[str, Any]) -> Value:
    """Mean days with at least one answer per student in the week to ``on`` (0..7)."""
    students = students_of(district, school)
    n = students.count()
    if not n:
        return Value(None, 0)
    start, end = _week(on)
    days = (
        Attempt.objects.filter(student__in=students, created_at__date__gte=start, created_at__date__lte=end)
        .values("student_id", "created_at__date")
        .distinct()
        .count()
    )
    return Value(days / n, n)


def goals_set(district: District, school: School | None, on: dt.date, params: Mapping[str, Any]) -> Value:
    """Percent of students who set a goal for the week of ``on``."""
    students = students_of(district, school)
    n = students.count()
    if not n:
        return Value(None, 0)
    monday = on - dt.timedelta(days=on.weekday())
    setters = (
        WeeklyGoal.objects.filter(student__in=students, week_start=monday).values("student_id").distinct()
    )
    return Value(100.0 * setters.count() / n, n)


def small_groups_per_week(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    """Small groups taught (marked done) per active section in the week to ``on``."""
    sections = Section.objects.filter(school__in=schools_of(district, school), active=True)
    sections = sections.filter(term_start__lte=on, term_end__gte=on)
    n = sections.count()
    if not n:
        return Value(None, 0)
    start, end = _week(on)
    pulled = SmallGroup.objects.filter(
        section__in=sections, for_date__gte=start, for_date__lte=end, done_at__isnull=False
    ).count()
    return Value(pulled / n, n)


register(
    Measure(
        "mastery_rate",
        "Students proficient in a course",
        "percent",
        mastery_rate,
        params=("course_id", "threshold"),
        help="Share of the course's students who mastered at least the threshold (default 80%) of its "
        "competencies.",
        advice="look at the class views for the competencies where students are stuck",
    )
)
register(
    Measure(
        "diagnostic_growth",
        "Growth between diagnostic windows",
        "logits",
        diagnostic_growth,
        params=("diagnostic_id",),
        help="Mean gain in ability from each student's first to latest diagnostic.",
    )
)
register(
    Measure(
        "active_days",
        "Active days per student per week",
        "days",
        active_days,
        help="Days with at least one answer in the last seven, per student.",
        advice="check that each class has time for practice on the timetable",
    )
)
register(
    Measure(
        "goals_set",
        "Students who set a weekly goal",
        "percent",
        goals_set,
        help="Students who set a goal for this week, of all the school's students.",
        advice="ask teachers to open the week with goal setting",
    )
)
register(
    Measure(
        "small_groups_per_week",
        "Small groups pulled per class per week",
        "per_week",
        small_groups_per_week,
        help="Small groups a teacher marked taught in the last seven days, per class.",
    )
)
