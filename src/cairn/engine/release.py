"""Competency-based progression and adaptive release: which competencies a student may work on, and why not.

A competency is *ready* when its prerequisites are mastered (or a teacher unlocks it) and every release rule
a teacher attached to it holds. Rules are plain data that read as plain sentences ("Unlocks when 4.NF.A.1
is mastered", "Opens on 2027-01-10"), so the student page can say which rule is holding something back.
A teacher's lock or unlock overrides everything else and is shown as "set by your teacher".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Status(StrEnum):
    MASTERED = "mastered"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    LOCKED = "locked"


@dataclass(frozen=True)
class Facts:
    """What is known about one student when rules are evaluated."""

    mastered: frozenset[str] = frozenset()
    started: frozenset[str] = frozenset()  # competencies with at least one attempt
    completed_activities: frozenset[str] = frozenset()
    today: dt.date = field(default_factory=dt.date.today)
    diagnostic_level: float | None = None  # ability from the latest diagnostic, on its reported scale
    teacher_unlocked: frozenset[str] = frozenset()
    teacher_locked: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WhenMastered:
    kind: Literal["when_mastered"]
    competency: str

    def holds(self, facts: Facts) -> bool:
        return self.competency in facts.mastered

    def describe(self) -> str:
        return f"Unlocks when {self.competency} is mastered"


@dataclass(frozen=True)
class AfterActivity:
    kind: Literal["after_activity"]
    activity: str
    title: str = ""

    def holds(self, facts: Facts) -> bool:
        return self.activity in facts.completed_activities

    def describe(self) -> str:
        return f"Unlocks after the activity “{self.title or self.activity}”"


@dataclass(frozen=True)
class FromDate:
    kind: Literal["from_date"]
    date: dt.date

    def holds(self, facts: Facts) -> bool:
        return facts.today >= self.date

    def describe(self) -> str:
        return f"Opens on {self.date.isoformat()}"


@dataclass(frozen=True)
class DiagnosticAbove:
    kind: Literal["diagnostic_above"]
    level: float

    def holds(self, facts: Facts) -> bool:
        return facts.diagnostic_level is not None and facts.diagnostic_level > self.level

    def describe(self) -> str:
        return f"Unlocks when the diagnostic places you above level {self.level:g}"


Rule = WhenMastered | AfterActivity | FromDate | DiagnosticAbove


def rule_from_dict(data: Mapping[str, object]) -> Rule:
    """Build a rule from stored JSON; a bad rule names what is wrong."""
    kind = data.get("kind")
    try:
        if kind == "when_mastered":
            return WhenMastered("when_mastered", str(data["competency"]))
        if kind == "after_activity":
            return AfterActivity("after_activity", str(data["activity"]), str(data.get("title", "")))
        if kind == "from_date":
            return FromDate("from_date", dt.date.fromisoformat(str(data["date"])))
        if kind == "diagnostic_above":
            return DiagnosticAbove("diagnostic_above", float(data["level"]))  # type: ignore[arg-type]
    except KeyError as exc:
        raise ValueError(f"release rule of kind {kind!r} needs the field {exc.args[0]!r}") from exc
    except ValueError as exc:
        raise ValueError(f"release rule of kind {kind!r}: {exc}") from exc
    raise ValueError(
        f"unknown release rule kind {kind!r} "
        "(expected when_mastered, after_activity, from_date or diagnostic_above)"
    )


def rule_to_dict(rule: Rule) -> dict[str, object]:
    if isinstance(rule, WhenMastered):
        return {"kind": rule.kind, "competency": rule.competency}
    if isinstance(rule, AfterActivity):
        return {"kind": rule.kind, "activity": rule.activity, "title": rule.title}
    if isinstance(rule, FromDate):
        return {"kind": rule.kind, "date": rule.date.isoformat()}
    return {"kind": rule.kind, "level": rule.level}


@dataclass(frozen=True)
class CompetencyState:
    code: str
    status: Status
    reasons: tuple[str, ...] = ()  # why it is locked, in plain words; or what unlocked it
    set_by_teacher: bool = False
    # The same reasons as data, so a page can name competencies its own way (a student reads no codes).
    waiting_on: tuple[str, ...] = ()  # prerequisites not yet mastered
    unmet_rules: tuple[Rule, ...] = ()


def evaluate(
    competencies: Iterable[str],
    prerequisites: Mapping[str, Sequence[str]],
    rules: Mapping[str, Sequence[Rule]],
    facts: Facts,
) -> dict[str, CompetencyState]:
    """The state of every competency for one student, with the reasons for each lock."""
    states: dict[str, CompetencyState] = {}
    for code in competencies:
        if code in facts.mastered:
            states[code] = CompetencyState(code, Status.MASTERED)
            continue
        if code in facts.teacher_locked:
            states[code] = CompetencyState(
                code, Status.LOCKED, ("Locked by your teacher",), set_by_teacher=True
            )
            continue
        if code in facts.teacher_unlocked:
            status = Status.IN_PROGRESS if code in facts.started else Status.READY
            states[code] = CompetencyState(code, status, ("Unlocked by your teacher",), set_by_teacher=True)
            continue
        waiting_on = tuple(pre for pre in prerequisites.get(code, ()) if pre not in facts.mastered)
        unmet = tuple(rule for rule in rules.get(code, ()) if not rule.holds(facts))
        reasons = [f"Needs {pre} first" for pre in waiting_on] + [rule.describe() for rule in unmet]
        if reasons:
            states[code] = CompetencyState(code, Status.LOCKED, tuple(reasons), False, waiting_on, unmet)
        else:
            status = Status.IN_PROGRESS if code in facts.started else Status.READY
            states[code] = CompetencyState(code, status)
    return states


Decision = Literal["mastered", "check", "continue"]
METHODS = ("check", "posterior")


@dataclass(frozen=True)
class MasteryRule:
    """A district's definition of mastery, applied after every practice answer (:meth:`decide`).

    ``method="check"`` (the default): the learner model's estimate reaches ``threshold``, then the student
    passes a short "show what you know" check of ``check_items`` items with ``check_to_pass`` right (the
    check guards against a model that is too quick to believe); ``check_items=0`` masters on the estimate.

    ``method="posterior"``: stop when they know it. The estimate is the model's P(known) after every answer
    (check answers included), and the competency is mastered as soon as it reaches ``threshold``: one more
    item is worth giving only while the expected cost of moving on without knowing, (1 − P(known)) × the
    cost of a false mastery, exceeds the cost of the item, so the threshold is 1 − cost of an item ÷ cost of
    a false mastery (0.99: a false mastery costs 100 items). For a calibrated two-state model this is the
    optimal stopping rule (the belief is all there is to know); extra check items only repeat evidence the
    estimate already holds. It trusts the model: on learners unlike the fitted ones it masters too early
    (``BENCHMARKS.md``, Sequencing), so a district uses it with a model refitted on its own students.
    """

    threshold: float = 0.95
    check_items: int = 3
    check_to_pass: int = 3
    method: str = "check"

    def __post_init__(self) -> None:
        if not 0.5 <= self.threshold < 1:
            raise ValueError("the mastery threshold must be between 0.5 and 1")
        if not 0 <= self.check_to_pass <= self.check_items:
            raise ValueError("check_to_pass must be between 0 and check_items")
        if self.method not in METHODS:
            raise ValueError(f"the mastery method must be one of {', '.join(METHODS)}")

    @property
    def uses_check(self) -> bool:
        """Whether reaching the threshold starts a "show what you know" check."""
        return self.method == "check" and self.check_items > 0

    def decide(self, estimate: float) -> Decision:
        """What a practice answer leading to ``estimate`` (the model's P(known) after it) means: mastered,
        a check to start, or more practice. Answers inside a check are decided by :meth:`check_outcome`."""
        if estimate < self.threshold:
            return "continue"
        return "check" if self.uses_check else "mastered"

    def check_outcome(self, answers: Sequence[bool]) -> Literal["pass", "fail", "continue"]:
        """Decide a check as soon as its outcome is certain."""
        right = sum(answers)
        wrong = len(answers) - right
        if right >= self.check_to_pass:
            return "pass"
        if wrong > self.check_items - self.check_to_pass:
            return "fail"
        return "continue"
