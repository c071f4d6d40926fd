"""Figures that go with an item: number lines, fraction bars, area grids and sets of counters.

A template names its figure as plain data whose numbers are expressions over the template's values, e.g.
``{"kind": "number_line", "start": "0", "end": "1", "parts": "b", "points": [{"at": "a/b", "label": "?"}]}``.
Each variant gets a concrete :class:`Figure` (exact numbers), a sentence that describes it for a screen
reader (:func:`describe`) and an inline SVG drawing (:func:`to_svg`) carrying that sentence as its
accessible name. The drawing is written by hand rather than with a plotting library: four small shapes,
no fonts or scripts, and markup a page can inline (matplotlib's SVGs are large and not accessible).

Sizes are bounded (at most ``MAX_PARTS`` parts, ``MAX_COUNTERS`` counters), so a template can't make a
drawing no one can read; a variant over the bounds is refused with a :class:`SpecError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from html import escape
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
from cairn.engine.items.numbers import format_number
from cairn.engine.items.specs import SpecError

FigureKind = Literal["number_line", "fraction_bar", "area_grid", "set"]
KINDS: tuple[str, ...] = ("number_line", "fraction_bar", "area_grid", "set")
# The numbers each kind reads (expressions), and the ones it may leave out (with their defaults).
FIELDS: dict[str, tuple[str, ...]] = {
    "number_line": ("start", "end", "parts"),
    "fraction_bar": ("parts", "shaded"),
    "area_grid": ("rows", "cols", "shaded_rows", "shaded_cols"),
    "set": ("count", "shaded"),
}
OPTIONAL: dict[str, dict[str, str]] = {
    "number_line": {},
    "fraction_bar": {"wholes": "0"},  # 0: as many wholes as the shaded parts need
    "area_grid": {},
    "set": {"per_row": "0"},  # 0: a row length that suits the count
}
MAX_PARTS = 24
MAX_COUNTERS = 40
MAX_WHOLES = 4
MAX_POINTS = 4


@dataclass(frozen=True)
class Point:
    at: Fraction
    label: str


@dataclass(frozen=True)
class Figure:
    """One drawing, with exact numbers: ``numbers`` holds the kind's fields (see FIELDS)."""

    kind: FigureKind
    numbers: tuple[tuple[str, Fraction], ...]
    points: tuple[Point, ...] = ()  # number lines only

    def get(self, name: str) -> Fraction:
        return dict(self.numbers)[name]

    def whole(self, name: str) -> int:
        return int(self.get(name))


@dataclass(frozen=True)
class FigureTemplate:
    """A figure as a template states it: expressions per field, point positions and label texts."""

    kind: FigureKind
    fields: tuple[tuple[str, Expr], ...]
    points: tuple[tuple[Expr, str], ...] = ()

    @property
    def names(self) -> frozenset[str]:
        used = {n for _, e in self.fields for n in e.names} | {n for e, _ in self.points for n in e.names}
        for _, label in self.points:
            for source, _ in placeholders(label):
                used |= compile_expr(source).names
        return frozenset(used)


def _expr(value: Any, path: str) -> Expr:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SpecError(path, "must be an expression")
    try:
        return compile_expr(str(value))
    except ExprError as exc:
        raise SpecError(path, str(exc)) from exc


def figure_template_from_dict(data: Any, path: str = "figure.") -> FigureTemplate:
    """Read a template's ``figure``, naming the field that is wrong (names are checked by the caller)."""
    if not isinstance(data, Mapping):
        raise SpecError(path.rstrip("."), "must be an object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise SpecError(f"{path}kind", f"unknown figure {kind!r} ({', '.join(KINDS)})")
    fields = []
    for name in FIELDS[kind]:
        if data.get(name) in (None, ""):
            raise SpecError(f"{path}{name}", "missing")
        fields.append((name, _expr(data[name], f"{path}{name}")))
    for name, default in OPTIONAL[kind].items():
        fields.append((name, _expr(data.get(name, default), f"{path}{name}")))
    points: list[tuple[Expr, str]] = []
    raw_points = data.get("points", [])
    if kind != "number_line" and raw_points:
        raise SpecError(f"{path}points", "only a number line has points")
    if not isinstance(raw_points, list) or len(raw_points) > MAX_POINTS:
        raise SpecError(f"{path}points", f"must be a list of at most {MAX_POINTS} points")
    for i, raw in enumerate(raw_points):
        if not isinstance(raw, Mapping) or "at" not in raw:
            raise SpecError(f"{path}points[{i}].at", "missing")
        label = raw.get("label", "")
        if not isinstance(label, str) or len(label) > 12:
            raise SpecError(f"{path}points[{i}].label", "must be a short text")
        for source, _ in placeholders(label):
            _expr(source, f"{path}points[{i}].label")
        points.append((_expr(raw["at"], f"{path}points[{i}].at"), label))
    return FigureTemplate(kind, tuple(fields), tuple(points))


def figure_template_to_dict(template: FigureTemplate) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": template.kind, **{n: e.source for n, e in template.fields}}
    if template.points:
        data["points"] = [{"at": e.source, "label": label} for e, label in template.points]
    return data


def build_figure(template: FigureTemplate, env: Mapping[str, Fraction], where: str = "figure") -> Figure:
    """The concrete figure of one variant; a SpecError when its numbers are not drawable."""
    try:
        numbers = {name: as_number(evaluate(expr, env)) for name, expr in template.fields}
        points = tuple(Point(as_number(evaluate(e, env)), render(label, env)) for e, label in template.points)
    except ExprError as exc:
        raise SpecError(where, str(exc)) from exc
    figure = Figure(template.kind, tuple(numbers.items()), points)
    _check(figure, where)
    return figure


def _check(figure: Figure, where: str) -> None:
    def whole(name: str, low: int, high: int) -> int:
        value = figure.get(name)
        if value.denominator != 1 or not low <= value <= high:
            raise SpecError(f"{where}.{name}", f"must be a whole number from {low} to {high}, not {value}")
        return int(value)

    if figure.kind == "number_line":
        start, end = figure.get("start"), figure.get("end")
        whole("parts", 1, MAX_PARTS)
        if end <= start:
            raise SpecError(f"{where}.end", "must be greater than start")
        for i, p in enumerate(figure.points):
            if not start <= p.at <= end:
                raise SpecError(f"{where}.points[{i}].at", f"{p.at} is off the line")
    elif figure.kind == "fraction_bar":
        parts = whole("parts", 1, MAX_PARTS)
        shaded = whole("shaded", 0, parts * MAX_WHOLES)
        wholes = whole("wholes", 0, MAX_WHOLES)
        if wholes and shaded > parts * wholes:
            raise SpecError(f"{where}.shaded", "more shaded parts than the wholes hold")
    elif figure.kind == "area_grid":
        rows, cols = whole("rows", 1, 12), whole("cols", 1, 12)
        whole("shaded_rows", 0, rows)
        whole("shaded_cols", 0, cols)
    else:
        count = whole("count", 1, MAX_COUNTERS)
        whole("shaded", 0, count)
        whole("per_row", 0, MAX_COUNTERS)


def figure_to_dict(figure: Figure) -> dict[str, Any]:
    """The figure as JSON data (for the API): its numbers as exact text, and its description."""
    data: dict[str, Any] = {"kind": figure.kind, **{n: format_number(v) for n, v in figure.numbers}}
    if figure.points:
        data["points"] = [{"at": format_number(p.at), "label": p.label} for p in figure.points]
    data["description"] = describe(figure)
    return data


def _bars(figure: Figure) -> int:
    parts, shaded, wholes = figure.whole("parts"), figure.whole("shaded"), figure.whole("wholes")
    return wholes or max(1, -(-shaded // parts))


def _per_row(figure: Figure) -> int:
    count, per_row = figure.whole("count"), figure.whole("per_row")
    if per_row:
        return per_row
    if count <= 10:
        return count
    return next((n for n in (5, 6, 4, 8, 7) if count % n == 0), 8)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe(figure: Figure) -> str:
    """One sentence that says what the drawing shows, for people who can't see it."""
    if figure.kind == "number_line":
        start, end = format_number(figure.get("start")), format_number(figure.get("end"))
        text = (
            f"A number line from {start} to {end}, "
            f"cut into {_plural(figure.whole('parts'), 'equal part', 'equal parts')}"
        )
        start_at, step = figure.get("start"), (figure.get("end") - figure.get("start")) / figure.get("parts")
        for p in figure.points:
            steps = (p.at - start_at) / step
            where = (
                f"{_plural(int(steps), 'part', 'parts')} to the right of {start}"
                if steps.denominator == 1
                else f"at {format_number(p.at)}"
            )
            text += f"; a point{f' labelled {p.label}' if p.label else ''} is {where}"
        return text + "."
    if figure.kind == "fraction_bar":
        parts, shaded, bars = figure.whole("parts"), figure.whole("shaded"), _bars(figure)
        each = "A bar" if bars == 1 else f"{bars} equal bars, each"
        cut = _plural(parts, "equal part", "equal parts")
        return f"{each} cut into {cut}; {shaded} of the parts are shaded."
    if figure.kind == "area_grid":
        rows, cols = figure.whole("rows"), figure.whole("cols")
        r, c = figure.whole("shaded_rows"), figure.whole("shaded_cols")
        return (
            f"A unit square cut into {_plural(rows, 'row', 'rows')} and "
            f"{_plural(cols, 'column', 'columns')}; "
            f"{_plural(r * c, 'small rectangle is', 'small rectangles are')} shaded, where the first "
            f"{_plural(r, 'row', 'rows')} and the first {_plural(c, 'column', 'columns')} meet."
        )
    count, shaded = figure.whole("count"), figure.whole("shaded")
    return f"{_plural(count, 'counter', 'counters')}; {shaded} of them are shaded."


# ------------------------------------------------------------------------------------------ drawing
SHADE = "#2b6f66"
LINE = "#1f2933"
PAPER = "#ffffff"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (
        f'<svg class="item-figure" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def to_svg(figure: Figure) -> str:
    """Inline SVG markup for the figure, its accessible name the sentence :func:`describe` writes."""
    label = describe(figure)
    if figure.kind == "number_line":
        return _number_line(figure, label)
    if figure.kind == "fraction_bar":
        return _fraction_bars(figure, label)
    if figure.kind == "area_grid":
        return _area_grid(figure, label)
    return _counters(figure, label)


def _text(x: float, y: float, text: str, size: int = 14) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="middle" fill="{LINE}" '
        f'font-family="sans-serif">{escape(text)}</text>'
    )


def _number_line(figure: Figure, label: str) -> str:
    left, right, y = 20.0, 300.0, 44.0
    start, end, parts = figure.get("start"), figure.get("end"), figure.whole("parts")
    body = [
        f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{LINE}" stroke-width="2"/>'
    ]
    for i in range(parts + 1):
        x = left + (right - left) * i / parts
        value = start + (end - start) * Fraction(i, parts)
        tall = 10 if value.denominator == 1 else 7
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(y - tall)}" x2="{_n(x)}" y2="{_n(y + tall)}" stroke="{LINE}"/>'
        )
        if value.denominator == 1 or i in (0, parts):  # whole numbers and the ends are labelled
            body.append(_text(x, y + 28, format_number(value)))
    for p in figure.points:
        x = left + (right - left) * float((p.at - start) / (end - start))
        body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6" fill="{SHADE}"/>')
        if p.label:
            body.append(_text(x, y - 16, p.label, 16))
    return _svg(320, 84, body, label)


def _fraction_bars(figure: Figure, label: str) -> str:
    parts, shaded, bars = figure.whole("parts"), figure.whole("shaded"), _bars(figure)
    width, height, gap = 280.0, 36.0, 12.0
    body = []
    for b in range(bars):
        top = 8 + b * (height + gap)
        for i in range(parts):
            filled = b * parts + i < shaded
            x = 20 + width * i / parts
            body.append(
                f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(width / parts)}" height="{_n(height)}" '
                f'fill="{SHADE if filled else PAPER}" stroke="{LINE}" stroke-width="1.5"/>'
            )
    return _svg(320, int(16 + bars * height + (bars - 1) * gap), body, label)


def _area_grid(figure: Figure, label: str) -> str:
    rows, cols = figure.whole("rows"), figure.whole("cols")
    r, c = figure.whole("shaded_rows"), figure.whole("shaded_cols")
    side, left, top = 180.0, 20.0, 10.0
    body = []
    for i in range(rows):
        for j in range(cols):
            fill = SHADE if i < r and j < c else ("#cfe3df" if i < r or j < c else PAPER)
            body.append(
                f'<rect x="{_n(left + side * j / cols)}" y="{_n(top + side * i / rows)}" '
                f'width="{_n(side / cols)}" height="{_n(side / rows)}" fill="{fill}" stroke="{LINE}"/>'
            )
    return _svg(220, 200, body, label)


def _counters(figure: Figure, label: str) -> str:
    count, shaded, per_row = figure.whole("count"), figure.whole("shaded"), _per_row(figure)
    rows = -(-count // per_row)
    step = 30.0
    body = []
    for i in range(count):
        x, y = 20 + step * (i % per_row), 20 + step * (i // per_row)
        fill = SHADE if i < shaded else PAPER
        body.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="11" fill="{fill}" stroke="{LINE}" stroke-width="1.5"/>'
        )
    return _svg(int(10 + step * per_row), int(10 + step * rows), body, label)
