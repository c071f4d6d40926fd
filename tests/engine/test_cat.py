from __future__ import annotations

import numpy as np
import pytest

from cairn.engine.cat import (
    AdaptiveTest,
    CatConfig,
    CatState,
    ItemBank,
    NotServedError,
    StopReason,
    exposure_prices,
    mastery_point,
    place,
)
from cairn.engine.irt import information


def _bank(n: int = 200, seed: int = 0, areas: int = 1) -> ItemBank:
    rng = np.random.default_rng(seed)
    return ItemBank.from_params(
        rng.lognormal(0, 0.25, n), rng.normal(0, 1, n), area=rng.integers(0, areas, n)
    )


def _take(test: AdaptiveTest, theta: float, rng: np.random.Generator, exposure=None) -> CatState:
    state = CatState()
    while True:
        state, item = test.next_item(state, rng, exposure)
        if item is None:
            return state
        p = 1 / (1 + np.exp(-test.bank.a[item] * (theta - test.bank.b[item])))
        state = test.answer(state, item, bool(rng.random() < p))
        if state.finished:
            return state


def test_cat_stops_at_the_target_se_and_estimates_ability() -> None:
    test = AdaptiveTest(_bank(), CatConfig(se_target=0.3, max_items=60))
    rng = np.random.default_rng(1)
    thetas = rng.normal(0, 1, 60)
    results = [_take(test, float(t), rng) for t in thetas]
    assert all(r.se <= 0.3 or r.stop_reason is StopReason.MAX_ITEMS for r in results)
    assert np.corrcoef(thetas, [r.theta for r in results])[0, 1] > 0.9
    assert all(len(set(r.administered)) == len(r.administered) for r in results)  # no item twice


def test_selection_adapts_to_the_answers() -> None:
    test = AdaptiveTest(_bank(), CatConfig(randomesque=1))
    rng = np.random.default_rng(2)
    right, wrong = CatState(), CatState()
    for _ in range(4):
        right, item = test.next_item(right, rng)
        right = test.answer(right, item, True)
        wrong, item = test.next_item(wrong, rng)
        wrong = test.answer(wrong, item, False)
    _, harder = test.next_item(right, rng)
    _, easier = test.next_item(wrong, rng)
    assert test.bank.b[harder] > test.bank.b[easier]


def test_exposure_cap_skips_overexposed_items_while_others_remain() -> None:
    bank = _bank(50)
    test = AdaptiveTest(bank, CatConfig(randomesque=1, max_exposure=0.25))
    best = int(np.argmax(bank.a**2 / 4 * np.exp(-(bank.b**2))))  # some item; mark all but 3 as overexposed
    exposure = np.full(50, 0.9)
    exposure[[1, 2, 3]] = 0.0
    _, item = test.next_item(CatState(), np.random.default_rng(0), exposure)
    assert item in {1, 2, 3}
    assert best is not None


def test_content_balancing_spreads_items_over_competencies() -> None:
    test = AdaptiveTest(_bank(300, areas=3), CatConfig(se_target=0.0, max_items=12))
    state = _take(test, 0.5, np.random.default_rng(3))
    counts = np.bincount(test.bank.area[list(state.administered)], minlength=3)
    assert counts.tolist() == [4, 4, 4]


def test_only_the_served_item_may_be_answered_and_reload_serves_it_again() -> None:
    test = AdaptiveTest(_bank())
    rng = np.random.default_rng(4)
    state, item = test.next_item(CatState(), rng)
    again, same = test.next_item(state, rng)
    assert same == item
    assert again == state
    with pytest.raises(NotServedError):
        test.answer(state, (item + 1) % len(test.bank), True)
    restored = CatState.from_dict(state.to_dict())  # a closed tab resumes from stored state
    assert test.answer(restored, item, True).administered == (item,)


def test_placement_respects_prerequisites() -> None:
    difficulty = {"3.NF.A.1": -1.5, "3.NF.A.2": -1.0, "4.NF.A.1": 0.0, "5.NF.A.1": 1.5}
    prereq = {"3.NF.A.2": ["3.NF.A.1"], "4.NF.A.1": ["3.NF.A.2"], "5.NF.A.1": ["4.NF.A.1"]}
    placed = place(0.8, 0.3, difficulty, prereq)
    assert placed.mastered == {"3.NF.A.1", "3.NF.A.2", "4.NF.A.1"}
    assert placed.ready == {"5.NF.A.1"}
    # A high estimate can't skip a gap: if 3.NF.A.2 is hard, 4.NF.A.1 isn't presumed mastered.
    gap = place(0.8, 0.3, {**difficulty, "3.NF.A.2": 2.0}, prereq)
    assert "4.NF.A.1" not in gap.mastered
    assert "3.NF.A.2" in gap.ready
    with pytest.raises(ValueError, match="cycle"):
        place(0.0, 0.3, {"a": 0, "b": 0}, {"a": ["b"], "b": ["a"]})


def test_mastery_point_is_where_expected_score_reaches_target() -> None:
    a, b, c = np.array([1.0, 1.2]), np.array([0.0, 0.5]), np.zeros(2)
    point = mastery_point(a, b, c, 0.8)
    expected = np.mean(1 / (1 + np.exp(-a * (point - b))))
    assert expected == pytest.approx(0.8, abs=1e-6)


def test_exposure_prices_fall_on_the_items_everyone_wants() -> None:
    bank = _bank(300, seed=5)
    prices = exposure_prices(bank, 0.25, 0.3)
    assert prices.shape == (300,)
    assert np.all(prices >= 0)
    # The cap binds on discriminating items near the middle of the population, never on weak items.
    central = np.abs(bank.b) < 1.0
    assert prices[central & (bank.a > np.quantile(bank.a, 0.75))].mean() > 0
    assert np.all(prices[bank.a < np.quantile(bank.a, 0.1)] == 0)
    assert np.all(exposure_prices(bank, 1.0, 0.3) == 0)  # no cap, nothing is scarce


def test_priced_selection_keeps_the_exposure_cap_and_shortens_tests() -> None:
    bank = _bank(300, seed=6)
    thetas = np.random.default_rng(7).normal(0, 1, 300)

    def run(pricing: bool) -> tuple[float, float]:
        test = AdaptiveTest(bank, CatConfig(se_target=0.3, max_items=60, exposure_pricing=pricing))
        rng = np.random.default_rng(8)
        shown = np.zeros(len(bank))
        lengths = []
        for i, theta in enumerate(thetas):
            state = _take(test, float(theta), rng, shown / max(i, 1))
            shown[list(state.administered)] += 1
            lengths.append(len(state.administered))
        return float(np.mean(lengths)), float(shown.max() / len(thetas))

    priced, priced_exposure = run(True)
    plain, plain_exposure = run(False)
    assert priced_exposure <= 0.26
    assert plain_exposure <= 0.26
    assert priced < plain


def test_a_cap_a_small_bank_cannot_honour_is_raised_to_what_it_can() -> None:
    small = AdaptiveTest(_bank(40), CatConfig(max_items=20, max_exposure=0.25))
    assert small.exposure_cap == pytest.approx(0.5)  # every full-length test uses half the bank
    large = AdaptiveTest(_bank(300), CatConfig(max_items=60, max_exposure=0.25))
    assert large.exposure_cap == pytest.approx(0.25)
    # Items at 40% exposure stay eligible in the small bank: the most informative one is chosen.
    test = AdaptiveTest(_bank(40), CatConfig(max_items=20, randomesque=1, exposure_pricing=False))
    exposure = np.full(40, 0.4)
    exposure[0] = 0.0
    _, item = test.next_item(CatState(), np.random.default_rng(0), exposure)
    assert item == int(np.argmax(information(0.0, test.bank.a, test.bank.b, test.bank.c)))


def test_the_stop_reason_is_named_and_survives_the_stored_state() -> None:
    test = AdaptiveTest(_bank(), CatConfig(se_target=0.3, max_items=60))
    state = _take(test, 0.0, np.random.default_rng(5))
    assert state.finished
    assert state.stop_reason is StopReason.SE_TARGET
    stored = state.to_dict()
    assert stored["stop_reason"] == "se_target"
    assert CatState.from_dict(stored) == state
    assert CatState().to_dict()["stop_reason"] == ""
    # States saved while the reason was free text still read.
    old_wording = {
        "standard error ≤ 0.3": StopReason.SE_TARGET,
        "maximum length": StopReason.MAX_ITEMS,
        "bank exhausted": StopReason.BANK_EXHAUSTED,
        "": None,
    }
    for old, reason in old_wording.items():
        assert CatState.from_dict({**stored, "stop_reason": old}).stop_reason is reason
