"""The competency graph: DAG checks that name the cycle, deterministic order, ancestry and layout."""

from __future__ import annotations

import pytest

from cairn.engine import graph

EDGES = [
    ("3.NF.A.1", "3.NF.A.2.a"),
    ("3.NF.A.2.a", "3.NF.A.2.b"),
    ("3.NF.A.1", "3.NF.A.3.a"),
    ("3.NF.A.2.b", "3.NF.A.3.a"),
    ("3.NF.A.3.a", "4.NF.A.1"),
]
NODES = ["3.NF.A.1", "3.NF.A.2.a", "3.NF.A.2.b", "3.NF.A.3.a", "4.NF.A.1", "6.RP.A.1"]


def test_a_dag_passes_and_orders_prerequisites_first() -> None:
    graph.check_dag(NODES, EDGES)
    order = graph.topological_order(NODES, EDGES)
    assert order == ["3.NF.A.1", "3.NF.A.2.a", "3.NF.A.2.b", "3.NF.A.3.a", "4.NF.A.1", "6.RP.A.1"]
    for a, b in EDGES:
        assert order.index(a) < order.index(b)


def test_a_cycle_is_rejected_and_named() -> None:
    edges = [*EDGES, ("4.NF.A.1", "3.NF.A.2.a")]
    with pytest.raises(graph.CycleError) as caught:
        graph.check_dag(NODES, edges)
    assert caught.value.cycle == ["3.NF.A.2.a", "3.NF.A.2.b", "3.NF.A.3.a", "4.NF.A.1", "3.NF.A.2.a"]
    assert "3.NF.A.2.a → 3.NF.A.2.b → 3.NF.A.3.a → 4.NF.A.1 → 3.NF.A.2.a" in str(caught.value)
    with pytest.raises(graph.CycleError):
        graph.topological_order(NODES, edges)


def test_a_self_loop_is_a_cycle() -> None:
    assert graph.find_cycle(["a"], [("a", "a")]) == ["a", "a"]


def test_cycle_if_added_names_the_cycle_a_new_edge_would_close() -> None:
    assert graph.cycle_if_added(EDGES, ("4.NF.A.1", "3.NF.A.1")) == [
        "4.NF.A.1",
        "3.NF.A.1",
        "3.NF.A.3.a",
        "4.NF.A.1",
    ]
    assert graph.cycle_if_added(EDGES, ("3.NF.A.1", "4.NF.A.1")) is None
    assert graph.cycle_if_added(EDGES, ("x", "x")) == ["x", "x"]


def test_prerequisites_ancestors_and_dependents() -> None:
    assert graph.prerequisites("3.NF.A.3.a", EDGES) == ["3.NF.A.1", "3.NF.A.2.b"]
    assert graph.ancestors("4.NF.A.1", EDGES) == ["3.NF.A.1", "3.NF.A.2.a", "3.NF.A.2.b", "3.NF.A.3.a"]
    assert graph.dependents("3.NF.A.1", EDGES) == ["3.NF.A.2.a", "3.NF.A.3.a"]
    assert graph.descendants("3.NF.A.2.b", EDGES) == ["3.NF.A.3.a", "4.NF.A.1"]
    assert graph.ancestors("6.RP.A.1", EDGES) == []


def test_depths_follow_the_longest_chain() -> None:
    depth = graph.depths(NODES, EDGES)
    assert depth["3.NF.A.1"] == 0
    assert depth["3.NF.A.2.b"] == 2
    assert depth["3.NF.A.3.a"] == 3  # via 3.NF.A.2.b, not the direct edge from 3.NF.A.1
    assert depth["6.RP.A.1"] == 0


def test_layout_puts_each_node_right_of_its_prerequisites_and_is_stable() -> None:
    placed = graph.layered_layout(NODES, EDGES)
    for a, b in EDGES:
        assert placed[a].layer < placed[b].layer
    cells = {(p.layer, p.row) for p in placed.values()}
    assert len(cells) == len(NODES)  # no two nodes share a spot
    assert graph.layered_layout(reversed(NODES), list(reversed(EDGES))) == placed
