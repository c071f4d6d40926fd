"""The path map: the prerequisite graph laid out by the engine, as data a template draws as inline SVG
(server-side, no script, CSP-safe). Status colours come from CSS classes; shapes and text labels carry the
same information for people who don't see colour."""

from __future__ import annotations

from dataclasses import dataclass

from cairn.engine.graph import layered_layout
from cairn.learning.path import Path

COL, ROW, W, H, PAD = 150, 46, 118, 32, 12
SYMBOL = {"mastered": "✓", "in_progress": "…", "ready": "→", "locked": "🔒"}


@dataclass(frozen=True)
class Node:
    code: str
    competency_id: int
    status: str
    x: int
    y: int
    label: str
    title: str


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    status: str  # the status of the prerequisite: a mastered prerequisite draws a solid line


@dataclass(frozen=True)
class PathMap:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]


def path_map(path: Path) -> PathMap:
    rows = path.by_code()
    placed = layered_layout(list(rows), path.edges)
    nodes = []
    pos: dict[str, tuple[int, int]] = {}
    for code, p in placed.items():
        x, y = PAD + p.layer * COL, PAD + p.row * ROW
        pos[code] = (x, y)
        row = rows[code]
        label = f"{SYMBOL[row.status]} {code}"
        title = f"{code}: {row.status.replace('_', ' ')}" + (
            f" ({'; '.join(row.reasons)})" if row.reasons else ""
        )
        nodes.append(Node(code, row.competency_id, row.status, x, y, label, title))
    edges = [
        Edge(pos[a][0] + W, pos[a][1] + H // 2, pos[b][0], pos[b][1] + H // 2, rows[a].status)
        for a, b in path.edges
        if a in pos and b in pos
    ]
    width = PAD * 2 + (max((p.layer for p in placed.values()), default=0)) * COL + W
    height = PAD * 2 + (max((p.row for p in placed.values()), default=0)) * ROW + H
    return PathMap(width, height, sorted(nodes, key=lambda n: (n.x, n.y)), edges)
