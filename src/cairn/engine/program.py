"""Is the program working? Effect sizes for leaders, with their uncertainty.

Two estimates, both plain NumPy/SciPy so that they run anywhere and are checked in the tests against an
independent computation (statsmodels' OLS and hand arithmetic on its bundled Spector & Mazzeo data set, a
study of a new teaching method):

- ``effect_size(treatment, comparison)``: Hedges' g, the standardized mean difference with the small-sample
  correction, and its 95% interval (Hedges & Olkin 1985, the large-sample variance of g);
- ``adjusted_difference(outcome, baseline, treated)``: the difference between groups after adjusting for
  the baseline by regression (ANCOVA: outcome ~ treated + baseline), in the outcome's units and as g;
- ``cronbach_alpha(responses)``: how consistently a survey's questions measure one scale.

Neither is a randomized trial unless the groups were randomized: the pages that show them say what the
comparison group is. Missing values (None or NaN) are ignored, pairwise for the regression.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

__all__ = [
    "AdjustedEffect",
    "EffectSize",
    "NotEnoughData",
    "adjusted_difference",
    "cronbach_alpha",
    "effect_size",
    "match_on_baseline",
]


class NotEnoughData(ValueError):
    """A group has too few values (fewer than 2) or no spread at all."""


@dataclass(frozen=True)
class EffectSize:
    """Hedges' g (treatment minus comparison, in pooled standard deviations) and its interval."""

    g: float
    ci_low: float
    ci_high: float
    n_treatment: int
    n_comparison: int


@dataclass(frozen=True)
class AdjustedEffect:
    """The baseline-adjusted difference between groups, in the outcome's units, with its interval, and the
    same as a standardized effect (divided by the outcome's pooled standard deviation)."""

    difference: float
    ci_low: float
    ci_high: float
    g: float
    n_treatment: int
    n_comparison: int


def _values(values: Iterable[float | None]) -> np.ndarray:
    array = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    kept: np.ndarray = array[~np.isnan(array)]
    return kept


def small_sample_correction(df: float) -> float:
    """Hedges' J, exact: Γ(df/2) / (√(df/2) Γ((df−1)/2)); about 1 − 3/(4·df − 1)."""
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def _pooled_sd(a: np.ndarray, b: np.ndarray) -> float:
    n1, n2 = len(a), len(b)
    return math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))


def effect_size(
    treatment: Iterable[float | None], comparison: Iterable[float | None], *, confidence: float = 0.95
) -> EffectSize:
    """Hedges' g of ``treatment`` over ``comparison`` with its ``confidence`` interval (normal approximation
    with the variance (n1 + n2)/(n1·n2) + g²/(2(n1 + n2)))."""
    a, b = _values(treatment), _values(comparison)
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        raise NotEnoughData(f"each group needs at least 2 values (treatment {n1}, comparison {n2})")
    sd = _pooled_sd(a, b)
    if sd == 0:
        raise NotEnoughData("the values do not vary: a standardized difference is undefined")
    g = (a.mean() - b.mean()) / sd * small_sample_correction(n1 + n2 - 2)
    se = math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    z = stats.norm.ppf(0.5 + confidence / 2)
    return EffectSize(float(g), float(g - z * se), float(g + z * se), n1, n2)


def adjusted_difference(
    outcome: Iterable[float | None],
    baseline: Iterable[float | None],
    treated: Iterable[bool],
    *,
    confidence: float = 0.95,
) -> AdjustedEffect:
    """The treatment coefficient of the least-squares fit outcome = b0 + b1·treated + b2·baseline, with its
    t interval (classical standard errors). Students missing either score are left out."""
    y = np.asarray([np.nan if v is None else v for v in outcome], dtype=float)
    x = np.asarray([np.nan if v is None else v for v in baseline], dtype=float)
    t = np.asarray(list(treated), dtype=float)
    if not len(y) == len(x) == len(t):
        raise ValueError("outcome, baseline and treated must have one value per student")
    keep = ~(np.isnan(y) | np.isnan(x))
    y, x, t = y[keep], x[keep], t[keep]
    n1, n2 = int(t.sum()), int(len(t) - t.sum())
    if n1 < 2 or n2 < 2:
        raise NotEnoughData(f"each group needs at least 2 students with both scores ({n1}, {n2})")
    design = np.column_stack([np.ones_like(y), t, x])
    coef, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    df = len(y) - 3
    if rank < 3 or df < 1:
        raise NotEnoughData("the baseline does not vary, or it alone tells the groups apart")
    residual = y - design @ coef
    sigma2 = residual @ residual / df
    se = math.sqrt(sigma2 * np.linalg.inv(design.T @ design)[1, 1])
    half = stats.t.ppf(0.5 + confidence / 2, df) * se
    sd = _pooled_sd(y[t == 1], y[t == 0])
    diff = float(coef[1])
    g = diff / sd * small_sample_correction(n1 + n2 - 2) if sd else float("nan")
    return AdjustedEffect(diff, diff - half, diff + half, float(g), n1, n2)


def cronbach_alpha(responses: Iterable[Iterable[float | None]]) -> float:
    """Cronbach's alpha of a scale: k/(k−1)·(1 − Σ item variances / variance of the sum), one row per
    respondent, one column per question. Respondents who skipped a question are left out (listwise)."""
    rows = np.asarray([[np.nan if v is None else v for v in row] for row in responses], dtype=float)
    if rows.ndim != 2 or rows.shape[1] < 2:
        raise NotEnoughData("a scale needs at least 2 questions")
    rows = rows[~np.isnan(rows).any(axis=1)]
    if len(rows) < 2:
        raise NotEnoughData("a scale's reliability needs at least 2 complete responses")
    total_variance = rows.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        raise NotEnoughData("every respondent gave the same total: reliability is undefined")
    k = rows.shape[1]
    return float(k / (k - 1) * (1 - rows.var(axis=0, ddof=1).sum() / total_variance))


def match_on_baseline(
    treated: Sequence[float], pool: Sequence[float], *, caliper: float | None = None
) -> list[tuple[int, int]]:
    """Nearest-neighbour matching on the baseline, without replacement: for each treated student, in order
    of baseline (the extremes last, so they don't take the middle's matches), the closest comparison student
    not yet taken (ties to the lower index), within ``caliper`` when given. Returns (treated index, pool
    index) pairs; a treated student with no match left is dropped."""
    free = sorted(range(len(pool)), key=lambda j: (pool[j], j))
    values = [pool[j] for j in free]
    centre = float(np.median(treated)) if len(treated) else 0.0
    pairs = []
    for i in sorted(range(len(treated)), key=lambda i: (abs(treated[i] - centre), i)):
        at = bisect.bisect_left(values, treated[i])
        near = [k for k in (at - 1, at) if 0 <= k < len(values)]
        if not near:
            break
        k = min(near, key=lambda k: (abs(values[k] - treated[i]), free[k]))
        if caliper is not None and abs(values[k] - treated[i]) > caliper:
            continue
        pairs.append((i, free.pop(k)))
        values.pop(k)
    return sorted(pairs)
