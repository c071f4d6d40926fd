"""Parametric templates: plain data (JSON) that generates item variants, the same one for the same seed.

A template has parameters with ranges, derived values and constraints written as expressions
(:mod:`cairn.engine.items.expressions`), and text with ``{expression}`` placeholders.
``instantiate(template, seed)`` turns it into one concrete item with its right answer, hints and a worked
solution.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from cairn.engine.items.expressions import (
    Expr,
    ExprError,
    as_number,
    compile_expr,
    evaluate,
    placeholders,
    render,
)
from cairn.engine.items.figures import Figure, FigureTemplate, build_figure, figure_template_from_dict
from cairn.engine.items.numbers import format_number
from cairn.engine.items.specs import (
    Choice,
    ChoiceSpec,
    ItemSpec,
    NumericSpec,
    SpecError,
    TextSpec,
    correct_answer_text,
    read_fraction,
    required,
)


@dataclass(frozen=True)
class Param:
    name: str
    values: tuple[Fraction, ...]


@dataclass(frozen=True)
class Template:
    id: str
    kind: Literal["numeric", "choice", "text"]
    stem: str
    params: tuple[Param, ...]
    answer: str  # numeric: an expression; choice and text: a text template
    derived: tuple[tuple[str, Expr], ...] = ()
    constraints: tuple[Expr, ...] = ()
    distractors: tuple[str, ...] = ()  # choice: text templates for the wrong choices
    shuffle: bool = True  # choice: shuffle the choices per seed (False keeps e.g. < = > in order)
    alternates: tuple[str, ...] = ()  # text: more accepted answers (text templates)
    tolerance: Fraction = Fraction(0)
    simplest_form: bool = False
    hints: tuple[str, ...] = ()
    solution: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    difficulty: float | None = None  # an author's guess at IRT b, refined by calibration later
    figure: FigureTemplate | None = None  # a number line, fraction bars, an area grid or counters
    contexts: tuple[dict[str, str], ...] = ()  # word sets for {@word} placeholders, one drawn per variant
    _answer_expr: Expr | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ItemInstance:
    template_id: str
    seed: int
    stem: str
    spec: ItemSpec
    hints: tuple[str, ...]
    solution: tuple[str, ...]
    values: dict[str, str]  # parameters and derived values, and the words of the context drawn
    figure: Figure | None = None

    @property
    def answer_text(self) -> str:
        return correct_answer_text(self.spec)


MAX_VALUES_PER_PARAM = 1000
MAX_ENUMERATION = 200_000
MAX_CONTEXTS = 20
_WORD = re.compile(r"\{@(\w+)\}")


def _contexts(data: Mapping[str, Any], path: str) -> tuple[dict[str, str], ...]:
    """Word sets for a word problem's ``{@word}`` placeholders: the same story told about other things (a
    bakery's trays, a library's shelves), so practice is not always apples in bags. Every set names the
    same words; words are plain text."""
    raw = data.get("contexts", [])
    if not isinstance(raw, list) or len(raw) > MAX_CONTEXTS:
        raise SpecError(f"{path}contexts", f"must be a list of at most {MAX_CONTEXTS} word sets")
    contexts: list[dict[str, str]] = []
    for i, words in enumerate(raw):
        where = f"{path}contexts[{i}]"
        if not isinstance(words, Mapping) or not words:
            raise SpecError(where, "must map words to text")
        for key, text in words.items():
            if not re.fullmatch(r"\w+", str(key)) or not isinstance(text, str) or not text.strip():
                raise SpecError(f"{where}.{key}", "must be a name and a text")
            if "{" in text or "}" in text or len(text) > 60:
                raise SpecError(f"{where}.{key}", "must be plain text of at most 60 characters")
        if contexts and set(words) != set(contexts[0]):
            raise SpecError(where, f"must name the same words as contexts[0]: {sorted(contexts[0])}")
        contexts.append({str(k): str(v) for k, v in words.items()})
    return tuple(contexts)


def _with_words(text: str, words: Mapping[str, str]) -> str:
    return _WORD.sub(lambda m: words[m.group(1)], text)


def _param_values(raw: Mapping[str, Any], path: str) -> tuple[Fraction, ...]:
    if "values" in raw:
        values = raw["values"]
        if not isinstance(values, list) or not values:
            raise SpecError(f"{path}values", "must be a non-empty list")
        return tuple(read_fraction(v, f"{path}values[{i}]") for i, v in enumerate(values))
    low = read_fraction(required(raw, "min", path), f"{path}min")
    high = read_fraction(required(raw, "max", path), f"{path}max")
    step = read_fraction(raw.get("step", 1), f"{path}step")
    if step <= 0:
        raise SpecError(f"{path}step", "must be positive")
    if high < low:
        raise SpecError(f"{path}max", "is below min")
    count = int((high - low) / step) + 1
    if count > MAX_VALUES_PER_PARAM:
        raise SpecError(path.rstrip("."), f"more than {MAX_VALUES_PER_PARAM} values")
    return tuple(low + step * i for i in range(count))


def _compiled(source: Any, path: str) -> Expr:
    if not isinstance(source, str | int | float) or isinstance(source, bool):
        raise SpecError(path, "must be an expression")
    try:
        return compile_expr(str(source))
    except ExprError as exc:
        raise SpecError(path, str(exc)) from exc


def _text_list(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{path}{key}", "must be a list of text")
    return tuple(value)


@dataclass
class _Names:
    """What a template's texts and expressions may refer to: its parameters and derived values (``known``)
    and its context words; each check raises SpecError naming where an unknown name is used."""

    known: set[str]
    words: set[str]
    path: str

    def expr(self, expr: Expr, where: str) -> Expr:
        if missing := expr.names - self.known:
            raise SpecError(where, f"unknown name(s) {sorted(missing)}")
        return expr

    def text(self, text: str, where: str) -> str:
        if missing_words := set(_WORD.findall(text)) - self.words:
            raise SpecError(where, f"unknown word(s) {sorted(missing_words)}: name them in contexts")
        for source, _ in placeholders(_WORD.sub("", text)):
            self.expr(_compiled(source, where), where)
        return text

    def texts(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        return tuple(
            self.text(t, f"{self.path}{key}[{i}]") for i, t in enumerate(_text_list(data, key, self.path))
        )


def _params_and_derived(
    data: Mapping[str, Any], path: str
) -> tuple[tuple[Param, ...], tuple[tuple[str, Expr], ...], set[str]]:
    """The template's parameters and derived values, in order, each derived value using only names defined
    before it; with the set of all their names."""
    raw_params = required(data, "params", path)
    if not isinstance(raw_params, dict):
        raise SpecError(f"{path}params", "must map names to ranges")
    params = tuple(
        Param(name, _param_values(spec, f"{path}params.{name}.")) for name, spec in raw_params.items()
    )
    known = {p.name for p in params}
    derived: list[tuple[str, Expr]] = []
    for name, source in dict(data.get("derived", {})).items():
        expr = _compiled(source, f"{path}derived.{name}")
        if missing := expr.names - known:
            raise SpecError(f"{path}derived.{name}", f"unknown name(s) {sorted(missing)}")
        derived.append((name, expr))
        known.add(name)
    return params, tuple(derived), known


def template_from_dict(data: Mapping[str, Any], path: str = "") -> Template:
    """Read and check a template: every name used must be a parameter or a derived value defined earlier."""
    template_id = str(required(data, "id", path))
    kind = required(data, "kind", path)
    if kind not in ("numeric", "choice", "text"):
        raise SpecError(f"{path}kind", f"unknown kind {kind!r} (numeric, choice, text)")
    params, derived, known = _params_and_derived(data, path)
    contexts = _contexts(data, path)
    names = _Names(known, set(contexts[0]) if contexts else set(), path)
    constraints = tuple(
        names.expr(_compiled(c, f"{path}constraints[{i}]"), f"{path}constraints[{i}]")
        for i, c in enumerate(_text_list(data, "constraints", path))
    )
    stem = names.text(str(required(data, "stem", path)), f"{path}stem")
    answer_raw = required(data, "answer", path)
    answer_expr: Expr | None = None
    if kind == "numeric":
        answer_expr = names.expr(_compiled(answer_raw, f"{path}answer"), f"{path}answer")
        answer = answer_expr.source
    else:
        answer = names.text(str(answer_raw), f"{path}answer")
    distractors = names.texts(data, "distractors")
    if kind == "choice" and not distractors:
        raise SpecError(f"{path}distractors", "a choice template needs at least one distractor")
    difficulty = data.get("difficulty")
    figure = None
    if data.get("figure") is not None:
        figure = figure_template_from_dict(data["figure"], f"{path}figure.")
        if missing := figure.names - known:
            raise SpecError(f"{path}figure", f"unknown name(s) {sorted(missing)}")
    return Template(
        id=template_id,
        kind=kind,
        stem=stem,
        params=params,
        answer=answer,
        derived=derived,
        constraints=constraints,
        distractors=distractors,
        shuffle=bool(data.get("shuffle", True)),
        alternates=names.texts(data, "alternates"),
        tolerance=read_fraction(data.get("tolerance", 0), f"{path}tolerance"),
        simplest_form=bool(data.get("simplest_form", False)),
        hints=names.texts(data, "hints"),
        solution=names.texts(data, "solution"),
        competencies=_text_list(data, "competencies", path),
        difficulty=float(difficulty) if isinstance(difficulty, int | float) else None,
        figure=figure,
        contexts=contexts,
        _answer_expr=answer_expr,
    )


def _environment(template: Template, assignment: Mapping[str, Fraction]) -> dict[str, Fraction] | None:
    """Parameters plus derived values, or None when a constraint fails or a value can't be computed."""
    env = dict(assignment)
    try:
        for name, expr in template.derived:
            env[name] = as_number(evaluate(expr, env))
        if not all(evaluate(c, env) for c in template.constraints):
            return None
    except ExprError:
        return None
    return env


def _valid_environments(template: Template) -> list[tuple[dict[str, Fraction], dict[str, Fraction]]]:
    """Every (parameter assignment, full environment) that satisfies the constraints."""
    names = [p.name for p in template.params]
    total = math.prod(len(p.values) for p in template.params)
    if total > MAX_ENUMERATION:
        raise SpecError(f"{template.id}.params", f"{total} combinations; at most {MAX_ENUMERATION}")
    found = []
    for combo in itertools.product(*(p.values for p in template.params)):
        assignment = dict(zip(names, combo, strict=True))
        env = _environment(template, assignment)
        if env is not None:
            found.append((assignment, env))
    return found


def _build(
    template: Template, env: Mapping[str, Fraction], seed: int, rng: random.Random, words: Mapping[str, str]
) -> ItemInstance:
    def text(t: str) -> str:
        return render(_with_words(t, words), env)

    spec: ItemSpec
    if template.kind == "numeric":
        assert template._answer_expr is not None
        spec = NumericSpec(
            as_number(evaluate(template._answer_expr, env)), template.tolerance, template.simplest_form
        )
    elif template.kind == "text":
        accepted = [text(template.answer), *(text(a) for a in template.alternates)]
        spec = TextSpec(tuple(dict.fromkeys(accepted)))
    else:
        right = text(template.answer)
        wrong = [w for w in dict.fromkeys(text(d) for d in template.distractors) if w != right]
        texts = [right, *wrong]
        if template.shuffle:
            rng.shuffle(texts)
        choices = tuple(Choice(chr(ord("A") + i), text) for i, text in enumerate(texts))
        spec = ChoiceSpec(choices, frozenset(c.id for c in choices if c.text == right))
    return ItemInstance(
        template_id=template.id,
        seed=seed,
        stem=text(template.stem),
        spec=spec,
        hints=tuple(text(h) for h in template.hints),
        solution=tuple(text(s) for s in template.solution),
        values={**{name: format_number(value) for name, value in env.items()}, **words},
        figure=build_figure(template.figure, env, f"{template.id}.figure") if template.figure else None,
    )


def instantiate(template: Template, seed: int) -> ItemInstance:
    """One variant of a template; the same seed always gives the same variant."""
    rng = random.Random(f"{template.id}#{seed}")
    # A template without contexts draws nothing for them, so its variants stay what they always were.
    for _ in range(200):
        assignment = {p.name: rng.choice(p.values) for p in template.params}
        env = _environment(template, assignment)
        if env is not None:
            return _build(template, env, seed, rng, _draw_words(template, rng))
    # Tight constraints: fall back to choosing among every valid assignment.
    valid = _valid_environments(template)
    if not valid:
        raise SpecError(f"{template.id}.constraints", "no parameter values satisfy the constraints")
    env = rng.choice(valid)[1]
    return _build(template, env, seed, rng, _draw_words(template, rng))


def _draw_words(template: Template, rng: random.Random) -> dict[str, str]:
    return dict(rng.choice(template.contexts)) if template.contexts else {}


def variant_count(template: Template, limit: int = 1000) -> int:
    """How many distinct items (distinct stems) the template generates, counting up to ``limit``."""
    names = [p.name for p in template.params]
    total = math.prod(len(p.values) for p in template.params)
    if total > MAX_ENUMERATION:
        raise SpecError(f"{template.id}.params", f"{total} combinations; at most {MAX_ENUMERATION}")
    stems: set[str] = set()
    stem_texts = [_with_words(template.stem, words) for words in template.contexts] or [template.stem]
    for combo in itertools.product(*(p.values for p in template.params)):
        env = _environment(template, dict(zip(names, combo, strict=True)))
        if env is not None:
            stems.update(render(stem, env) for stem in stem_texts)
            if len(stems) >= limit:
                return limit
    return len(stems)
