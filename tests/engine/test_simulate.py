"""Simulated learners: varied, learning over time, held back by unknown prerequisites."""

from __future__ import annotations

import numpy as np

from cairn.engine.simulate import PopulationParams, make_population


def test_simulated_learners_vary_learn_and_respect_prerequisites() -> None:
    codes = ["A", "B", "C"]
    pre = {"B": ["A"], "C": ["B"]}
    learners = make_population(codes, pre, 300, seed=5, params=PopulationParams(p_init=0.3))
    assert len({round(x.p_learn["A"], 6) for x in learners}) > 250  # parameters differ between learners
    assert all("C" not in x.known or {"A", "B"} <= x.known for x in learners)
    again = make_population(codes, pre, 300, seed=5, params=PopulationParams(p_init=0.3))
    assert [x.known for x in learners] == [x.known for x in again]  # same seed, same learners
    learner = learners[0]
    learner.known.clear()
    for _ in range(200):
        learner.answer("A")
    assert "A" in learner.known
    accuracy = np.mean([learner.answer("A") for _ in range(400)])
    assert abs(accuracy - (1 - learner.p_slip["A"])) < 0.06


def test_unknown_prerequisites_slow_learning() -> None:
    pre = {"B": ["A"]}
    fast = slow = 0
    for seed in range(40):
        a, b = make_population(["A", "B"], pre, 2, seed=seed, params=PopulationParams(p_init=0.0))
        a.known.add("A")
        while "B" not in a.known:
            a.learn("B")
            fast += 1
        while "B" not in b.known and b.opportunities.get("B", 0) < 500:
            b.learn("B")
            slow += 1
    assert slow > 2 * fast
