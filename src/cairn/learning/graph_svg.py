"""The path map: the prerequisite graph laid out by the engine, as data a template draws as inline SVG
(server-side, no script, CSP-safe). Status colours come from CSS classes; shapes and text labels carry the
same information for people who don't see colour."""

from __future__ import annotations

from dataclasses import dataclass

from cairn.curriculum.graph_layout import Geometry, lay_out
from cairn.engine.release import Status
from cairn.learning.selectors.path import Path

COL, ROW, W, H, PAD = 150, 46, 118, 32, 12
# The shared layout (cairn.curriculum.graph_layout) places the boxes; COL and ROW are box plus gap.
GEOMETRY = Geometry(box_w=W, box_h=H, gap_x=COL - W, gap_y=ROW - H, pad=PAD)
SYMBOL = {Status.MASTERED: "✓", Status.IN_PROGRESS: "…", Status.READY: "→", Status.LOCKED: "🔒"}


@dataclass(frozen=True)
class Node:
    code: str
    competency_id: int
    status: Status
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
    status: Status  # the status of the prerequisite: a mastered prerequisite draws a solid line


@dataclass(frozen=True)
class PathMap:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]


def path_map(path: Path) -> PathMap:
    rows = path.by_code()
    drawing = lay_out(list(rows), path.edges, GEOMETRY)
    nodes = []
    for code, box in drawing.boxes.items():
        row = rows[code]
        label = f"{SYMBOL[row.status]} {code}"
        title = f"{code}: {row.status.replace('_', ' ')}" + (
            f" ({'; '.join(row.reasons)})" if row.reasons else ""
        )
        nodes.append(Node(code, row.competency_id, row.status, box.x, box.y, label, title))
    edges = [Edge(ln.x1, ln.y1, ln.x2, ln.y2, rows[ln.source].status) for ln in drawing.lines]
    return PathMap(drawing.width, drawing.height, sorted(nodes, key=lambda n: (n.x, n.y)), edges)
