"""Evidence of effect: did students in the program grow more than a comparison group?

The outcome is an outside test (assessment + window) with a baseline test before it; growth is outcome
minus baseline. The treatment group is the students of the program's schools (``ProgramSchool``; for a
principal, their school's). The comparison is one the district picks:

- ``not_in_program``: students of the district's schools not yet in the program, same tests and windows;
- ``matched``: of those, one per treated student, matched on the baseline (nearest neighbour, without
  replacement: ``cairn.engine.program.match_on_baseline``);
- ``last_year``: last year's cohort: students who took the same tests (so the same grade) in last year's
  windows, named by the leader.

Both groups' figures come from ``cairn.engine.program``: Hedges' g on growth and the outcome difference
adjusted for the baseline by regression (ANCOVA), each with its 95% interval and the n. None of these is a
randomized trial, and the page says so.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from scipy import stats

from cairn.accounts.models import District, Role, RoleAssignment, School, User
from cairn.core.errors import Invalid
from cairn.engine.program import (
    AdjustedEffect,
    EffectSize,
    NotEnoughData,
    adjusted_difference,
    effect_size,
    match_on_baseline,
)
from cairn.leaders.models import OutsideScore, ProgramSchool

COMPARISONS = {
    "not_in_program": "students in the district's schools not yet in the program, on the same tests",
    "matched": "students in schools not yet in the program, each matched to a program student on the "
    "baseline score (nearest neighbour)",
    "last_year": "last year's cohort: students who took the same tests (so the same grade) in last year's "
    "windows",
}
NOT_RANDOMIZED = (
    "This is not a randomized trial: students were not assigned to the program by chance, so other "
    "differences between the groups may explain part of the difference. Adjusting for the baseline helps, "
    "but does not remove them."
)


@dataclass(frozen=True)
class Test:
    assessment: str
    period: str

    def __str__(self) -> str:
        return f"{self.assessment} ({self.period})"


@dataclass(frozen=True)
class Group:
    label: str
    n: int
    baseline_mean: float
    outcome_mean: float
    growth_mean: float
    growth_low: float  # 95% interval of the mean growth
    growth_high: float


@dataclass(frozen=True)
class Evidence:
    comparison: str
    described: str
    caveat: str
    baseline: Test
    outcome: Test
    treatment: Group
    control: Group
    growth: EffectSize
    adjusted: AdjustedEffect


def scores_by_student(
    district: District, students: QuerySet[User], baseline: Test, outcome: Test
) -> dict[int, tuple[float, float]]:
    """student id -> (baseline, outcome) for the students (a queryset of users) who have both."""
    rows = OutsideScore.objects.filter(district=district, student__in=students)

    def one(test: Test) -> dict[int, float]:
        found = rows.filter(assessment=test.assessment, period=test.period)
        return dict(found.values_list("student_id", "score"))

    before, after = one(baseline), one(outcome)
    return {s: (before[s], after[s]) for s in before.keys() & after.keys()}


def _group(label: str, pairs: list[tuple[float, float]]) -> Group:
    base = np.array([b for b, _ in pairs])
    out = np.array([o for _, o in pairs])
    growth = out - base
    n = len(pairs)
    half = stats.t.ppf(0.975, n - 1) * growth.std(ddof=1) / math.sqrt(n) if n > 1 else float("nan")
    mean = float(growth.mean())
    return Group(label, n, float(base.mean()), float(out.mean()), mean, mean - half, mean + half)


def _students_at(school_ids: set[int]) -> QuerySet[User]:
    ids = RoleAssignment.objects.filter(role=Role.STUDENT, school_id__in=school_ids).values("user_id")
    return User.objects.filter(pk__in=ids)


def _program_ids(district: District) -> set[int]:
    return set(ProgramSchool.objects.filter(school__district=district).values_list("school_id", flat=True))


def evidence(
    *,
    district: District,
    school: School | None,
    baseline: Test,
    outcome: Test,
    comparison: str,
    last_year: tuple[Test, Test] | None = None,
) -> Evidence:
    """The evidence for the program's students (of ``school`` when given) against the comparison; raises
    ``NotEnoughData`` when a group has too few students with both scores."""
    if comparison not in COMPARISONS:
        raise Invalid("Pick a comparison group.", field="comparison")
    in_program = _program_ids(district)
    district_ids = set(district.schools.values_list("pk", flat=True))
    treated_ids = in_program & ({school.pk} if school is not None else district_ids)
    treated = scores_by_student(district, _students_at(treated_ids), baseline, outcome)
    if comparison == "last_year":
        if last_year is None:
            raise Invalid("Name last year's baseline and outcome windows.", field="last_year")
        others = _students_at(district_ids).exclude(pk__in=list(treated))
        control = scores_by_student(district, others, *last_year)
    else:
        outside = _students_at(district_ids - in_program).exclude(pk__in=_students_at(in_program))
        control = scores_by_student(district, outside, baseline, outcome)
    t_pairs, c_pairs = list(treated.values()), list(control.values())
    if comparison == "matched":
        matches = match_on_baseline([b for b, _ in t_pairs], [b for b, _ in c_pairs])
        t_pairs, c_pairs = [t_pairs[i] for i, _ in matches], [c_pairs[j] for _, j in matches]
    if len(t_pairs) < 2 or len(c_pairs) < 2:
        raise NotEnoughData(
            f"each group needs at least 2 students with both scores (program: {len(t_pairs)}, "
            f"comparison: {len(c_pairs)})"
        )
    return _compute(comparison, baseline, outcome, t_pairs, c_pairs)


def _compute(
    comparison: str,
    baseline: Test,
    outcome: Test,
    t_pairs: list[tuple[float, float]],
    c_pairs: list[tuple[float, float]],
) -> Evidence:
    growth = effect_size([o - b for b, o in t_pairs], [o - b for b, o in c_pairs])
    both = t_pairs + c_pairs
    adjusted = adjusted_difference(
        [o for _, o in both], [b for b, _ in both], [True] * len(t_pairs) + [False] * len(c_pairs)
    )
    return Evidence(
        comparison=comparison,
        described=COMPARISONS[comparison],
        caveat=NOT_RANDOMIZED,
        baseline=baseline,
        outcome=outcome,
        treatment=_group("In the program", t_pairs),
        control=_group("Comparison", c_pairs),
        growth=growth,
        adjusted=adjusted,
    )


def tests_of(district: District) -> list[Test]:
    """Every (assessment, window) the district has scores for, for the page's choices."""
    rows = (
        OutsideScore.objects.filter(district=district)
        .values_list("assessment", "period")
        .order_by()
        .distinct()
    )  # no Meta.ordering: its student column would make every row distinct
    return [Test(a, p) for a, p in sorted(rows)]


@transaction.atomic
def set_program_schools(*, district: District, school_ids: set[int], since: dt.date) -> list[int]:
    """Which of the district's schools are in the program (a district setting): those named join on
    ``since`` (a school already in keeps its date), the others leave. Returns the ids now in."""
    own = set(district.schools.values_list("pk", flat=True))
    if school_ids - own:
        raise Invalid("Pick schools of this district.", field="schools")
    ProgramSchool.objects.filter(school__district=district).exclude(school_id__in=school_ids).delete()
    have = _program_ids(district)
    ProgramSchool.objects.bulk_create(ProgramSchool(school_id=pk, since=since) for pk in school_ids - have)
    return sorted(school_ids)


def program_schools(district: District) -> set[int]:
    return _program_ids(district)
