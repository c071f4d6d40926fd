"""Boxes and arrows for a prerequisite graph, in pixels, ready for a template to draw as inline SVG.

The engine orders a graph into layers (``cairn.engine.graph.layered_layout``: columns by depth, rows to keep
edges short); this turns layers and rows into coordinates. The student's path map (cairn.learning.graph_svg)
and the library's competency page both draw with it, so the two pictures read the same way: prerequisites
on the left, lines running right to what they unlock. Drawing server-side keeps pages script-free and
CSP-safe, and nothing is fetched from the internet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cairn.engine.graph import layered_layout

Edge = tuple[str, str]


@dataclass(frozen=True)
class Geometry:
    """Sizes in pixels. ``arrow_gap`` stops a line short of its target box, to leave room for an arrowhead."""

    box_w: int
    box_h: int
    gap_x: int
    gap_y: int
    pad: int = 12
    arrow_gap: int = 0


@dataclass(frozen=True)
class Box:
    key: str
    layer: int
    row: int
    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def text_y(self) -> int:
        """Baseline for one line of text centred in the box."""
        return self.y + self.h // 2 + 5


@dataclass(frozen=True)
class Line:
    source: str
    target: str
    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def path(self) -> str:
        """An S-curve from the right edge of the source to the left edge of the target."""
        middle = (self.x1 + self.x2) // 2
        return f"M{self.x1},{self.y1} C{middle},{self.y1} {middle},{self.y2} {self.x2},{self.y2}"


@dataclass(frozen=True)
class Drawing:
    boxes: dict[str, Box]
    lines: list[Line]
    width: int
    height: int


def lay_out(nodes: Iterable[str], edges: Sequence[Edge], geometry: Geometry) -> Drawing:
    """Place every node and draw every edge between two of them (edges to other nodes are left out).

    Raises ``cairn.engine.graph.CycleError`` if the edges are not a DAG (stored prerequisites always are)."""
    node_list = list(dict.fromkeys(nodes))
    known = set(node_list)
    kept = [(a, b) for a, b in edges if a in known and b in known]
    placed = layered_layout(node_list, kept)
    g = geometry
    boxes = {
        key: Box(
            key,
            spot.layer,
            spot.row,
            g.pad + spot.layer * (g.box_w + g.gap_x),
            g.pad + spot.row * (g.box_h + g.gap_y),
            g.box_w,
            g.box_h,
        )
        for key, spot in placed.items()
    }
    lines = [
        Line(
            a,
            b,
            boxes[a].x + g.box_w,
            boxes[a].y + g.box_h // 2,
            boxes[b].x - g.arrow_gap,
            boxes[b].y + g.box_h // 2,
        )
        for a, b in kept
    ]
    layers = max((spot.layer for spot in placed.values()), default=0)
    rows = max((spot.row for spot in placed.values()), default=0)
    return Drawing(
        boxes=boxes,
        lines=lines,
        width=2 * g.pad + layers * (g.box_w + g.gap_x) + g.box_w,
        height=2 * g.pad + rows * (g.box_h + g.gap_y) + g.box_h,
    )
