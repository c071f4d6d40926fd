"""Template expressions and text: a tiny, safe evaluator over exact numbers, and ``{expression}`` text.

Expressions are never passed to ``eval``: the evaluator walks Python's ``ast`` and allows only numbers,
names of parameters, + - * / // % **, comparisons, ``and``/``or``/``not``, parentheses and a few pure
functions (gcd, lcm, min, max, abs, floor, ceil, cmp, num, den). Arithmetic is exact
(``fractions.Fraction``), so 3/4 is three quarters, not 0.75000001; sizes, exponents and magnitudes are
bounded, so no expression can run long.
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from cairn.engine.items.numbers import format_number


class ExprError(ValueError):
    """An expression that is not allowed or cannot be evaluated."""


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


def as_number(value: Value) -> Fraction:
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
        return -as_number(operand) if isinstance(node.op, ast.USub) else as_number(operand)
    if isinstance(node, ast.BinOp):
        left, right = as_number(_eval(node.left, env)), as_number(_eval(node.right, env))
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
        left = as_number(_eval(node.left, env))
        for cmp_op, comparator in zip(node.ops, node.comparators, strict=True):
            right = as_number(_eval(comparator, env))
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
        args = [as_number(_eval(a, env)) for a in node.args]
        try:
            return _bounded(FUNCTIONS[node.func.id](*args))
        except TypeError as exc:
            raise ExprError(f"wrong arguments to {node.func.id}") from exc
    raise ExprError(f"{type(node).__name__} is not allowed")


def evaluate(expr: Expr | str, env: Mapping[str, Fraction]) -> Value:
    """Evaluate an expression over exact numbers. Raises ExprError; never runs arbitrary code."""
    compiled = compile_expr(expr) if isinstance(expr, str) else expr
    return _eval(compiled.tree, env)


_PLACEHOLDER = re.compile(r"\{([^{}:]+)(?::(frac|mixed|dec|cmp))?\}")
CMP_SYMBOLS = {-1: "<", 0: "=", 1: ">"}


def placeholders(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2) or "") for m in _PLACEHOLDER.finditer(text)]


def render(text: str, env: Mapping[str, Fraction]) -> str:
    """Fill ``{expression}`` and ``{expression:style}`` placeholders (styles: frac, mixed, dec, cmp)."""

    def fill(match: re.Match[str]) -> str:
        value = as_number(evaluate(match.group(1), env))
        style = match.group(2) or ""
        if style == "cmp":
            return CMP_SYMBOLS[int(value > 0) - int(value < 0)]
        return format_number(value, style)

    return _PLACEHOLDER.sub(fill, text)
