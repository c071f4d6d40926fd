"""Equity: an outside test's mean score broken down by the groups a district must watch (lunch program,
English learners, IEP or 504 plan, race and ethnicity, gender), window by window so gaps show over time.
A group of fewer than 10 students is suppressed ("fewer than 10"), and so is a gap that needs it. For
leaders only (demographics are never shown to teachers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cairn.accounts.models import District, School
from cairn.leaders.measures import students_of
from cairn.leaders.models import Demographics, OutsideScore

MIN_GROUP = 10
FLAGS = {
    "frl": "Free or reduced lunch",
    "ell": "English learners",
    "iep": "IEP",
    "plan504": "504 plan",
}
TEXTS = {"race_ethnicity": "Race and ethnicity", "gender": "Gender"}


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


def _groups(demo: Demographics) -> dict[str, str]:
    """dimension -> the student's group in it (unknown: left out of that dimension)."""
    found = {}
    for field, label in FLAGS.items():
        value = getattr(demo, field)
        if value is not None:
            found[label] = label if value else f"Not {label[0].lower()}{label[1:]}"
    for field, label in TEXTS.items():
        if getattr(demo, field):
            found[label] = getattr(demo, field)
    return found


def _cell(group: str, scores: list[float]) -> Cell:
    n = len(scores)
    return Cell(group, n, sum(scores) / n if n >= MIN_GROUP else None)


def breakdown(district: District, school: School | None, assessment: str) -> list[Breakdown]:
    """Per dimension and window (in order of date, then name): each group's mean score on the test."""
    students = students_of(district, school)
    demos = {d.student_id: _groups(d) for d in Demographics.objects.filter(student__in=students)}
    scores = OutsideScore.objects.filter(district=district, assessment=assessment, student__in=students)
    table: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    periods: dict[str, tuple[str, str]] = {}
    for student_id, period, on, score in scores.values_list("student_id", "period", "on", "score"):
        periods[period] = (on.isoformat() if on else "", period)
        for dimension, group in demos.get(student_id, {}).items():
            table[(dimension, period)][group].append(score)
    order = [*FLAGS.values(), *TEXTS.values()]
    result = []
    for dimension, period in sorted(table, key=lambda k: (order.index(k[0]), periods[k[1]])):
        cells = [_cell(group, values) for group, values in sorted(table[(dimension, period)].items())]
        shown = [c.mean for c in cells if c.mean is not None]
        result.append(
            Breakdown(dimension, period, cells, max(shown) - min(shown) if len(shown) > 1 else None)
        )
    return result


def assessments_of(district: District) -> list[str]:
    rows = OutsideScore.objects.filter(district=district).values_list("assessment", flat=True).distinct()
    return sorted(rows)
