from __future__ import annotations

import numpy as np
import pytest
from catsim.irt import icc_hpc, inf_hpc

from cairn.engine.irt import IrtCalibrator, information, probability


def _simulate(n_persons: int, n_items: int, seed: int, c: float = 0.0):
    rng = np.random.default_rng(seed)
    a, b = rng.lognormal(0, 0.25, n_items), rng.normal(0, 1, n_items)
    theta = rng.normal(0, 1, n_persons)
    p = c + (1 - c) / (1 + np.exp(-a * (theta[:, None] - b)))
    return a, b, theta, (rng.random(p.shape) < p).astype(float)


def test_probability_and_information_match_catsim() -> None:
    rng = np.random.default_rng(3)
    a, b, c = rng.lognormal(0, 0.3, 50), rng.normal(0, 1, 50), rng.uniform(0, 0.3, 50)
    items = np.column_stack([a, b, c, np.ones(50)])
    for theta in (-2.0, 0.0, 1.3):
        assert np.allclose(probability(theta, a, b, c).ravel(), icc_hpc(theta, items))
        assert np.allclose(information(theta, a, b, c), inf_hpc(theta, items))


def test_2pl_calibration_recovers_simulated_parameters() -> None:
    a, b, theta, y = _simulate(2000, 30, seed=11)  # 2,000 responses per item
    cal = IrtCalibrator("2PL").fit(y)
    assert np.corrcoef(a, cal.a_)[0, 1] >= 0.9
    assert np.corrcoef(b, cal.b_)[0, 1] >= 0.9
    assert np.corrcoef(theta, cal.theta_)[0, 1] >= 0.9
    # Standard errors are of the right size: most true values lie within 3 SE of the estimate.
    assert np.mean(np.abs(cal.b_ - b) <= 3 * cal.se_b_) >= 0.9
    assert np.mean(np.abs(cal.a_ - a) <= 3 * cal.se_a_) >= 0.9
    assert cal.calibrated_.all()
    assert not cal.flagged_


def test_3pl_calibration_recovers_difficulty_and_guessing() -> None:
    a, b, _, y = _simulate(2000, 30, seed=12, c=0.2)
    cal = IrtCalibrator("3PL").fit(y)
    assert np.corrcoef(b, cal.b_)[0, 1] >= 0.9
    assert np.corrcoef(a, cal.a_)[0, 1] >= 0.75  # 3PL discrimination is the hardest to pin down
    assert abs(float(np.mean(cal.c_)) - 0.2) < 0.06


def test_items_with_few_responses_keep_their_priors() -> None:
    _, _, _, y = _simulate(600, 10, seed=13)
    y[20:, 3] = np.nan  # item 3 answered by only 20 students
    cal = IrtCalibrator("2PL", min_responses=50).fit(y)
    assert not cal.calibrated_[3]
    assert cal.calibrated_[[0, 1, 2, 4]].all()
    assert cal.a_[3] == pytest.approx(1.0)
    assert cal.b_[3] == pytest.approx(0.0)
    assert np.isnan(cal.se_b_[3])
    assert cal.n_responses_[3] == 20


def test_a_misfitting_item_is_flagged() -> None:
    rng = np.random.default_rng(14)
    _, _, theta, y = _simulate(2000, 20, seed=14)
    # Item 5 is answered right by weak and strong students alike and wrong in the middle: no 2PL curve fits.
    y[:, 5] = (rng.random(2000) < np.where(np.abs(theta) > 0.8, 0.9, 0.2)).astype(float)
    cal = IrtCalibrator("2PL").fit(y)
    assert 5 in {j for j, _ in cal.flagged_}
    assert len(cal.flagged_) <= 2  # the well-behaved items are not flagged wholesale


def test_bad_responses_are_refused_with_the_cell_named() -> None:
    y = np.zeros((5, 3))
    y[2, 1] = 2
    with pytest.raises(ValueError, match=r"responses\[2, 1\]"):
        IrtCalibrator().fit(y)
    with pytest.raises(ValueError, match="persons × items"):
        IrtCalibrator().fit(np.zeros(4))


def test_known_guessing_is_held_fixed_and_recovers_a_and_b() -> None:
    rng = np.random.default_rng(15)
    n_items = 30
    a, b = rng.lognormal(0, 0.25, n_items), rng.normal(0, 1, n_items)
    c = np.where(np.arange(n_items) % 3 == 0, 1 / 3, 0.0)  # every third item: three options
    theta = rng.normal(0, 1, 2000)
    p = c + (1 - c) / (1 + np.exp(-a * (theta[:, None] - b)))
    y = (rng.random(p.shape) < p).astype(float)
    cal = IrtCalibrator("2PL").fit(y, guessing=c)
    assert np.array_equal(cal.c_, c)
    assert np.corrcoef(a, cal.a_)[0, 1] >= 0.9
    assert np.corrcoef(b, cal.b_)[0, 1] >= 0.95
    # Ignoring the guessing makes the three-option items look easier than they are.
    naive = IrtCalibrator("2PL").fit(y)
    guessed = c > 0
    assert np.mean(np.abs(cal.b_[guessed] - b[guessed])) < np.mean(np.abs(naive.b_[guessed] - b[guessed]))
    with pytest.raises(ValueError, match="one value in"):
        IrtCalibrator("2PL").fit(y, guessing=np.full(n_items - 1, 0.2))
    with pytest.raises(ValueError, match="3PL estimates it"):
        IrtCalibrator("3PL").fit(y, guessing=c)
