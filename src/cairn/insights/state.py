"""A section's stored state as plain data: a ``Cell`` per student and competency, a ``StudentSummary`` per
student, and the ``ClassState`` that holds them. ``cairn.insights.selectors.class_state`` reads it from the
database; the class view, Today, groups and the grade book only read these values.

A cell's ``status`` is the path's own vocabulary (``cairn.engine.release.Status``). Its ``state`` is what a
teacher cares about, which adds three ``Concern``s worth seeing apart from in progress: stuck, checking and
skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cairn.accounts.models import Section, User
from cairn.agency.models import VoiceMessage
from cairn.curriculum.models import Competency
from cairn.engine.release import Status
from cairn.learning.models import Alert, PathOverride

# Confidence in a cell's mastery estimate. Few answers mean little evidence, whatever the model says; the
# estimate's SD stored with it comes from the evidence (the learner model's Beta posterior over weighted
# right and wrong answers: about 0.29 with none, 0.2 after two, under 0.13 after five that agree, and
# higher again when answers disagree), so it says how sure the model is once there is evidence.
FEW_ANSWERS = 3
SURE_SD, FAIR_SD = 0.13, 0.2

SKIP = str(PathOverride.Action.SKIP.value)


class Concern(StrEnum):
    """What a teacher should see apart from a cell's path status."""

    STUCK = "stuck"  # in progress and wheel-spinning
    CHECKING = "checking"  # in progress and showing mastery in a check
    SKIPPED = "skipped"  # the teacher took it off the path


SYMBOLS: dict[str, str] = {
    Status.MASTERED: "✓",
    Status.IN_PROGRESS: "…",
    Status.READY: "→",
    Status.LOCKED: "·",
    Concern.STUCK: "!",
    Concern.CHECKING: "?",
    Concern.SKIPPED: "↷",
}


class Cell(NamedTuple):
    """One student on one competency, as the class view draws it. A named tuple: a class has thousands."""

    status: Status
    mastery: float
    uncertainty: float
    attempts: int
    checking: bool = False
    spinning: bool = False
    set_by_teacher: bool = False
    teacher_action: str = ""

    @property
    def confidence(self) -> str:
        if self.attempts == 0:
            return "none"
        if self.attempts < FEW_ANSWERS or self.uncertainty > FAIR_SD:
            return "low"
        return "high" if self.uncertainty <= SURE_SD else "medium"

    @property
    def state(self) -> Status | Concern:
        """The status a teacher cares about: stuck and checking are worth seeing apart from in progress."""
        if self.teacher_action == SKIP:
            return Concern.SKIPPED
        if self.status == Status.IN_PROGRESS and self.spinning:
            return Concern.STUCK
        if self.status == Status.IN_PROGRESS and self.checking:
            return Concern.CHECKING
        return self.status

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def percent(self) -> int:
        return round(self.mastery * 100)

    @property
    def text(self) -> str:
        """What the cell shows: a symbol, and the mastery estimate where there is evidence and it matters
        (not once mastered: the percentage is in the cell's label)."""
        shown = self.attempts and self.state not in (Concern.SKIPPED, Status.MASTERED)
        return f"{self.symbol}{self.percent}" if shown else self.symbol

    @property
    def label(self) -> str:
        """The cell's tooltip, in the reader's language: "in progress, mastery 62% (low confidence, 4
        answers), set by the teacher"."""
        words = str(_STATE_WORDS.get(self.state, self.state.replace("_", " ")))
        if self.attempts:
            words = ngettext(
                "%(state)s, mastery %(percent)d%% (%(confidence)s confidence, %(n)d answer)",
                "%(state)s, mastery %(percent)d%% (%(confidence)s confidence, %(n)d answers)",
                self.attempts,
            ) % {
                "state": words,
                "percent": self.percent,
                "confidence": _CONFIDENCE_WORDS[self.confidence],
                "n": self.attempts,
            }
        if self.set_by_teacher:
            words = _("%(state)s, set by the teacher") % {"state": words}
        return words


NOT_STARTED = Cell(status=Status.LOCKED, mastery=0.0, uncertainty=0.5, attempts=0)


@dataclass
class StudentSummary:
    student: User
    mastered: int = 0
    in_progress: int = 0
    ready: int = 0
    mean_mastery: float = 0.0  # over the competencies they have started
    started: int = 0  # competencies answered on: none, and the mean is no number (shown as a dash, not 0%)
    last_active: dt.datetime | None = None
    stuck: list[str] = field(default_factory=list)  # codes with an open wheel-spinning alert
    mastered_this_week: int = 0


@dataclass
class ClassState:
    section: Section
    today: dt.date
    students: list[User]
    competencies: list[Competency]
    edges: list[tuple[str, str]]
    cells: dict[int, dict[int, Cell]]  # student id -> competency id -> cell
    summaries: dict[int, StudentSummary]
    alerts: list[Alert]  # open ones, newest first
    voice: list[VoiceMessage] = field(default_factory=list)  # students' messages waiting, oldest first

    def cell(self, student_id: int, competency_id: int) -> Cell:
        return self.cells.get(student_id, {}).get(competency_id, NOT_STARTED)

    @property
    def by_code(self) -> dict[str, Competency]:
        return {c.code: c for c in self.competencies}


# A cell's state and confidence in the tooltip, in the reader's language.
_STATE_WORDS = {
    "mastered": gettext_lazy("mastered"),
    "in_progress": gettext_lazy("in progress"),
    "checking": gettext_lazy("showing what they know"),
    "stuck": gettext_lazy("stuck"),
    "ready": gettext_lazy("ready"),
    "locked": gettext_lazy("locked"),
    "skipped": gettext_lazy("skipped"),
}
_CONFIDENCE_WORDS = {
    "none": gettext_lazy("no"),
    "low": gettext_lazy("low"),
    "medium": gettext_lazy("medium"),
    "high": gettext_lazy("high"),
}
