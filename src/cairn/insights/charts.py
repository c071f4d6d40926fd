"""Charts drawn on the server as SVG: geometry here, drawing in templates (insights/_chart_*.html).

No script and no style attributes (the CSP allows neither): colours come from CSS classes, and each series
also differs in dash pattern or carries a text label, so a chart reads without colour. Each chart has a
title and a description, and the page shows the same numbers in a table for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 4"]


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    points: str  # "x,y x,y ..." for <polyline>
    dash: str
    index: int
    last_x: float
    last_y: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    guide: float | None = None  # y of a reference line (e.g. the mastery threshold), in pixels
    guide_label: str = ""


def _scale(value: float, lo: float, hi: float, a: float, b: float) -> float:
    if hi == lo:
        return (a + b) / 2
    return a + (value - lo) * (b - a) / (hi - lo)


def line_chart(
    series: Mapping[str, Sequence[tuple[float, float]]],
    *,
    x_ticks: Sequence[tuple[float, str]],
    y_range: tuple[float, float],
    y_format: str = "{:.0f}",
    y_steps: int = 4,
    guide: tuple[float, str] | None = None,
    width: int = 560,
    height: int = 220,
) -> LineChart:
    left, top, right, bottom = 44, 12, width - 120, height - 28
    xs = [x for points in series.values() for x, _ in points] + [x for x, _ in x_ticks]
    x_lo, x_hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    y_lo, y_hi = y_range

    def px(x: float) -> float:
        return round(_scale(x, x_lo, x_hi, left, right), 1)

    def py(y: float) -> float:
        return round(_scale(y, y_lo, y_hi, bottom, top), 1)

    lines = []
    for i, (name, points) in enumerate(series.items()):
        if not points:
            continue
        coords = [(px(x), py(y)) for x, y in points]
        lines.append(
            Line(
                name=name,
                points=" ".join(f"{x},{y}" for x, y in coords),
                dash=DASHES[i % len(DASHES)],
                index=i % len(DASHES),
                last_x=coords[-1][0],
                last_y=coords[-1][1],
            )
        )
    y_ticks = [
        Tick(py(y_lo + (y_hi - y_lo) * k / y_steps), y_format.format(y_lo + (y_hi - y_lo) * k / y_steps))
        for k in range(y_steps + 1)
    ]
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        lines=lines,
        x_ticks=[Tick(px(x), label) for x, label in x_ticks],
        y_ticks=y_ticks,
        guide=py(guide[0]) if guide else None,
        guide_label=guide[1] if guide else "",
    )


def days_since(start: dt.datetime, when: dt.datetime) -> float:
    return (when - start).total_seconds() / 86400


@dataclass(frozen=True)
class Segment:
    status: str
    y: float
    height: float
    count: int


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    segments: list[Segment]
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    top: int
    bottom: int
    bars: list[Bar]
    y_ticks: list[Tick]
    label_every: int


def stacked_bars(
    columns: Sequence[tuple[str, Mapping[str, int]]],
    *,
    order: Sequence[str],
    total: int,
    width: int = 900,
    height: int = 200,
    labels: Mapping[str, str] | None = None,
) -> BarChart:
    """One bar per column (e.g. a competency), stacked by status in ``order`` from the bottom, out of
    ``total`` (e.g. the number of students)."""
    labels = labels or {}
    left, top, bottom = 36, 10, height - 34
    n = max(len(columns), 1)
    slot = min(max((width - left - 8) / n, 10.0), 40.0)  # bars neither hair-thin nor slabs
    width = round(left + n * slot + 8)
    bar_w = max(round(slot * 0.8, 1), 2.0)
    bars = []
    for i, (label, counts) in enumerate(columns):
        y = float(bottom)
        segments = []
        for status in order:
            k = counts.get(status, 0)
            if not k:
                continue
            h = round((bottom - top) * k / max(total, 1), 1)
            y = round(y - h, 1)
            segments.append(Segment(status, y, h, k))
        title = f"{label}: " + ", ".join(
            f"{counts.get(s, 0)} {labels.get(s, s.replace('_', ' '))}" for s in order
        )
        bars.append(Bar(label, round(left + i * slot + (slot - bar_w) / 2, 1), bar_w, segments, title))
    y_ticks = [Tick(round(bottom - (bottom - top) * k / 4, 1), f"{round(total * k / 4)}") for k in range(5)]
    return BarChart(
        width=width,
        height=height,
        top=top,
        bottom=bottom,
        bars=bars,
        y_ticks=y_ticks,
        label_every=max(1, round(n / 30)),
    )


@dataclass(frozen=True)
class HistogramBar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Histogram:
    width: int
    height: int
    bottom: int
    bars: list[HistogramBar]


def histogram(bins: Sequence[tuple[str, int]], *, width: int = 420, height: int = 200) -> Histogram:
    top, bottom, left = 18, height - 30, 10
    peak = max((k for _, k in bins), default=0) or 1
    slot = (width - 2 * left) / max(len(bins), 1)
    bars = []
    for i, (label, k) in enumerate(bins):
        h = round((bottom - top) * k / peak, 1)
        bars.append(
            HistogramBar(
                label,
                k,
                round(left + i * slot + slot * 0.1, 1),
                round(bottom - h, 1),
                round(slot * 0.8, 1),
                h,
            )
        )
    return Histogram(width=width, height=height, bottom=bottom, bars=bars)
