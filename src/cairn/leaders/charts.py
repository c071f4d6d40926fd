"""Small server-side charts for the leaders' pages (the look of cairn.insights.charts): two or more groups'
means with their interval bars, drawn by a template from these coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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
