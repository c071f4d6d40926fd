"""Assessment items: grading an answer, and parametric templates that generate variants.

Three kinds of item are graded here: multiple choice (one or more correct choices), numeric (exact
fractions, or decimals within a tolerance) and short text (matched after normalization). A *template* is
plain data (JSON): parameters with ranges, derived values and constraints written as small arithmetic
expressions, and text with ``{expression}`` placeholders. ``instantiate(template, seed)`` turns it into one
concrete item with its right answer, hints and a worked solution, the same one for the same seed.

Expressions are never passed to ``eval``: a tiny evaluator walks Python's ``ast`` and allows only numbers,
names of parameters, + - * / // % **, comparisons, ``and``/``or``/``not``, parentheses and a few pure
functions (gcd, lcm, min, max, abs, floor, ceil, cmp). Arithmetic is exact (``fractions.Fraction``), so
3/4 is three quarters, not 0.75000001.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

# --------------------------------------------------------------------------------------------- errors


class SpecError(ValueError):
    """Bad item or template data; ``path`` names the field, e.g. ``params[1].max``."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class ExprError(ValueError):
    """An expression that is not allowed or cannot be evaluated."""


# --------------------------------------------------------------------------------------------- numbers

_MIXED = re.compile(r"^([+-]?)(\d+)\s+(\d+)\s*/\s*(\d+)$")
_FRACTION = re.compile(r"^([+-]?\d+)\s*/\s*([+-]?\d+)$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def parse_number(text: str) -> Fraction | None:
    """Read what a student types: ``7``, ``-2``, ``0.75``, ``.5``, ``3/4``, ``1 1/2``, ``1,250``.

    Returns None for anything else (including a zero denominator)."""
    s = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("⁄", "/")
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    if m := _MIXED.match(s):
        sign, whole, num, den = m.groups()
        if int(den) == 0:
            return None
        value = int(whole) + Fraction(int(num), int(den))
        return -value if sign == "-" else value
    if m := _FRACTION.match(s):
        num, den = int(m.group(1)), int(m.group(2))
        return None if den == 0 else Fraction(num, den)
    if _DECIMAL.match(s):
        return Fraction(s)
    return None


def format_number(value: Fraction, style: str = "") -> str:
    """``frac`` (default): 7, 3/4, -5/2; ``mixed``: 2 1/2; ``dec``: a decimal (up to 4 places)."""
    if style == "dec":
        if value.denominator == 1:
            return str(value.numerator)
        text = f"{float(value):.4f}".rstrip("0").rstrip(".")
        return text
    if value.denominator == 1:
        return str(value.numerator)
    if style == "mixed" and abs(value) > 1:
        whole = int(abs(value))
        rest = abs(value) - whole
        sign = "-" if value < 0 else ""
        return f"{sign}{whole} {rest.numerator}/{rest.denominator}"
    return f"{value.numerator}/{value.denominator}"


def normalize_text(text: str) -> str:
    """How short-text answers are compared: Unicode-normalized, case-folded, spaces collapsed,
    surrounding quotes and a final full stop dropped."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = " ".join(s.split())
    s = s.strip("\"'“”‘’ ")
    return s[:-1].rstrip() if s.endswith(".") else s


# --------------------------------------------------------------------------------------------- specs


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
        m = _FRACTION.match(text.strip()) if spec.simplest_form else None
        if m and math.gcd(int(m.group(1)), int(m.group(2))) != 1:
            return Grade(False, format_number(value), "not_simplest")
        close = abs(value - spec.answer) <= spec.tolerance
        return Grade(close, format_number(value))
    given = " ".join(text.split()) if spec.case_sensitive else normalize_text(text)
    accepted = {(" ".join(a.split()) if spec.case_sensitive else normalize_text(a)) for a in spec.accepted}
    return Grade(given in accepted, given)


def _require(data: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise SpecError(f"{path}{key}", "missing")
    return data[key]


def _fraction(value: Any, path: str) -> Fraction:
    if isinstance(value, bool):
        raise SpecError(path, "not a number")
    if isinstance(value, int | float):
        return Fraction(str(value))
    if isinstance(value, str) and (parsed := parse_number(value)) is not None:
        return parsed
    raise SpecError(path, f"not a number: {value!r}")


def spec_from_dict(data: Mapping[str, Any], path: str = "") -> ItemSpec:
    """Read a stored spec, naming the field that is wrong."""
    kind = _require(data, "kind", path)
    if kind == "choice":
        raw = _require(data, "choices", path)
        if not isinstance(raw, list) or len(raw) < 2:
            raise SpecError(f"{path}choices", "needs at least two choices")
        choices = tuple(
            Choice(
                str(_require(c, "id", f"{path}choices[{i}].")),
                str(_require(c, "text", f"{path}choices[{i}].")),
            )
            for i, c in enumerate(raw)
        )
        ids = [c.id for c in choices]
        if len(set(ids)) != len(ids):
            raise SpecError(f"{path}choices", "choice ids repeat")
        correct = _require(data, "correct", path)
        correct_ids = frozenset([correct] if isinstance(correct, str) else correct)
        if not correct_ids or not correct_ids <= set(ids):
            raise SpecError(f"{path}correct", f"must name choices among {ids}")
        return ChoiceSpec(choices, correct_ids)
    if kind == "numeric":
        return NumericSpec(
            _fraction(_require(data, "answer", path), f"{path}answer"),
            _fraction(data.get("tolerance", 0), f"{path}tolerance"),
            bool(data.get("simplest_form", False)),
        )
    if kind == "text":
        accepted = _require(data, "accepted", path)
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


# --------------------------------------------------------------------------------------------- expressions

Value = Fraction | bool
MAX_NODES = 200
MAX_MAGNITUDE = 10**15
MAX_EXPONENT = 12


def _int_arg(name: str, value: Fraction) -> int:
    if value.denominator != 1:
        raise ExprError(f"{name} needs whole numbers")
    return value.numerator


def _cmp(a: Fraction, b: Fraction) -> Fraction:
    return Fraction((a > b) - (a < b))


FUNCTIONS: dict[str, Callable[..., Fraction]] = {
    "gcd": lambda a, b: Fraction(math.gcd(_int_arg("gcd", a), _int_arg("gcd", b))),
    "lcm": lambda a, b: Fraction(math.lcm(_int_arg("lcm", a), _int_arg("lcm", b))),
    "min": lambda *a: min(a),
    "max": lambda *a: max(a),
    "abs": lambda a: abs(a),
    "floor": lambda a: Fraction(math.floor(a)),
    "ceil": lambda a: Fraction(math.ceil(a)),
    "cmp": _cmp,
    "num": lambda a: Fraction(a.numerator),
    "den": lambda a: Fraction(a.denominator),
}


@dataclass(frozen=True)
class Expr:
    """A parsed, checked expression; ``names`` are the parameters it reads."""

    source: str
    tree: ast.Expression
    names: frozenset[str]


@functools.lru_cache(maxsize=4096)
def compile_expr(source: str) -> Expr:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"not an expression: {source!r}") from exc
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExprError("expression too long")
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ExprError(f"function not allowed in {source!r}")
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise ExprError(f"only numbers are allowed as constants in {source!r}")
        elif not isinstance(node, _ALLOWED_NODES):
            raise ExprError(f"{type(node).__name__} is not allowed in {source!r}")
    called = {n.func.id for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return Expr(source, tree, frozenset(names - called))


_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
)


def _bounded(value: Fraction) -> Fraction:
    if abs(value.numerator) > MAX_MAGNITUDE or value.denominator > MAX_MAGNITUDE:
        raise ExprError("number too large")
    return value


def _num(value: Value) -> Fraction:
    if isinstance(value, bool):
        raise ExprError("a comparison was used as a number")
    return value


def _eval(node: ast.AST, env: Mapping[str, Fraction]) -> Value:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return Fraction(str(node.value))
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise ExprError(f"unknown name {node.id!r}")
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, env)
        if isinstance(node.op, ast.Not):
            return not operand
        return -_num(operand) if isinstance(node.op, ast.USub) else _num(operand)
    if isinstance(node, ast.BinOp):
        left, right = _num(_eval(node.left, env)), _num(_eval(node.right, env))
        op = node.op
        if isinstance(op, ast.Add):
            return _bounded(left + right)
        if isinstance(op, ast.Sub):
            return _bounded(left - right)
        if isinstance(op, ast.Mult):
            return _bounded(left * right)
        if isinstance(op, ast.Div | ast.FloorDiv | ast.Mod) and right == 0:
            raise ExprError("division by zero")
        if isinstance(op, ast.Div):
            return _bounded(left / right)
        if isinstance(op, ast.FloorDiv):
            return Fraction(left // right)
        if isinstance(op, ast.Mod):
            return _bounded(left % right)
        if isinstance(op, ast.Pow):
            if right.denominator != 1 or abs(right) > MAX_EXPONENT:
                raise ExprError(f"exponents must be whole numbers up to {MAX_EXPONENT}")
            if left == 0 and right < 0:
                raise ExprError("division by zero")
            return _bounded(left ** int(right))
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, env) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        left = _num(_eval(node.left, env))
        for cmp_op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _num(_eval(comparator, env))
            ok = {
                ast.Eq: left == right,
                ast.NotEq: left != right,
                ast.Lt: left < right,
                ast.LtE: left <= right,
                ast.Gt: left > right,
                ast.GtE: left >= right,
            }[type(cmp_op)]
            if not ok:
                return False
            left = right
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_num(_eval(a, env)) for a in node.args]
        try:
            return _bounded(FUNCTIONS[node.func.id](*args))
        except TypeError as exc:
            raise ExprError(f"wrong arguments to {node.func.id}") from exc
    raise ExprError(f"{type(node).__name__} is not allowed")


def evaluate(expr: Expr | str, env: Mapping[str, Fraction]) -> Value:
    """Evaluate an expression over exact numbers. Raises ExprError; never runs arbitrary code."""
    compiled = compile_expr(expr) if isinstance(expr, str) else expr
    return _eval(compiled.tree, env)


# --------------------------------------------------------------------------------------------- text templates

_PLACEHOLDER = re.compile(r"\{([^{}:]+)(?::(frac|mixed|dec|cmp))?\}")
CMP_SYMBOLS = {-1: "<", 0: "=", 1: ">"}


def placeholders(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2) or "") for m in _PLACEHOLDER.finditer(text)]


def render(text: str, env: Mapping[str, Fraction]) -> str:
    """Fill ``{expression}`` and ``{expression:style}`` placeholders (styles: frac, mixed, dec, cmp)."""

    def fill(match: re.Match[str]) -> str:
        value = _num(evaluate(match.group(1), env))
        style = match.group(2) or ""
        if style == "cmp":
            return CMP_SYMBOLS[int(value > 0) - int(value < 0)]
        return format_number(value, style)

    return _PLACEHOLDER.sub(fill, text)


# --------------------------------------------------------------------------------------------- templates


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
    _answer_expr: Expr | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ItemInstance:
    template_id: str
    seed: int
    stem: str
    spec: ItemSpec
    hints: tuple[str, ...]
    solution: tuple[str, ...]
    values: dict[str, str]

    @property
    def answer_text(self) -> str:
        return correct_answer_text(self.spec)


MAX_VALUES_PER_PARAM = 1000
MAX_ENUMERATION = 200_000


def _param_values(raw: Mapping[str, Any], path: str) -> tuple[Fraction, ...]:
    if "values" in raw:
        values = raw["values"]
        if not isinstance(values, list) or not values:
            raise SpecError(f"{path}values", "must be a non-empty list")
        return tuple(_fraction(v, f"{path}values[{i}]") for i, v in enumerate(values))
    low = _fraction(_require(raw, "min", path), f"{path}min")
    high = _fraction(_require(raw, "max", path), f"{path}max")
    step = _fraction(raw.get("step", 1), f"{path}step")
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


def template_from_dict(data: Mapping[str, Any], path: str = "") -> Template:
    """Read and check a template: every name used must be a parameter or a derived value defined earlier."""
    template_id = str(_require(data, "id", path))
    kind = _require(data, "kind", path)
    if kind not in ("numeric", "choice", "text"):
        raise SpecError(f"{path}kind", f"unknown kind {kind!r} (numeric, choice, text)")
    raw_params = _require(data, "params", path)
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

    def check_names(expr: Expr, where: str) -> Expr:
        if missing := expr.names - known:
            raise SpecError(where, f"unknown name(s) {sorted(missing)}")
        return expr

    def check_text(text: str, where: str) -> str:
        for source, _ in placeholders(text):
            check_names(_compiled(source, where), where)
        return text

    constraints = tuple(
        check_names(_compiled(c, f"{path}constraints[{i}]"), f"{path}constraints[{i}]")
        for i, c in enumerate(_text_list(data, "constraints", path))
    )
    stem = check_text(str(_require(data, "stem", path)), f"{path}stem")
    answer_raw = _require(data, "answer", path)
    answer_expr: Expr | None = None
    if kind == "numeric":
        answer_expr = check_names(_compiled(answer_raw, f"{path}answer"), f"{path}answer")
        answer = answer_expr.source
    else:
        answer = check_text(str(answer_raw), f"{path}answer")
    distractors = tuple(
        check_text(t, f"{path}distractors[{i}]") for i, t in enumerate(_text_list(data, "distractors", path))
    )
    if kind == "choice" and not distractors:
        raise SpecError(f"{path}distractors", "a choice template needs at least one distractor")
    hints = tuple(check_text(t, f"{path}hints[{i}]") for i, t in enumerate(_text_list(data, "hints", path)))
    solution = tuple(
        check_text(t, f"{path}solution[{i}]") for i, t in enumerate(_text_list(data, "solution", path))
    )
    difficulty = data.get("difficulty")
    return Template(
        id=template_id,
        kind=kind,
        stem=stem,
        params=params,
        answer=answer,
        derived=tuple(derived),
        constraints=constraints,
        distractors=distractors,
        shuffle=bool(data.get("shuffle", True)),
        alternates=tuple(
            check_text(t, f"{path}alternates[{i}]")
            for i, t in enumerate(_text_list(data, "alternates", path))
        ),
        tolerance=_fraction(data.get("tolerance", 0), f"{path}tolerance"),
        simplest_form=bool(data.get("simplest_form", False)),
        hints=hints,
        solution=solution,
        competencies=_text_list(data, "competencies", path),
        difficulty=float(difficulty) if isinstance(difficulty, int | float) else None,
        _answer_expr=answer_expr,
    )


def _environment(template: Template, assignment: Mapping[str, Fraction]) -> dict[str, Fraction] | None:
    """Parameters plus derived values, or None when a constraint fails or a value can't be computed."""
    env = dict(assignment)
    try:
        for name, expr in template.derived:
            env[name] = _num(_eval(expr.tree, env))
        if not all(_eval(c.tree, env) for c in template.constraints):
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


def _build(template: Template, env: Mapping[str, Fraction], seed: int, rng: random.Random) -> ItemInstance:
    spec: ItemSpec
    if template.kind == "numeric":
        assert template._answer_expr is not None
        spec = NumericSpec(
            _num(_eval(template._answer_expr.tree, env)), template.tolerance, template.simplest_form
        )
    elif template.kind == "text":
        accepted = [render(template.answer, env), *(render(a, env) for a in template.alternates)]
        spec = TextSpec(tuple(dict.fromkeys(accepted)))
    else:
        right = render(template.answer, env)
        wrong = [w for w in dict.fromkeys(render(d, env) for d in template.distractors) if w != right]
        texts = [right, *wrong]
        if template.shuffle:
            rng.shuffle(texts)
        choices = tuple(Choice(chr(ord("A") + i), text) for i, text in enumerate(texts))
        spec = ChoiceSpec(choices, frozenset(c.id for c in choices if c.text == right))
    return ItemInstance(
        template_id=template.id,
        seed=seed,
        stem=render(template.stem, env),
        spec=spec,
        hints=tuple(render(h, env) for h in template.hints),
        solution=tuple(render(s, env) for s in template.solution),
        values={name: format_number(value) for name, value in env.items()},
    )


def instantiate(template: Template, seed: int) -> ItemInstance:
    """One variant of a template; the same seed always gives the same variant."""
    rng = random.Random(f"{template.id}#{seed}")
    for _ in range(200):
        assignment = {p.name: rng.choice(p.values) for p in template.params}
        env = _environment(template, assignment)
        if env is not None:
            return _build(template, env, seed, rng)
    # Tight constraints: fall back to choosing among every valid assignment.
    valid = _valid_environments(template)
    if not valid:
        raise SpecError(f"{template.id}.constraints", "no parameter values satisfy the constraints")
    return _build(template, rng.choice(valid)[1], seed, rng)


def variant_count(template: Template, limit: int = 1000) -> int:
    """How many distinct items (distinct stems) the template generates, counting up to ``limit``."""
    names = [p.name for p in template.params]
    total = math.prod(len(p.values) for p in template.params)
    if total > MAX_ENUMERATION:
        raise SpecError(f"{template.id}.params", f"{total} combinations; at most {MAX_ENUMERATION}")
    stems: set[str] = set()
    for combo in itertools.product(*(p.values for p in template.params)):
        env = _environment(template, dict(zip(names, combo, strict=True)))
        if env is not None:
            stems.add(render(template.stem, env))
            if len(stems) >= limit:
                break
    return len(stems)
