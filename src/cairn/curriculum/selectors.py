"""Reads shared by the library pages and the API. Callers pass who is asking; access rules apply here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from cairn.accounts.models import User
from cairn.curriculum import access
from cairn.curriculum.models import Competency, Content, ContentNotice, Item, Prerequisite, Status
from cairn.engine import graph

ACCESSIBILITY_FLAGS = {"captions", "transcript", "alt_text", "read_aloud"}


@dataclass
class ContentFilters:
    q: str = ""
    standard: str = ""  # a code or a code prefix: "4.NF" finds every 4.NF standard
    grade: int | None = None
    kind: str = ""
    max_reading_level: float | None = None
    language: str = ""
    accessibility: list[str] = field(default_factory=list)
    status: str = ""
    link_status: str = ""
    mine: bool = False


def search_content(user: User, filters: ContentFilters) -> QuerySet[Content]:
    found = access.visible_content(user)
    if filters.q:
        found = found.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    if filters.standard:
        code = filters.standard.strip()
        found = found.filter(
            Q(competencies__code__iexact=code) | Q(competencies__code__istartswith=code.rstrip(".") + ".")
        )
    if filters.grade is not None:
        found = found.filter(grade_low__lte=filters.grade, grade_high__gte=filters.grade)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.max_reading_level is not None:
        found = found.filter(reading_level__lte=filters.max_reading_level)
    if filters.language:
        found = found.filter(language__iexact=filters.language)
    for flag in filters.accessibility:
        if flag in ACCESSIBILITY_FLAGS:
            found = found.filter(**{flag: True})
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.link_status:
        found = found.filter(link_status=filters.link_status)
    if filters.mine:
        found = found.filter(owner=user)
    codes = Prefetch("competencies", queryset=Competency.objects.only("id", "code").order_by("code"))
    return found.distinct().select_related("owner").prefetch_related(codes).order_by("title", "pk")


def review_queue(user: User) -> QuerySet[Content]:
    """Content waiting for review, oldest first, leaving out the reviewer's own."""
    if not access.can_review(user):
        return Content.objects.none()
    return (
        Content.objects.filter(status=Status.IN_REVIEW)
        .exclude(owner=user)
        .select_related("owner")
        .prefetch_related("competencies")
        .order_by("updated_at", "pk")
    )


def unread_notices(user: User) -> QuerySet[ContentNotice]:
    return ContentNotice.objects.filter(recipient=user, read_at__isnull=True).select_related("content")


def languages() -> list[str]:
    return sorted(set(Content.objects.values_list("language", flat=True)))


def competencies_for_browsing() -> QuerySet[Competency]:
    return Competency.objects.select_related("framework").order_by("framework__title", "list_order", "code")


def items_for(user: User, competency: Competency) -> QuerySet[Item]:
    return access.visible_items(user).filter(competencies=competency).order_by("identifier")


# ----------------------------------------------------------------------------------------- graph drawing

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 150, 44, 60, 18, 12


@dataclass(frozen=True)
class GraphNode:
    competency: Competency
    role: str  # "current", "prerequisite" (an ancestor) or "next" (a direct dependent)
    x: int
    y: int

    @property
    def cx(self) -> int:
        return self.x + BOX_W // 2

    @property
    def text_y(self) -> int:
        return self.y + BOX_H // 2 + 5


@dataclass(frozen=True)
class GraphEdge:
    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def path(self) -> str:
        middle = (self.x1 + self.x2) // 2
        return f"M{self.x1},{self.y1} C{middle},{self.y1} {middle},{self.y2} {self.x2},{self.y2}"


@dataclass(frozen=True)
class PrerequisiteGraph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    width: int
    height: int
    box_w: int = BOX_W
    box_h: int = BOX_H


def prerequisite_graph(competency: Competency) -> PrerequisiteGraph:
    """Everything the competency builds on, and what builds on it next, laid out left to right by depth."""
    all_edges = [
        (str(a), str(b)) for a, b in Prerequisite.objects.values_list("prerequisite_id", "competency_id")
    ]
    me = str(competency.pk)
    before = graph.ancestors(me, all_edges)
    after = graph.dependents(me, all_edges)
    keys = {me, *before, *after}
    edges = [(a, b) for a, b in all_edges if a in keys and b in keys]
    placed = graph.layered_layout(sorted(keys), edges)
    comps = {str(c.pk): c for c in Competency.objects.filter(pk__in=[int(k) for k in keys])}
    nodes = {}
    for key, spot in placed.items():
        role = "current" if key == me else "prerequisite" if key in before else "next"
        x = PAD + spot.layer * (BOX_W + GAP_X)
        y = PAD + spot.row * (BOX_H + GAP_Y)
        nodes[key] = GraphNode(comps[key], role, x, y)
    drawn = [
        GraphEdge(nodes[a].x + BOX_W, nodes[a].y + BOX_H // 2, nodes[b].x - 4, nodes[b].y + BOX_H // 2)
        for a, b in edges
    ]
    layers = max(spot.layer for spot in placed.values()) + 1
    rows = max(spot.row for spot in placed.values()) + 1
    return PrerequisiteGraph(
        nodes=sorted(nodes.values(), key=lambda n: (n.x, n.y)),
        edges=drawn,
        width=2 * PAD + layers * BOX_W + (layers - 1) * GAP_X,
        height=2 * PAD + rows * BOX_H + (rows - 1) * GAP_Y,
    )
