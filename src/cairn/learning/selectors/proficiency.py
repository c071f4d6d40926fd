"""The district's proficiency scale: the grade a competency gets in a grade book, a SIS or an LMS.

Standards-based grading reports each competency on a short scale (0–4 is common). A district sets its own
levels (:func:`cairn.learning.services.proficiency.set_scale`); a district without one uses ``DEFAULT``, the
scale Cairn always exported. Each level but the top is reached when the learner model's mastery estimate
reaches its ``minimum``; the top level is "mastered", which the district's mastery policy decides (the
estimate and the check), never the estimate alone. A competency not started has no level (a blank, no
score sent).

Every export and score uses this one rule: the grade-book CSV (``cairn.insights.gradebook``), the OneRoster
gradebook (``cairn.insights.oneroster_gradebook``) and LTI scores to an LMS (``cairn.lti.ags``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cairn.accounts.models import District, Section
from cairn.learning.models import ProficiencyScale


@dataclass(frozen=True)
class Level:
    score: float
    label: str
    minimum: float | None  # the estimate that reaches it; None for the mastered level (the policy decides)

    @property
    def text(self) -> str:
        """The score as a grade book writes it: ``3``, not ``3.0``."""
        return f"{self.score:g}"

    @property
    def mastered(self) -> bool:
        return self.minimum is None


@dataclass(frozen=True)
class Scale:
    levels: tuple[Level, ...]  # ascending; the last is the mastered level

    @property
    def top(self) -> Level:
        return self.levels[-1]

    @property
    def lowest(self) -> float:
        return self.levels[0].score

    @property
    def highest(self) -> float:
        return self.top.score

    def level(self, *, mastered: bool, attempts: int, estimate: float) -> Level | None:
        """The level of one competency: the top when mastered, none before the first answer, else the
        highest level whose minimum the estimate reaches."""
        if mastered:
            return self.top
        if attempts == 0:
            return None
        reached = [lvl for lvl in self.levels[:-1] if lvl.minimum is not None and estimate >= lvl.minimum]
        return reached[-1] if reached else self.levels[0]

    @property
    def help(self) -> str:
        """The scale in one line, for the pages that offer an export."""
        words = []
        for lvl in reversed(self.levels):
            when = (
                "mastered" if lvl.mastered else f"mastery ≥ {lvl.minimum:.0%}" if lvl.minimum else "started"
            )
            words.append(f"{lvl.text} {lvl.label} ({when})")
        return " · ".join([*words, "blank not started"])

    def as_rows(self) -> list[dict[str, Any]]:
        """The levels as stored (JSON)."""
        return [{"min": lvl.minimum, "score": lvl.score, "label": lvl.label} for lvl in self.levels]


DEFAULT = Scale(
    (
        Level(1, "Beginning", 0.0),
        Level(2, "Developing", 0.5),
        Level(3, "Approaching mastery", 0.8),
        Level(4, "Mastered", None),
    )
)


def from_rows(rows: list[dict[str, Any]]) -> Scale:
    """A scale from its stored levels (validated when they were set)."""
    return Scale(
        tuple(
            Level(float(r["score"]), str(r["label"]), None if r.get("min") is None else float(r["min"]))
            for r in rows
        )
    )


def for_district(district: District | int) -> Scale:
    district_id = district if isinstance(district, int) else district.pk
    row = ProficiencyScale.objects.filter(district_id=district_id).first()
    return from_rows(row.levels) if row and row.levels else DEFAULT


def for_section(section: Section) -> Scale:
    return for_district(section.school.district_id)
