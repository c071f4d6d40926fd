"""The grade-book export's rule and rows: mastery by standard, read from the stored state.

Two layouts: ``wide``, one row per student with a level per standard on the district's proficiency scale
(:mod:`cairn.learning.selectors.proficiency`, 0–4 by default: what a grade book imports), and ``long``, one
row per student and standard with status, mastery, confidence, answers and level. Rows are plain values;
the view writes them
through ``cairn.core.spreadsheet``, which makes every cell (headers and codes too) safe from formulas.
"""

from __future__ import annotations

from collections.abc import Iterator

from cairn.engine.release import Status
from cairn.insights.state import Cell, ClassState
from cairn.learning.models import PathOverride
from cairn.learning.selectors.proficiency import Level, Scale

LAYOUTS = ("wide", "long")
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


def level(cell: Cell, scale: Scale) -> Level | None:
    """The cell's level on ``scale`` from the stored state (a skipped competency is not a mastered one)."""
    mastered = cell.status == Status.MASTERED and cell.teacher_action != PathOverride.Action.SKIP
    return scale.level(mastered=mastered, attempts=cell.attempts, estimate=cell.mastery)


def proficiency(cell: Cell, scale: Scale) -> str:
    """The grade-book score of a cell on ``scale`` ("" when not started)."""
    found = level(cell, scale)
    return found.text if found else ""


def rows(state: ClassState, layout: str, scale: Scale) -> Iterator[Row]:
    """The export's rows, header first, in ``layout`` (one of LAYOUTS)."""
    return wide_rows(state, scale) if layout == "wide" else long_rows(state, scale)


def wide_rows(state: ClassState, scale: Scale) -> Iterator[Row]:
    yield [*WIDE_HEADER, *[c.code for c in state.competencies]]
    for s in state.students:
        yield [
            s.pk,
            s.username,
            s.last_name,
            s.first_name,
            state.summaries[s.pk].mastered,
            *[proficiency(state.cell(s.pk, c.pk), scale) for c in state.competencies],
        ]


def long_rows(state: ClassState, scale: Scale) -> Iterator[Row]:
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
                proficiency(cell, scale),
            ]
