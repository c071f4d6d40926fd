"""What the library's JSON API takes and answers (Ninja schemas), kept apart from the operations in
``cairn.curriculum.api`` so each reads on its own.

No ``from __future__ import annotations`` here: Ninja reads the query schema's annotation through the
pagination wrapper, which cannot resolve it from a string.
"""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from cairn.core.privacy import name_or_former_staff
from cairn.curriculum import selectors
from cairn.curriculum.models import Competency, Content, Item, Review

Kind = Literal["video", "reading", "interactive", "practice", "project", "offline"]
StatusName = Literal["draft", "in_review", "approved", "retired"]
LinkStatusName = Literal["unchecked", "ok", "suspect", "broken"]
Flag = Literal["captions", "transcript", "alt_text", "read_aloud"]
Decision = Literal["approve", "changes", "reject"]


class CompetencyRef(Schema):
    id: int
    code: str
    statement: str


class ContentOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    scope: str
    url: str
    grade_low: int | None
    grade_high: int | None
    estimated_minutes: int | None
    language: str
    reading_level: float | None
    accessibility: list[str]
    licence: str
    cost: str
    source: str
    owner: str | None
    district: str | None = Field(None, description="the owner district; none for the platform library")
    shared: bool = False
    link_status: str
    competencies: list[str]

    @staticmethod
    def resolve_district(obj: Content) -> str | None:
        return obj.district.name if obj.district is not None else None

    @staticmethod
    def resolve_accessibility(obj: Content) -> list[str]:
        return [f for f in ("captions", "transcript", "alt_text", "read_aloud") if getattr(obj, f)]

    @staticmethod
    def resolve_owner(obj: Content) -> str | None:
        return obj.owner.display_name if obj.owner else None

    @staticmethod
    def resolve_competencies(obj: Content) -> list[str]:
        return [c.code for c in obj.competencies.all()]


class ReviewOut(Schema):
    id: int
    reviewer: str
    decision: str
    answers: dict[str, dict[str, str]]
    comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_reviewer(obj: Review) -> str:
        return name_or_former_staff(obj.reviewer)


class LinkCheckOut(Schema):
    checked_at: dt.datetime
    url: str
    final_url: str
    status_code: int | None
    ok: bool
    error: str
    elapsed_ms: int


class ContentDetailOut(ContentOut):
    body: str
    link_checked_at: dt.datetime | None
    aligned: list[CompetencyRef]
    reviews: list[ReviewOut]
    link_checks: list[LinkCheckOut]

    @staticmethod
    def resolve_aligned(obj: Content) -> list[Competency]:
        return list(obj.competencies.all())

    @staticmethod
    def resolve_reviews(obj: Content) -> list[Review]:
        return list(obj.reviews.all())

    @staticmethod
    def resolve_link_checks(obj: Content) -> list[Any]:
        return selectors.recent_link_checks(obj)


class ContentQuery(Schema):
    q: str = Field("", max_length=200, description="words in the title or text")
    standard: str = Field("", max_length=60, description="a standard's code or prefix, e.g. 4.NF")
    grade: int | None = Field(None, ge=0, le=12, description="K is 0")
    kind: Kind | None = None
    max_reading_level: float | None = Field(None, ge=0, le=20)
    language: str = Field("", max_length=20)
    accessibility: list[Flag] = Field(default_factory=list, description="every one given must be present")
    status: StatusName | None = None
    link_status: LinkStatusName | None = None
    mine: bool = False
    elsewhere: bool = Field(False, description="only other districts' shared, approved content (adoptable)")

    def filters(self) -> selectors.ContentFilters:
        return selectors.ContentFilters(
            q=self.q,
            standard=self.standard,
            grade=self.grade,
            kind=self.kind or "",
            max_reading_level=self.max_reading_level,
            language=self.language,
            accessibility=list(self.accessibility),
            status=self.status or "",
            link_status=self.link_status or "",
            mine=self.mine,
            elsewhere=self.elsewhere,
        )


class ContentIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    kind: Kind
    body: str = Field("", max_length=100_000, description="HTML; cleaned before it is stored")
    url: str = Field("", max_length=1000)
    competency_ids: list[int] = Field(default_factory=list)
    grade_low: int | None = Field(None, ge=0, le=12)
    grade_high: int | None = Field(None, ge=0, le=12)
    estimated_minutes: int | None = Field(None, ge=1, le=600)
    language: str = Field("en", min_length=1, max_length=20)
    captions: bool = False
    transcript: bool = False
    alt_text: bool = False
    read_aloud: bool = False
    licence: str = Field("", max_length=200)
    cost: Literal["free", "freemium", "paid"] = "free"
    source: str = Field("", max_length=300)


class SectionChoiceIn(Schema):
    section_id: int
    action: Literal["hide", "replace", "clear"]
    replacement_id: int | None = None


class SectionChoiceOut(Schema):
    section_id: int
    action: str
    replacement_id: int | None


class GraphNodeOut(Schema):
    id: int
    code: str
    statement: str
    role: str
    direct: bool
    x: int
    y: int


class GraphEdgeOut(Schema):
    source: int = Field(..., description="the prerequisite's id")
    target: int = Field(..., description="the id of the competency that needs it")


class GraphOut(Schema):
    width: int
    height: int
    box_width: int
    box_height: int
    nodes: list[GraphNodeOut]
    edges: list[GraphEdgeOut]


class CompetencyOut(Schema):
    id: int
    code: str
    statement: str
    item_type: str
    domain: str
    grade_low: int | None
    grade_high: int | None
    framework: str
    parent_id: int | None

    @staticmethod
    def resolve_framework(obj: Competency | dict[str, Any]) -> str:
        return str(obj["framework"]) if isinstance(obj, dict) else obj.framework.title


class CompetencyDetailOut(CompetencyOut):
    prerequisites: list[CompetencyRef]
    unlocks: list[CompetencyRef]
    graph: GraphOut


class ItemOut(Schema):
    id: int
    identifier: str
    kind: str
    title: str
    stem: str
    status: str
    hints: list[str]
    solution: list[str]
    variant_count: int
    owner: str | None
    district: str | None = Field(None, description="the owner district; none for the platform library")
    shared: bool = False
    competencies: list[str]

    @staticmethod
    def resolve_district(obj: Item) -> str | None:
        return obj.district.name if obj.district is not None else None

    @staticmethod
    def resolve_owner(obj: Item) -> str | None:
        return obj.owner.display_name if obj.owner else None

    @staticmethod
    def resolve_competencies(obj: Item) -> list[str]:
        return [c.code for c in obj.competencies.all()]


class ItemIn(Schema):
    stem: str = Field(..., min_length=1, max_length=5000, description="HTML; cleaned before it is stored")
    spec: dict[str, Any] = Field(
        ...,
        description='how it is graded: {"kind": "choice", "choices": [{"id", "text"}], "correct": [ids]}, '
        '{"kind": "numeric", "answer": "3/4", "tolerance": "0"} or {"kind": "text", "accepted": [...]}',
    )
    title: str = Field("", max_length=300)
    competency_ids: list[int] = Field(default_factory=list)
    hints: list[str] = Field(default_factory=list, max_length=10)
    solution: list[str] = Field(default_factory=list, max_length=20)


class AnswerIn(Schema):
    rating: Literal["meets", "partly", "does_not", "na"]
    note: str = Field("", max_length=1000)


class ReviewIn(Schema):
    decision: Decision
    answers: dict[str, AnswerIn] = Field(
        default_factory=dict, description="one per vetting question key (GET /review/questions)"
    )
    comment: str = Field("", max_length=5000)


class ItemReviewIn(Schema):
    decision: Decision
    comment: str = Field("", max_length=2000)


class QuestionOut(Schema):
    key: str
    text: str
    help: str
    must_meet: bool


class QueueOut(Schema):
    content: list[ContentOut]
    items: list[ItemOut]


class NoticeOut(Schema):
    id: int
    content_id: int
    message: str
    created_at: dt.datetime


def competency_detail(competency: Competency, drawing: selectors.PrerequisiteGraph) -> dict[str, Any]:
    """A standard in ``CompetencyDetailOut``'s shape: its prerequisites, what it unlocks, and the drawn
    graph as nodes (with their boxes' places) and edges between competency ids."""
    ids = {str(n.competency.pk): n.competency.pk for n in drawing.nodes}
    return {
        **{f: getattr(competency, f) for f in ("id", "code", "statement", "item_type", "domain")},
        "grade_low": competency.grade_low,
        "grade_high": competency.grade_high,
        "framework": competency.framework.title,
        "parent_id": competency.parent_id,
        "prerequisites": drawing.ordered("prerequisite", direct_only=True),
        "unlocks": drawing.ordered("next"),
        "graph": {
            "width": drawing.width,
            "height": drawing.height,
            "box_width": drawing.box_w,
            "box_height": drawing.box_h,
            "nodes": [
                {
                    "id": n.competency.pk,
                    "code": n.competency.code,
                    "statement": n.competency.statement,
                    "role": n.role,
                    "direct": n.direct,
                    "x": n.x,
                    "y": n.y,
                }
                for n in drawing.nodes
            ],
            "edges": [{"source": ids[e.source], "target": ids[e.target]} for e in drawing.edges],
        },
    }


class ShareIn(Schema):
    shared: bool = Field(..., description="offer it to other districts (true) or stop offering it (false)")


class AdoptionOut(Schema):
    district: str
    content_id: int | None
    item_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_district(obj: Any) -> str:
        return str(obj.district.name)
