"""The content library over JSON: search, content, competencies with their prerequisite graph, authoring,
the review queue and notices. The same rules as the pages: cairn.curriculum.access decides, services write.

The library is for staff (403 for students and guardians); content someone may not see answers 404, as if it
did not exist; bad input answers 400 (or 422 for a malformed request) naming the field, and writes nothing.

No ``from __future__ import annotations`` here: Ninja reads the query schema's annotation through the
pagination wrapper, which cannot resolve it from a string.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.accounts.access import person
from cairn.accounts.models import User
from cairn.curriculum import access, selectors, services, vetting
from cairn.curriculum.models import Competency, Content, ContentNotice, Item, Review

router = Router(tags=["curriculum"])

Kind = Literal["video", "reading", "interactive", "practice", "project", "offline"]
StatusName = Literal["draft", "in_review", "approved", "retired"]
LinkStatusName = Literal["unchecked", "ok", "broken"]
Flag = Literal["captions", "transcript", "alt_text", "read_aloud"]
Decision = Literal["approve", "changes", "reject"]


# ----------------------------------------------------------------------------------------- schemas


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
    link_status: str
    competencies: list[str]

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
        return obj.reviewer.display_name


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
    competencies: list[str]

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


# ----------------------------------------------------------------------------------------- helpers


def _staff(request: HttpRequest) -> User:
    user = person(request)
    if not access.is_staff(user):
        raise HttpError(403, "The content library is for teachers and school staff.")
    return user


def _reviewer(request: HttpRequest) -> User:
    user = person(request)
    if not access.can_review(user):
        raise HttpError(403, "Reviewing needs a reviewer role.")
    return user


def _bad_input(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        text = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    else:
        text = "; ".join(exc.messages)
    return HttpError(400, text)


def _content(user: User, content_id: int) -> Content:
    content = selectors.content_detail(user, content_id)
    if content is None:
        raise HttpError(404, "No such content.")
    return content


def _item(user: User, item_id: int) -> Item:
    item = selectors.item_detail(user, item_id)
    if item is None:
        raise HttpError(404, "No such question.")
    return item


def _refused(exc: PermissionDenied) -> HttpError:
    return HttpError(403, str(exc) or "Not allowed.")


# ----------------------------------------------------------------------------------------- content


@router.get("/content", response=list[ContentOut], summary="Search the library (what the caller may see)")
@paginate(LimitOffsetPagination)
def search_content(request: HttpRequest, filters: Query[ContentQuery]) -> Any:
    return selectors.search_content(_staff(request), filters.filters())


@router.get("/content/{content_id}", response=ContentDetailOut, summary="One piece of content, with reviews")
def get_content(request: HttpRequest, content_id: int) -> Content:
    return _content(_staff(request), content_id)


@router.post("/content", response={201: ContentDetailOut}, summary="Add my own content (a draft)")
def create_content(request: HttpRequest, body: ContentIn) -> Status:
    user = _staff(request)
    try:
        content = services.create_content(user, services.ContentInput(**body.dict()))
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return Status(201, _content(user, content.pk))


def _act(request: HttpRequest, content_id: int, action: Any) -> Content:
    user = _staff(request)
    content = _content(user, content_id)
    try:
        action(user, content)
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return _content(user, content_id)


@router.post(
    "/content/{content_id}/submit", response=ContentDetailOut, summary="Share my content: send it to review"
)
def submit_content(request: HttpRequest, content_id: int) -> Content:
    return _act(request, content_id, services.submit_for_review)


@router.post(
    "/content/{content_id}/use", response=ContentDetailOut, summary="Approve my own draft for my sections"
)
def use_content(request: HttpRequest, content_id: int) -> Content:
    return _act(request, content_id, services.use_in_my_sections)


@router.post("/content/{content_id}/retire", response=ContentDetailOut, summary="Retire content")
def retire_content(request: HttpRequest, content_id: int) -> Content:
    return _act(request, content_id, services.retire_content)


@router.post(
    "/content/{content_id}/sections",
    response={200: SectionChoiceOut, 204: None},
    summary="Hide content in one of my sections, show other content instead, or clear the choice",
)
def choose_for_section(request: HttpRequest, content_id: int, body: SectionChoiceIn) -> Any:
    user = _staff(request)
    content = _content(user, content_id)
    section = access.taught_sections(user).filter(pk=body.section_id).first()
    if section is None:
        raise HttpError(403, "Only the section's teacher may change what it sees.")
    try:
        if body.action == "clear":
            services.clear_section_choice(user, section, content)
            return Status(204, None)
        replacement = None
        if body.replacement_id is not None:
            replacement = access.visible_content(user).filter(pk=body.replacement_id).first()
            if replacement is None:
                raise HttpError(400, "replacement_id: no such content")
        choice = services.choose_for_section(user, section, content, body.action, replacement)
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    return Status(
        200,
        {"section_id": choice.section_id, "action": choice.action, "replacement_id": choice.replacement_id},
    )


# ----------------------------------------------------------------------------------------- competencies


@router.get("/competencies", response=list[CompetencyOut], summary="Standards, by framework and order")
@paginate(LimitOffsetPagination)
def list_competencies(request: HttpRequest, q: str = "") -> Any:
    _staff(request)
    return selectors.browse_competencies(q.strip()[:100])


@router.get(
    "/competencies/{competency_id}",
    response=CompetencyDetailOut,
    summary="A standard with its prerequisites, what it unlocks, and the graph as nodes and edges",
)
def get_competency(request: HttpRequest, competency_id: int) -> dict[str, Any]:
    _staff(request)
    competency = get_object_or_404(Competency.objects.select_related("framework"), pk=competency_id)
    drawing = selectors.prerequisite_graph(competency)
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


# ----------------------------------------------------------------------------------------- items


@router.post("/items", response={201: ItemOut}, summary="Add my own question (a draft)")
def create_item(request: HttpRequest, body: ItemIn) -> Status:
    user = _staff(request)
    try:
        item = services.create_item(
            user,
            stem=body.stem,
            spec=body.spec,
            competency_ids=body.competency_ids,
            hints=body.hints,
            solution=body.solution,
            title=body.title,
        )
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return Status(201, _item(user, item.pk))


@router.get("/items/{item_id}", response=ItemOut, summary="One question the caller may see")
def get_item(request: HttpRequest, item_id: int) -> Item:
    return _item(_staff(request), item_id)


@router.post("/items/{item_id}/submit", response=ItemOut, summary="Send my question to review")
def submit_item(request: HttpRequest, item_id: int) -> Item:
    user = _staff(request)
    item = _item(user, item_id)
    try:
        services.submit_item_for_review(user, item)
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return _item(user, item_id)


# ----------------------------------------------------------------------------------------- review


@router.get("/review/questions", response=list[QuestionOut], summary="The vetting questions a review answers")
def review_questions(request: HttpRequest) -> list[vetting.Question]:
    _staff(request)
    return list(vetting.QUESTIONS)


@router.get("/review/queue", response=QueueOut, summary="Content and questions waiting for review")
def review_queue(request: HttpRequest) -> dict[str, Any]:
    user = _reviewer(request)
    return {"content": list(selectors.review_queue(user)), "items": list(selectors.item_review_queue(user))}


@router.post("/content/{content_id}/reviews", response={201: ReviewOut}, summary="Review content (reviewers)")
def review_content(request: HttpRequest, content_id: int, body: ReviewIn) -> Status:
    user = _reviewer(request)
    content = _content(user, content_id)
    answers = {key: answer.dict() for key, answer in body.answers.items()}
    unknown = sorted(set(answers) - set(vetting.QUESTION_KEYS))
    if unknown:
        raise HttpError(400, f"answers: unknown questions {unknown}")
    try:
        review = services.review_content(user, content, body.decision, answers, body.comment)
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return Status(201, review)


@router.post("/items/{item_id}/review", response=ItemOut, summary="Approve, send back or retire a question")
def review_item(request: HttpRequest, item_id: int, body: ItemReviewIn) -> Item:
    user = _reviewer(request)
    item = _item(user, item_id)
    try:
        services.review_item(user, item, body.decision, body.comment)
    except ValidationError as exc:
        raise _bad_input(exc) from exc
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return _item(user, item_id)


# ----------------------------------------------------------------------------------------- notices


@router.get("/notices", response=list[NoticeOut], summary="My unread notices (e.g. a broken link)")
def notices(request: HttpRequest) -> list[ContentNotice]:
    return list(selectors.unread_notices(_staff(request)))


@router.post("/notices/read", response=dict[str, int], summary="Mark my notices as read")
def notices_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_notices_read(_staff(request))}
