"""Small server-side charts for the leaders' pages (the look of cairn.insights.charts): two or more groups'
means with their interval bars, drawn by a template from these coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.utils.formats import date_format

from cairn.insights.charts import line_chart

if TYPE_CHECKING:
    from cairn.leaders import track


class HasInterval(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def n(self) -> int: ...
    @property
    def growth_mean(self) -> float: ...
    @property
    def growth_low(self) -> float: ...
    @property
    def growth_high(self) -> float: ...


@dataclass(frozen=True)
class IntervalBar:
    label: str
    n: int
    mean: float
    low: float
    high: float
    x: float
    y_mean: float
    y_low: float
    y_high: float


@dataclass(frozen=True)
class IntervalChart:
    width: int
    height: int
    bars: list[IntervalBar]
    y_zero: float
    top_label: str
    bottom_label: str


def interval_chart(groups: Sequence[HasInterval], *, width: int = 360, height: int = 220) -> IntervalChart:
    """Each group's mean growth as a dot with its 95% interval as a vertical bar, on a shared scale that
    includes zero (no growth)."""
    values = [v for g in groups for v in (g.growth_low, g.growth_high, g.growth_mean) if v == v]  # no NaN
    lo, hi = min([0.0, *values]), max([0.0, *values])
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) * 0.1
    lo, hi = lo - pad, hi + pad
    top, bottom = 20.0, height - 40.0

    def y(v: float) -> float:
        v = v if v == v else 0.0
        return round(bottom - (v - lo) / (hi - lo) * (bottom - top), 1)

    step = width / (len(groups) + 1)
    bars = [
        IntervalBar(
            g.label,
            g.n,
            g.growth_mean,
            g.growth_low,
            g.growth_high,
            round(step * (k + 1), 1),
            y(g.growth_mean),
            y(g.growth_low),
            y(g.growth_high),
        )
        for k, g in enumerate(groups)
    ]
    return IntervalChart(width, height, bars, y(0.0), f"{hi:.1f}", f"{lo:.1f}")


def trajectory_chart(cell: track.Cell) -> object:
    """A goal's figures at one school against its target line and projection (the homes and the reports)."""
    goal, t = cell.goal, cell.trajectory
    start = goal.start_date

    def x(day: object) -> float:
        return float((day - start).days)  # type: ignore[operator]

    series = {
        "Target line": [(0.0, goal.baseline), (x(goal.target_date), cell.target)],
        "Measured": [(x(d), v) for d, v in cell.points],
    }
    if t.projected is not None and cell.points:
        series["Projection"] = [
            (x(cell.points[-1][0]), cell.points[-1][1]),
            (x(goal.target_date), t.projected),
        ]
    ys = [v for pts in series.values() for _, v in pts]
    lo, hi = min(ys), max(ys)
    pad = (hi - lo) * 0.1 or 1.0
    fmt = "{:.0f}" if hi - lo >= 4 else "{:.1f}"
    ticks = [(0.0, date_format(start, "M Y")), (x(goal.target_date), date_format(goal.target_date, "M Y"))]
    return line_chart(series, x_ticks=ticks, y_range=(lo - pad, hi + pad), y_format=fmt)
