"""On or off track: where a goal's measure is heading, against the straight line from its baseline to its
target.

A goal says: from ``baseline`` on ``start`` to ``target`` by ``target_date``. The target line joins the two.
The projection is an ordinary least-squares line through the measured points (dated values), read at the
target date; with one point the projection keeps the line's slope through that point, so a single figure
ahead of the line is on track and one behind is not. A goal is on track when the projection reaches the
target (or, for a measure where lower is better, stays at or under it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean


@dataclass(frozen=True)
class Trajectory:
    projected: float | None  # the projection at the target date; None without any point
    expected_today: float  # where the target line says the measure should be on ``today``
    latest: float | None  # the last measured value
    on_track: bool | None  # None without any point
    slope_per_week: float | None  # the projection's slope (units per week)
    n_points: int


def target_line(
    *, baseline: float, target: float, start: dt.date, target_date: dt.date, on: dt.date
) -> float:
    """The value the straight line from (start, baseline) to (target_date, target) gives on ``on``."""
    span = (target_date - start).days
    if span <= 0:
        return target
    share = min(max((on - start).days / span, 0.0), 1.0)
    return baseline + (target - baseline) * share


def project(
    points: Sequence[tuple[dt.date, float]],
    *,
    baseline: float,
    target: float,
    start: dt.date,
    target_date: dt.date,
    today: dt.date,
    higher_is_better: bool = True,
) -> Trajectory:
    """Project dated values to ``target_date`` and say whether the goal is on track."""
    if target_date < start:
        raise ValueError("The target date comes before the start.")
    expected = target_line(baseline=baseline, target=target, start=start, target_date=target_date, on=today)
    pts = sorted(points)
    if not pts:
        return Trajectory(None, expected, None, None, None, 0)
    # Closed-form least squares in plain Python: a leader's page fits one short series per school and
    # goal, where NumPy's call overhead would be most of the time.
    days = [float((d - start).days) for d, _ in pts]
    values = [float(v) for _, v in pts]
    horizon = float((target_date - start).days)
    mean_x, mean_y = fmean(days), fmean(values)
    sxx = sum((x - mean_x) ** 2 for x in days)
    if sxx == 0:
        slope = (target - baseline) / max(horizon, 1.0)  # one day of figures: keep the line's slope
    else:
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(days, values, strict=True)) / sxx
    projected = mean_y + slope * (horizon - mean_x)
    on_track = projected >= target if higher_is_better else projected <= target
    return Trajectory(
        projected=projected,
        expected_today=expected,
        latest=values[-1],
        on_track=bool(on_track),
        slope_per_week=slope * 7,
        n_points=len(pts),
    )
