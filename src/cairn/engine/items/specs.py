"""Item specs and grading: multiple choice, numeric and short-text answers, read from and written to JSON.

Three kinds of item are graded here: multiple choice (one or more correct choices), numeric (exact
fractions, or decimals within a tolerance) and short text (matched after normalization).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from cairn.engine.items.numbers import format_number, in_lowest_terms, normalize_text, parse_number


class SpecError(ValueError):
    """Bad item or template data; ``path`` names the field, e.g. ``params[1].max``."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class ChoiceSpec:
    choices: tuple[Choice, ...]
    correct: frozenset[str]
    kind: Literal["choice"] = "choice"


@dataclass(frozen=True)
class NumericSpec:
    answer: Fraction
    tolerance: Fraction = Fraction(0)
    simplest_form: bool = False  # a fraction answer must be in lowest terms
    kind: Literal["numeric"] = "numeric"


@dataclass(frozen=True)
class TextSpec:
    accepted: tuple[str, ...]
    case_sensitive: bool = False
    kind: Literal["text"] = "text"


ItemSpec = ChoiceSpec | NumericSpec | TextSpec


@dataclass(frozen=True)
class Grade:
    correct: bool
    normalized: str  # the answer as it was compared, for the attempt log
    reason: str = ""  # why not: "unreadable", "not_simplest", "" when correct or simply wrong


def grade(spec: ItemSpec, answer: str | Sequence[str]) -> Grade:
    """Grade one answer. Choice answers are choice ids (one string, or several for multiple-answer)."""
    if isinstance(spec, ChoiceSpec):
        picked = frozenset([answer] if isinstance(answer, str) else answer)
        return Grade(picked == spec.correct, ",".join(sorted(picked)))
    text = answer if isinstance(answer, str) else " ".join(answer)
    if isinstance(spec, NumericSpec):
        value = parse_number(text)
        if value is None:
            return Grade(False, text.strip(), "unreadable")
        if spec.simplest_form and not in_lowest_terms(text):
            return Grade(False, format_number(value), "not_simplest")
        close = abs(value - spec.answer) <= spec.tolerance
        return Grade(close, format_number(value))
    given = " ".join(text.split()) if spec.case_sensitive else normalize_text(text)
    accepted = {(" ".join(a.split()) if spec.case_sensitive else normalize_text(a)) for a in spec.accepted}
    return Grade(given in accepted, given)


def required(data: Mapping[str, Any], key: str, path: str) -> Any:
    """``data[key]``, refusing a missing or empty value with the field's path (templates read fields too)."""
    if key not in data or data[key] in (None, ""):
        raise SpecError(f"{path}{key}", "missing")
    return data[key]


def read_fraction(value: Any, path: str) -> Fraction:
    """A number from JSON data (a number, or text as a student types it), exactly; else a SpecError."""
    if isinstance(value, bool):
        raise SpecError(path, "not a number")
    if isinstance(value, int | float):
        return Fraction(str(value))
    if isinstance(value, str) and (parsed := parse_number(value)) is not None:
        return parsed
    raise SpecError(path, f"not a number: {value!r}")


def spec_from_dict(data: Mapping[str, Any], path: str = "") -> ItemSpec:
    """Read a stored spec, naming the field that is wrong."""
    kind = required(data, "kind", path)
    if kind == "choice":
        raw = required(data, "choices", path)
        if not isinstance(raw, list) or len(raw) < 2:
            raise SpecError(f"{path}choices", "needs at least two choices")
        choices = tuple(
            Choice(
                str(required(c, "id", f"{path}choices[{i}].")),
                str(required(c, "text", f"{path}choices[{i}].")),
            )
            for i, c in enumerate(raw)
        )
        ids = [c.id for c in choices]
        if len(set(ids)) != len(ids):
            raise SpecError(f"{path}choices", "choice ids repeat")
        correct = required(data, "correct", path)
        correct_ids = frozenset([correct] if isinstance(correct, str) else correct)
        if not correct_ids or not correct_ids <= set(ids):
            raise SpecError(f"{path}correct", f"must name choices among {ids}")
        return ChoiceSpec(choices, correct_ids)
    if kind == "numeric":
        return NumericSpec(
            read_fraction(required(data, "answer", path), f"{path}answer"),
            read_fraction(data.get("tolerance", 0), f"{path}tolerance"),
            bool(data.get("simplest_form", False)),
        )
    if kind == "text":
        accepted = required(data, "accepted", path)
        if isinstance(accepted, str):
            accepted = [accepted]
        if not isinstance(accepted, list) or not all(isinstance(a, str) and a.strip() for a in accepted):
            raise SpecError(f"{path}accepted", "must be a list of answers")
        return TextSpec(tuple(accepted), bool(data.get("case_sensitive", False)))
    raise SpecError(f"{path}kind", f"unknown kind {kind!r} (choice, numeric, text)")


def spec_to_dict(spec: ItemSpec) -> dict[str, Any]:
    if isinstance(spec, ChoiceSpec):
        return {
            "kind": "choice",
            "choices": [{"id": c.id, "text": c.text} for c in spec.choices],
            "correct": sorted(spec.correct),
        }
    if isinstance(spec, NumericSpec):
        return {
            "kind": "numeric",
            "answer": format_number(spec.answer),
            "tolerance": format_number(spec.tolerance),
            "simplest_form": spec.simplest_form,
        }
    return {"kind": "text", "accepted": list(spec.accepted), "case_sensitive": spec.case_sensitive}


def correct_answer_text(spec: ItemSpec) -> str:
    if isinstance(spec, ChoiceSpec):
        return ", ".join(c.text for c in spec.choices if c.id in spec.correct)
    if isinstance(spec, NumericSpec):
        return format_number(spec.answer)
    return spec.accepted[0]
