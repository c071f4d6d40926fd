"""The path map: the prerequisite graph laid out by the engine, as data a template draws as inline SVG
(server-side, no script, CSP-safe). Status colours come from CSS classes; shapes and text labels carry the
same information for people who don't see colour."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from cairn.curriculum.graph_layout import Geometry, lay_out
from cairn.curriculum.naming import student_words
from cairn.engine.release import Status
from cairn.learning.selectors.path import Path

COL, ROW, W, H, PAD = 150, 52, 118, 40, 12
# The shared layout (cairn.curriculum.graph_layout) places the boxes; COL and ROW are box plus gap.
GEOMETRY = Geometry(box_w=W, box_h=H, gap_x=COL - W, gap_y=ROW - H, pad=PAD)
# Drawn as inline SVG icons (core/_icon.html): emoji such as a lock render as an empty box on some machines.
ICON = {Status.MASTERED: "check", Status.IN_PROGRESS: "dots", Status.READY: "ready", Status.LOCKED: "lock"}
STATUS_WORDS = {
    Status.MASTERED: "got it",
    Status.IN_PROGRESS: "working on it",
    Status.READY: "ready",
    Status.LOCKED: "locked",
}
LINE_CHARS = 15  # what fits beside the icon in a box W wide at the map's 11px type


@dataclass(frozen=True)
class Node:
    code: str
    competency_id: int
    status: Status
    x: int
    y: int
    label: str  # the whole short name, for people and tests
    title: str
    lines: tuple[str, ...] = ()  # the label wrapped to the box (at most two lines)
    icon: str = ""
    name: str = ""  # the link's accessible name: starts with the visible text, then says the rest


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
        # The student's map names competencies by their "I can" statements, never by code.
        words = student_words(row)
        label = words.removeprefix("I can ").rstrip(".")
        title = f"{words} ({STATUS_WORDS[row.status]}" + (
            f": {'; '.join(row.student_reasons)})" if row.student_reasons else ")"
        )
        lines = tuple(textwrap.wrap(label, LINE_CHARS, max_lines=2, placeholder="…"))
        shown = " ".join(lines)
        name = f"{shown}: {title}" if shown != label else f"{label} {title.removeprefix(words).strip()}"
        nodes.append(
            Node(
                code, row.competency_id, row.status, box.x, box.y, label, title, lines, ICON[row.status], name
            )
        )
    edges = [Edge(ln.x1, ln.y1, ln.x2, ln.y2, rows[ln.source].status) for ln in drawing.lines]
    return PathMap(drawing.width, drawing.height, sorted(nodes, key=lambda n: (n.x, n.y)), edges)
