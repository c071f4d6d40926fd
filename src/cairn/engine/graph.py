"""The competency graph: prerequisite edges between competencies, kept a DAG.

Nodes are competency keys (strings: a code or an identifier, whichever the caller uses). An edge
``(a, b)`` reads "a is a prerequisite of b". Everything here is pure and deterministic: ties are broken
by key, so the same graph always gives the same order and the same layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import networkx as nx

Edge = tuple[str, str]


class CycleError(ValueError):
    """Prerequisite edges that go round in a circle; ``cycle`` names it, first node repeated at the end."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__("prerequisite cycle: " + " → ".join(cycle))


def build(nodes: Iterable[str], edges: Iterable[Edge]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def find_cycle(nodes: Iterable[str], edges: Iterable[Edge]) -> list[str] | None:
    """A cycle as a closed walk ``[a, b, ..., a]``, starting from its smallest key; None for a DAG."""
    graph = build(nodes, edges)
    for start in sorted(graph.nodes):
        if graph.has_edge(start, start):
            return [start, start]
    try:
        found = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return canonical_cycle([str(u) for u, _ in found])


def canonical_cycle(walk: list[str]) -> list[str]:
    """A cycle given as its nodes in order (open or closed), rotated so the smallest leads, then closed:
    the same cycle is then named the same way every time."""
    if len(walk) > 1 and walk[0] == walk[-1]:
        walk = walk[:-1]
    pivot = walk.index(min(walk))
    walk = walk[pivot:] + walk[:pivot]
    return [*walk, walk[0]]


def check_dag(nodes: Iterable[str], edges: Iterable[Edge]) -> None:
    """Raise CycleError naming a cycle if the edges are not acyclic."""
    cycle = find_cycle(nodes, edges)
    if cycle is not None:
        raise CycleError(cycle)


def cycle_if_added(edges: Iterable[Edge], new: Edge) -> list[str] | None:
    """The cycle that adding ``new`` to an acyclic graph would close, or None if it keeps a DAG."""
    prerequisite, dependent = new
    if prerequisite == dependent:
        return [prerequisite, prerequisite]
    graph = build((), edges)
    if dependent not in graph or prerequisite not in graph:
        return None
    try:
        path = cast(list[str], nx.shortest_path(graph, dependent, prerequisite))
    except nx.NetworkXNoPath:
        return None
    return [prerequisite, *path]


def topological_order(nodes: Iterable[str], edges: Iterable[Edge]) -> list[str]:
    """Prerequisites before what needs them; among equals, by key. Raises CycleError on a cycle."""
    node_list, edge_list = list(nodes), list(edges)
    try:  # the sort finds a cycle on its own; naming it (the slower search) is only needed then
        return [str(n) for n in nx.lexicographical_topological_sort(build(node_list, edge_list))]
    except nx.NetworkXUnfeasible:
        check_dag(node_list, edge_list)
        raise  # pragma: no cover - check_dag raises CycleError first


def prerequisites(node: str, edges: Iterable[Edge]) -> list[str]:
    """Direct prerequisites of ``node``, sorted."""
    return sorted({a for a, b in edges if b == node})


def dependents(node: str, edges: Iterable[Edge]) -> list[str]:
    """Competencies that list ``node`` as a direct prerequisite, sorted."""
    return sorted({b for a, b in edges if a == node})


def ancestors(node: str, edges: Iterable[Edge]) -> list[str]:
    """Everything that must come before ``node``, directly or not, sorted."""
    graph = build((node,), edges)
    return sorted(str(n) for n in nx.ancestors(graph, node))


def descendants(node: str, edges: Iterable[Edge]) -> list[str]:
    graph = build((node,), edges)
    return sorted(str(n) for n in nx.descendants(graph, node))


def depths(nodes: Iterable[str], edges: Iterable[Edge]) -> dict[str, int]:
    """Each node's depth: the length of the longest prerequisite chain leading to it (sources are 0)."""
    node_list, edge_list = list(nodes), list(edges)
    order = topological_order(node_list, edge_list)
    preds: dict[str, list[str]] = {n: [] for n in order}
    for a, b in edge_list:
        preds[b].append(a)
    depth: dict[str, int] = {}
    for n in order:
        depth[n] = max((depth[p] + 1 for p in preds[n]), default=0)
    return depth


@dataclass(frozen=True)
class Placed:
    key: str
    layer: int  # topological depth: 0 on the left
    row: int  # position within the layer, top to bottom


def layered_layout(nodes: Iterable[str], edges: Iterable[Edge]) -> dict[str, Placed]:
    """A left-to-right layered layout: columns by depth, rows ordered to keep edges short.

    One barycentre pass (each node placed by the mean row of its prerequisites) is enough for the small
    neighbourhoods a competency page draws, and keeps the layout deterministic."""
    node_list, edge_list = list(nodes), list(edges)
    depth = depths(node_list, edge_list)
    layers: dict[int, list[str]] = {}
    for key in sorted(depth):
        layers.setdefault(depth[key], []).append(key)
    preds: Mapping[str, list[str]] = {n: [a for a, b in edge_list if b == n] for n in depth}
    row_of: dict[str, int] = {}
    placed: dict[str, Placed] = {}
    for layer in sorted(layers):
        members = layers[layer]

        def barycentre(key: str) -> tuple[float, str]:
            rows = [row_of[p] for p in preds[key] if p in row_of]
            return (sum(rows) / len(rows) if rows else -1.0, key)

        for row, key in enumerate(sorted(members, key=barycentre)):
            row_of[key] = row
            placed[key] = Placed(key, layer, row)
    return placed
