"""Effect sizes for leaders, checked against independent computations on a public data set: Spector and
Mazzeo's (1980) study of a new way of teaching economics (PSI), bundled with statsmodels (so offline)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.datasets import spector

from cairn.engine.program import NotEnoughData, adjusted_difference, cronbach_alpha, effect_size


@pytest.fixture(scope="module")
def psi() -> dict[str, list[float]]:
    data = spector.load_pandas().data
    return {name: data[name].tolist() for name in ("GPA", "TUCE", "PSI", "GRADE")}


def test_hedges_g_matches_the_textbook_arithmetic(psi: dict[str, list[float]]) -> None:
    treated = [s for s, p in zip(psi["TUCE"], psi["PSI"], strict=True) if p == 1]
    others = [s for s, p in zip(psi["TUCE"], psi["PSI"], strict=True) if p == 0]
    n1, n2 = len(treated), len(others)
    pooled = math.sqrt(
        ((n1 - 1) * statistics.variance(treated) + (n2 - 1) * statistics.variance(others)) / (n1 + n2 - 2)
    )
    d = (statistics.mean(treated) - statistics.mean(others)) / pooled
    g = d * (1 - 3 / (4 * (n1 + n2) - 9))  # Hedges' approximate correction
    se = math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))

    result = effect_size(treated, others)

    assert (result.n_treatment, result.n_comparison) == (n1, n2) == (14, 18)
    assert result.g == pytest.approx(g, abs=2e-3)  # the exact correction differs from the approximation
    assert result.ci_low == pytest.approx(g - 1.959964 * se, abs=3e-3)
    assert result.ci_high == pytest.approx(g + 1.959964 * se, abs=3e-3)
    assert result.ci_low < result.g < result.ci_high


def test_missing_values_are_ignored() -> None:
    with_gaps = effect_size([3.0, None, 5.0, float("nan"), 4.0], [1.0, 2.0, None, 3.0])
    assert with_gaps == effect_size([3.0, 5.0, 4.0], [1.0, 2.0, 3.0])
    assert with_gaps.n_treatment == 3


def test_too_little_data_is_refused_by_name() -> None:
    with pytest.raises(NotEnoughData, match="at least 2"):
        effect_size([1.0], [1.0, 2.0])
    with pytest.raises(NotEnoughData, match="do not vary"):
        effect_size([2.0, 2.0], [2.0, 2.0])


def test_baseline_adjusted_difference_matches_statsmodels_ols(psi: dict[str, list[float]]) -> None:
    fit = sm.OLS(np.asarray(psi["TUCE"]), sm.add_constant(np.column_stack([psi["PSI"], psi["GPA"]]))).fit()
    low, high = fit.conf_int(alpha=0.05)[1]

    result = adjusted_difference(psi["TUCE"], psi["GPA"], [p == 1 for p in psi["PSI"]])

    assert result.difference == pytest.approx(fit.params[1], rel=1e-9)
    assert (result.ci_low, result.ci_high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    assert (result.n_treatment, result.n_comparison) == (14, 18)


def test_cronbach_alpha_matches_the_covariance_form() -> None:
    # Alpha also equals k·mean covariance / (mean variance + (k−1)·mean covariance): an independent route.
    rng = np.random.default_rng(7)
    trait = rng.normal(size=40)
    answers = np.clip(np.round(3 + trait[:, None] + rng.normal(scale=0.8, size=(40, 4))), 1, 5)
    cov = np.cov(answers, rowvar=False)
    k = cov.shape[0]
    mean_var = np.trace(cov) / k
    mean_cov = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    expected = k * mean_cov / (mean_var + (k - 1) * mean_cov)

    assert cronbach_alpha(answers.tolist()) == pytest.approx(expected, rel=1e-9)
    assert 0.7 < expected < 1  # four answers driven by one trait hang together


def test_cronbach_alpha_leaves_out_incomplete_responses_and_refuses_one_question() -> None:
    complete = [[4, 5, 4], [2, 2, 3], [3, 3, 3], [5, 4, 5]]
    assert cronbach_alpha([*complete, [1, None, 1]]) == cronbach_alpha(complete)
    with pytest.raises(NotEnoughData, match="2 questions"):
        cronbach_alpha([[1], [2]])
