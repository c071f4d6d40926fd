"""Measures per student, so a goal's figure can be broken down by student group (equity).

A measure that is a mean or a share over students has a per-student form here: ``values(district, on,
params) -> {student id: value}`` whose mean over a set of students is the measure over them (a share is
each student's 100 or 0). The district's figure for a group is then the mean over the group's students.
Fidelity indicators (per class or teacher) and survey scales (anonymous) have no per-student form: they are
not broken down by student group, and the equity page says so.

The daily rollup (``cairn.leaders.rollups``) stores each group's figure as ``GroupValue`` rows; groups of
fewer than ``MIN_GROUP`` students are stored suppressed (no value).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Count, Q

from cairn.accounts.models import District, Enrolment, Role, RoleAssignment, School, Section
from cairn.agency.models import WeeklyGoal
from cairn.assessments.models import Administration
from cairn.curriculum.models import CourseCompetency
from cairn.leaders.measures import _params_int, _week, students_of
from cairn.leaders.models import Demographics, Goal, GroupValue, OutsideScore
from cairn.learning.models import Attempt, Progress

MIN_GROUP = 10
PerStudent = Callable[[District, dt.date, Mapping[str, Any]], dict[int, float]]
# dimension key -> Demographics field; flags give "yes"/"no" groups, texts their own value
FLAG_DIMENSIONS = ("frl", "ell", "iep", "plan504")
TEXT_DIMENSIONS = ("race_ethnicity", "gender")
DIMENSIONS = (*FLAG_DIMENSIONS, *TEXT_DIMENSIONS)


def _all_students(district: District, value: float) -> dict[int, float]:
    return dict.fromkeys(students_of(district, None).values_list("pk", flat=True), value)


def mastery(district: District, on: dt.date, params: Mapping[str, Any]) -> dict[int, float]:
    """100 for a student enrolled on ``on`` who mastered at least the threshold of the course, else 0."""
    course_id = _params_int(params, "course_id")
    threshold = float(params.get("threshold") or 0.8)
    sections = Section.objects.filter(school__district=district)
    if course_id is not None:
        sections = sections.filter(course_id=course_id)
    enrolled = Enrolment.objects.current(on).filter(kind=Enrolment.Kind.STUDENT, section__in=sections)
    found = dict.fromkeys(enrolled.values_list("user_id", flat=True), 0.0)
    progress = Progress.objects.filter(student_id__in=list(found))
    total = 0
    if course_id is not None:
        course = CourseCompetency.objects.filter(course_id=course_id)
        total = course.count()
        progress = progress.filter(competency_id__in=course.values("competency_id"))
    rows = progress.values("student_id").annotate(
        mastered=Count("pk", filter=Q(status=Progress.Status.MASTERED, mastered_at__date__lte=on)),
        started=Count("pk"),
    )
    for row in rows:
        of = total or row["started"]
        found[row["student_id"]] = 100.0 if of and row["mastered"] / of >= threshold else 0.0
    return found


def growth(district: District, on: dt.date, params: Mapping[str, Any]) -> dict[int, float]:
    """Each student's gain from their first to latest finished diagnostic (two or more sittings)."""
    sittings = Administration.objects.filter(
        status=Administration.Status.FINISHED,
        finished_at__date__lte=on,
        student__in=students_of(district, None),
    )
    diagnostic_id = _params_int(params, "diagnostic_id")
    if diagnostic_id is not None:
        sittings = sittings.filter(diagnostic_id=diagnostic_id)
    thetas: dict[int, list[float]] = defaultdict(list)
    for student_id, theta in sittings.order_by("finished_at", "pk").values_list("student_id", "theta"):
        thetas[student_id].append(theta)
    return {s: t[-1] - t[0] for s, t in thetas.items() if len(t) > 1}


def days_active(district: District, on: dt.date, params: Mapping[str, Any]) -> dict[int, float]:
    found = _all_students(district, 0.0)
    start, end = _week(on)
    days = (
        Attempt.objects.filter(
            student_id__in=list(found), created_at__date__gte=start, created_at__date__lte=end
        )
        .values("student_id")
        .annotate(days=Count("created_at__date", distinct=True))
    )
    found.update({row["student_id"]: float(row["days"]) for row in days})
    return found


def goal_setters(district: District, on: dt.date, params: Mapping[str, Any]) -> dict[int, float]:
    found = _all_students(district, 0.0)
    monday = on - dt.timedelta(days=on.weekday())
    setters = WeeklyGoal.objects.filter(student_id__in=list(found), week_start=monday)
    found.update(dict.fromkeys(setters.values_list("student_id", flat=True), 100.0))
    return found


def outside_scores(district: District, on: dt.date, params: Mapping[str, Any]) -> dict[int, float]:
    assessment = str(params.get("assessment") or "").strip()
    rows = OutsideScore.objects.filter(district=district, assessment=assessment)
    period = str(params.get("period") or "").strip()
    rows = rows.filter(period=period) if period else rows.exclude(on__gt=on)
    return dict(rows.order_by("on", "pk").values_list("student_id", "score"))  # later rows win


def outside_proficient(district: District, on: dt.date, params: Mapping[str, Any]) -> dict[int, float]:
    try:
        cut = float(params.get("cut_score") or "")
    except (TypeError, ValueError):
        return {}
    return {s: 100.0 if v >= cut else 0.0 for s, v in outside_scores(district, on, params).items()}


PER_STUDENT: dict[str, PerStudent] = {
    "mastery_rate": mastery,
    "diagnostic_growth": growth,
    "active_days": days_active,
    "goals_set": goal_setters,
    "outside_score_mean": outside_scores,
    "outside_score_proficient": outside_proficient,
}


def breakable(measure_key: str) -> bool:
    return measure_key in PER_STUDENT


def groups_of(demo: Demographics) -> dict[str, str]:
    """dimension -> the student's group in it (unknown: left out of that dimension)."""
    found = {}
    for field in FLAG_DIMENSIONS:
        value = getattr(demo, field)
        if value is not None:
            found[field] = "yes" if value else "no"
    for field in TEXT_DIMENSIONS:
        if getattr(demo, field):
            found[field] = getattr(demo, field)
    return found


def group_values(
    goal: Goal, district: District, schools: list[School | None], on: dt.date
) -> list[GroupValue]:
    """The goal's figure for each group of each dimension, for the district (None) and each school."""
    per_student = PER_STUDENT.get(goal.measure_key)
    if per_student is None:
        return []
    values = per_student(district, on, goal.measure_params)
    demos = {d.student_id: groups_of(d) for d in Demographics.objects.filter(student_id__in=list(values))}
    school_of = dict(
        RoleAssignment.objects.filter(
            role=Role.STUDENT, school__district=district, user_id__in=list(values)
        ).values_list("user_id", "school_id")
    )
    buckets: dict[tuple[int | None, str, str], list[float]] = defaultdict(list)
    wanted = {s.pk if s else None for s in schools}
    for student_id, value in values.items():
        for dimension, group in demos.get(student_id, {}).items():
            for place in {None, school_of.get(student_id)} & wanted:
                buckets[(place, dimension, group)].append(value)
    return [
        GroupValue(
            goal=goal,
            school_id=place,
            on=on,
            dimension=dimension,
            group=group,
            value=sum(v) / len(v) if len(v) >= MIN_GROUP else None,
            n=len(v),
        )
        for (place, dimension, group), v in sorted(buckets.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1:]))
    ]
