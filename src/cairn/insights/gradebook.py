"""The grade-book export's rule and rows: mastery by standard, read from the stored state.

Two layouts: ``wide``, one row per student with a 0–4 level per standard (standards-based grading's usual
scale, what a grade book imports), and ``long``, one row per student and standard with status, mastery,
confidence, answers and level. Rows are plain values; the view writes them
through ``cairn.core.spreadsheet``, which makes every cell (headers and codes too) safe from formulas.
"""

from __future__ import annotations

from collections.abc import Iterator

from cairn.engine.release import Status
from cairn.insights.state import Cell, ClassState
from cairn.learning.models import PathOverride

LAYOUTS = ("wide", "long")
PROFICIENCY_HELP = "4 mastered · 3 mastery ≥ 80% · 2 ≥ 50% · 1 started · blank not started"
WIDE_HEADER = ["student_id", "username", "last_name", "first_name", "mastered"]
LONG_HEADER = [
    "student_id",
    "username",
    "name",
    "standard",
    "statement",
    "status",
    "mastery",
    "confidence",
    "answers",
    "level",
]

Row = list[object]


def proficiency(cell: Cell) -> str:
    """A 0–4 grade-book level from the stored state (a skipped competency is not a mastered one)."""
    if cell.status == Status.MASTERED and cell.teacher_action != PathOverride.Action.SKIP:
        return "4"
    if cell.attempts == 0:
        return ""
    if cell.mastery >= 0.8:
        return "3"
    return "2" if cell.mastery >= 0.5 else "1"


def rows(state: ClassState, layout: str) -> Iterator[Row]:
    """The export's rows, header first, in ``layout`` (one of LAYOUTS)."""
    return wide_rows(state) if layout == "wide" else long_rows(state)


def wide_rows(state: ClassState) -> Iterator[Row]:
    yield [*WIDE_HEADER, *[c.code for c in state.competencies]]
    for s in state.students:
        yield [
            s.pk,
            s.username,
            s.last_name,
            s.first_name,
            state.summaries[s.pk].mastered,
            *[proficiency(state.cell(s.pk, c.pk)) for c in state.competencies],
        ]


def long_rows(state: ClassState) -> Iterator[Row]:
    yield list(LONG_HEADER)
    for s in state.students:
        for competency in state.competencies:
            cell = state.cell(s.pk, competency.pk)
            yield [
                s.pk,
                s.username,
                s.display_name,
                competency.code,
                competency.statement,
                cell.state,
                f"{cell.mastery:.2f}" if cell.attempts else "",
                cell.confidence,
                cell.attempts,
                proficiency(cell),
            ]
