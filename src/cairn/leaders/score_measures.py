"""Measures on outside test scores (``cairn import scores``): the mean score and the share of students at
or above a proficiency cut score, on one assessment (and window, else each student's latest score)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cairn.accounts.models import District, School
from cairn.leaders.measures import Measure, Value, register, students_of
from cairn.leaders.models import OutsideScore


def latest_scores(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> list[float]:
    """Each student's score on ``params["assessment"]`` in ``params["period"]`` (window or ISO date), else
    their latest dated no later than ``on`` (undated windows count as latest by import order)."""
    assessment = str(params.get("assessment") or "").strip()
    if not assessment:
        return []
    rows = OutsideScore.objects.filter(
        district=district, assessment=assessment, student__in=students_of(district, school)
    )
    period = str(params.get("period") or "").strip()
    rows = rows.filter(period=period) if period else rows.exclude(on__gt=on)
    latest: dict[int, float] = {}
    for student_id, score in rows.order_by("on", "pk").values_list("student_id", "score"):
        latest[student_id] = score  # later rows win
    return list(latest.values())


def outside_score_mean(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    scores = latest_scores(district, school, on, params)
    return Value(sum(scores) / len(scores) if scores else None, len(scores))


def outside_score_proficient(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    scores = latest_scores(district, school, on, params)
    try:
        cut = float(params.get("cut_score") or "")
    except (TypeError, ValueError):
        return Value(None, len(scores))
    if not scores:
        return Value(None, 0)
    return Value(100.0 * sum(s >= cut for s in scores) / len(scores), len(scores))


register(
    Measure(
        key="outside_score_mean",
        label="Mean outside test score",
        unit="points",
        compute=outside_score_mean,
        params=("assessment", "period"),
        help="Mean score on an imported outside test (state or interim): one window, or each latest score.",
    )
)
register(
    Measure(
        key="outside_score_proficient",
        label="Students proficient on an outside test",
        unit="percent",
        compute=outside_score_proficient,
        params=("assessment", "period", "cut_score"),
        help="Percent of students at or above the cut score on an imported outside test.",
    )
)
