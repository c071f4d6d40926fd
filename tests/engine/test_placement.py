"""Placement on the competency graph (cairn.engine.placement): knowledge states, the evidence flowing along
prerequisites, gap-free placements, the most informative next item, and a small simulated diagnostic."""

from __future__ import annotations

import numpy as np
import pytest

from cairn.engine.graph import CycleError
from cairn.engine.placement import Answer, KnowledgeGraph, Probe, downsets, run_diagnostic
from cairn.engine.simulate import PopulationParams, SimulatedLearner, make_population

CHAIN = {"a": [], "b": ["a"], "c": ["b"], "d": ["c"]}
# Two roots joined below: x and y are each prerequisites of z.
JOIN = {"x": [], "y": [], "z": ["x", "y"]}


def test_the_states_are_the_prerequisite_closed_sets() -> None:
    chain = downsets(["a", "b", "c", "d"], CHAIN, 100)
    assert chain is not None
    assert sorted(map(tuple, chain.astype(int).tolist())) == [
        (0, 0, 0, 0),
        (1, 0, 0, 0),
        (1, 1, 0, 0),
        (1, 1, 1, 0),
        (1, 1, 1, 1),
    ]
    join = downsets(["x", "y", "z"], JOIN, 100)
    assert join is not None and len(join) == 5  # {}, x, y, xy, xyz: never z without both
    assert downsets(["x", "y", "z"], JOIN, 4) is None  # over the limit


def test_evidence_flows_along_prerequisites() -> None:
    model = KnowledgeGraph(CHAIN, CHAIN)
    before = model.marginals(model.posterior([]))
    right_on_c = model.marginals(model.posterior([Answer(("c",), True)] * 3))
    assert right_on_c["a"] > 0.9 and right_on_c["b"] > 0.9  # knowing c implies its prerequisites
    assert right_on_c["a"] > before["a"]
    wrong_on_a = model.marginals(model.posterior([Answer(("a",), False)] * 3))
    assert wrong_on_a["d"] < before["d"] and wrong_on_a["b"] < 0.05  # a gap below closes what depends on it


def test_a_placement_never_has_a_gap() -> None:
    rng = np.random.default_rng(3)
    model = KnowledgeGraph(JOIN | CHAIN, JOIN | CHAIN)
    for _ in range(50):
        answers = [Answer((str(rng.choice(list(JOIN | CHAIN))),), bool(rng.random() < 0.5)) for _ in range(6)]
        for threshold in (0.5, 0.8):
            placed = model.place(answers, threshold=threshold)
            for code in placed.mastered:
                assert set((JOIN | CHAIN)[code]) <= placed.mastered
            for code in placed.ready:
                assert code not in placed.mastered and set((JOIN | CHAIN)[code]) <= placed.mastered


def test_too_many_states_falls_back_to_each_competency_alone_without_gaps() -> None:
    model = KnowledgeGraph(CHAIN, CHAIN, max_states=2)
    assert model.n_states == 8  # four components of two states each
    placed = model.place([Answer(("d",), True)] * 4 + [Answer(("b",), False)] * 4)
    assert "d" not in placed.mastered  # right on d, but b (its prerequisite's prerequisite) is not placed


def test_a_cycle_is_refused() -> None:
    with pytest.raises(CycleError):
        KnowledgeGraph(["p", "q"], {"p": ["q"], "q": ["p"]})


def test_the_next_item_goes_where_the_placement_is_least_sure() -> None:
    model = KnowledgeGraph(JOIN, JOIN)
    # x and z settled by many answers; y is open: an item on y is worth most.
    post = model.posterior([Answer(("x",), True)] * 5 + [Answer(("z",), False)] * 5)
    index, gain = model.best_probe(post, [Probe(("x",)), Probe(("z",)), Probe(("y",))])
    assert index == 2 and gain > 0
    # Alike probes are scored once and the first of them is returned.
    assert model.best_probe(post, [Probe(("y",)), Probe(("y",))])[0] == 0


def test_a_simulated_diagnostic_places_most_competencies_right() -> None:
    pre = JOIN | CHAIN | {"e": ["d", "z"]}
    codes = list(pre)
    learners = make_population(codes, pre, 60, seed=1, params=PopulationParams(p_init=0.5))
    model = KnowledgeGraph(codes, pre)
    probes = [Probe((c,)) for c in codes for _ in range(4)]
    rng = np.random.default_rng(0)
    accuracy, items = [], []
    for learner in learners:

        def respond(i: int, lr: SimulatedLearner = learner) -> bool:
            return bool(rng.random() < lr.p_correct(probes[i].competencies[0]))

        placed, asked = run_diagnostic(model, probes, respond, max_items=20, target_accuracy=0.95)
        accuracy.append(np.mean([(c in placed.mastered) == (c in learner.known) for c in codes]))
        items.append(len(asked))
        assert len(set(asked)) == len(asked)  # each item at most once
    prior_only = model.place([])
    baseline = np.mean(
        [np.mean([(c in prior_only.mastered) == (c in lr.known) for c in codes]) for lr in learners]
    )
    assert np.mean(accuracy) >= 0.88 > baseline + 0.1
    assert np.mean(items) < 20  # it stops once sure enough, before the limit
