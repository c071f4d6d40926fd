"""The content library over JSON: search, content, competencies with their prerequisite graph, authoring,
the review queue and notices. The same rules as the pages: cairn.curriculum.access decides, services write.

The library is for staff (403 for students and guardians); content someone may not see answers 404, as if it
did not exist; bad input answers 400 (or 422 for a malformed request) naming the field, and writes nothing;
a request the thing's state no longer allows (already reviewed, retired) answers 409. Services raise those
refusals as ``cairn.core.errors`` types, and the API's one exception handler turns them into responses.
Schemas are in ``cairn.curriculum.schemas``.

No ``from __future__ import annotations`` here: Ninja reads the query schema's annotation through the
pagination wrapper, which cannot resolve it from a string.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from cairn.accounts.access import person
from cairn.accounts.models import User
from cairn.core.errors import Forbidden, NotFound
from cairn.core.pagination import Pagination
from cairn.curriculum import access, selectors, vetting
from cairn.curriculum.models import Content, ContentNotice, Item
from cairn.curriculum.schemas import (
    AdoptionOut,
    CompetencyDetailOut,
    CompetencyOut,
    ContentDetailOut,
    ContentIn,
    ContentOut,
    ContentQuery,
    ItemIn,
    ItemOut,
    ItemReviewIn,
    NoticeOut,
    QuestionOut,
    QueueOut,
    ReviewIn,
    ReviewOut,
    SectionChoiceIn,
    SectionChoiceOut,
    ShareIn,
    competency_detail,
)
from cairn.curriculum.services import adoption
from cairn.curriculum.services import content as content_services
from cairn.curriculum.services import items as item_services
from cairn.curriculum.services import notices as notice_services
from cairn.curriculum.services import review as review_services
from cairn.curriculum.services import sections as section_services
from cairn.curriculum.services.field_errors import invalid

router = Router(tags=["curriculum"])


# ----------------------------------------------------------------------------------------- helpers


def _staff(request: HttpRequest) -> User:
    user = person(request)
    if not access.is_staff(user):
        raise Forbidden(_("The content library is for teachers and school staff."))
    return user


def _reviewer(request: HttpRequest) -> User:
    user = person(request)
    if not access.can_review(user):
        raise Forbidden(_("Reviewing needs a reviewer role."))
    return user


def _content(user: User, content_id: int) -> Content:
    content = selectors.content_detail(user, content_id)
    if content is None:
        raise NotFound(_("No such content."))
    return content


def _item(user: User, item_id: int) -> Item:
    item = selectors.item_detail(user, item_id)
    if item is None:
        raise NotFound(_("No such question."))
    return item


# ----------------------------------------------------------------------------------------- content


@router.get("/content", response=list[ContentOut], summary="Search the library (what the caller may see)")
@paginate(Pagination)
def search_content(request: HttpRequest, filters: Query[ContentQuery]) -> Any:
    return selectors.search_content(_staff(request), filters.filters())


@router.get("/content/{content_id}", response=ContentDetailOut, summary="One piece of content, with reviews")
def get_content(request: HttpRequest, content_id: int) -> Content:
    return _content(_staff(request), content_id)


@router.post("/content", response={201: ContentDetailOut}, summary="Add my own content (a draft)")
def create_content(request: HttpRequest, body: ContentIn) -> Status:
    user = _staff(request)
    content = content_services.create_content(user, content_services.ContentInput(**body.dict()))
    return Status(201, _content(user, content.pk))


def _act(request: HttpRequest, content_id: int, action: Callable[[User, Content], object]) -> Content:
    user = _staff(request)
    action(user, _content(user, content_id))
    return _content(user, content_id)


@router.post(
    "/content/{content_id}/submit", response=ContentDetailOut, summary="Share my content: send it to review"
)
def submit_content(request: HttpRequest, content_id: int) -> Content:
    return _act(request, content_id, content_services.submit_for_review)


@router.post(
    "/content/{content_id}/use", response=ContentDetailOut, summary="Approve my own draft for my sections"
)
def use_content(request: HttpRequest, content_id: int) -> Content:
    return _act(request, content_id, content_services.use_in_my_sections)


@router.post("/content/{content_id}/retire", response=ContentDetailOut, summary="Retire content")
def retire_content(request: HttpRequest, content_id: int) -> Content:
    return _act(request, content_id, content_services.retire_content)


@router.post(
    "/content/{content_id}/sections",
    response={200: SectionChoiceOut, 204: None},
    summary="Hide content in one of my sections, show other content instead, or clear the choice",
)
def choose_for_section(request: HttpRequest, content_id: int, body: SectionChoiceIn) -> Any:
    user = _staff(request)
    content = _content(user, content_id)
    section = selectors.taught_section(user, body.section_id)
    if section is None:
        raise Forbidden(_("Only the section's teacher may change what it sees."))
    if body.action == "clear":
        section_services.clear_section_choice(user, section, content)
        return Status(204, None)
    replacement = None
    if body.replacement_id is not None:
        replacement = selectors.content_by_id(user, body.replacement_id)
        if replacement is None:
            raise invalid("replacement_id", "no such content")
    choice = section_services.choose_for_section(user, section, content, body.action, replacement)
    return Status(
        200,
        {"section_id": choice.section_id, "action": choice.action, "replacement_id": choice.replacement_id},
    )


# ----------------------------------------------------------------------------------------- competencies


@router.get("/competencies", response=list[CompetencyOut], summary="Standards, by framework and order")
@paginate(Pagination)
def list_competencies(request: HttpRequest, q: str = "") -> Any:
    return selectors.browse_competencies(q.strip()[:100], _staff(request))


@router.get(
    "/competencies/{competency_id}",
    response=CompetencyDetailOut,
    summary="A standard with its prerequisites, what it unlocks, and the graph as nodes and edges",
)
def get_competency(request: HttpRequest, competency_id: int) -> dict[str, Any]:
    competency = selectors.competency_for(_staff(request), competency_id)
    if competency is None:
        raise NotFound(_("No such competency."))
    return competency_detail(competency, selectors.prerequisite_graph(competency))


# ----------------------------------------------------------------------------------------- items


@router.post("/items", response={201: ItemOut}, summary="Add my own question (a draft)")
def create_item(request: HttpRequest, body: ItemIn) -> Status:
    user = _staff(request)
    item = item_services.create_item(
        user,
        stem=body.stem,
        spec=body.spec,
        competency_ids=body.competency_ids,
        hints=body.hints,
        solution=body.solution,
        title=body.title,
    )
    return Status(201, _item(user, item.pk))


@router.get("/items/{item_id}", response=ItemOut, summary="One question the caller may see")
def get_item(request: HttpRequest, item_id: int) -> Item:
    return _item(_staff(request), item_id)


@router.post("/items/{item_id}/submit", response=ItemOut, summary="Send my question to review")
def submit_item(request: HttpRequest, item_id: int) -> Item:
    user = _staff(request)
    item_services.submit_item_for_review(user, _item(user, item_id))
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
    answers = {key: answer.dict() for key, answer in body.answers.items()}
    review = review_services.review_content(
        user, _content(user, content_id), body.decision, answers, body.comment
    )
    return Status(201, review)


@router.post("/items/{item_id}/review", response=ItemOut, summary="Approve, send back or retire a question")
def review_item(request: HttpRequest, item_id: int, body: ItemReviewIn) -> Item:
    user = _reviewer(request)
    review_services.review_item(user, _item(user, item_id), body.decision, body.comment)
    return _item(user, item_id)


# ----------------------------------------------------------------------------------------- notices


@router.get("/notices", response=list[NoticeOut], summary="My unread notices (e.g. a broken link)")
def notices(request: HttpRequest) -> list[ContentNotice]:
    return list(selectors.unread_notices(_staff(request)))


@router.post("/notices/read", response=dict[str, int], summary="Mark my notices as read")
def notices_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": notice_services.mark_notices_read(_staff(request))}


# ----------------------------------------------------------------------------------------- other districts


@router.post("/content/{content_id}/share", response=ContentDetailOut, summary="Offer my district's content")
def share_content(request: HttpRequest, content_id: int, body: ShareIn) -> Content:
    user = _staff(request)
    adoption.set_shared(user=user, thing=_content(user, content_id), shared=body.shared)
    return _content(user, content_id)


@router.post(
    "/content/{content_id}/adopt",
    response={201: AdoptionOut},
    summary="Adopt another district's shared, approved content for mine (reviewers)",
)
def adopt_content(request: HttpRequest, content_id: int) -> Status:
    user = _staff(request)
    return Status(201, adoption.adopt(user=user, thing=_content(user, content_id)))


@router.post("/items/{item_id}/share", response=ItemOut, summary="Offer my district's question")
def share_item(request: HttpRequest, item_id: int, body: ShareIn) -> Item:
    user = _staff(request)
    adoption.set_shared(user=user, thing=_item(user, item_id), shared=body.shared)
    return _item(user, item_id)


@router.post(
    "/items/{item_id}/adopt",
    response={201: AdoptionOut},
    summary="Adopt another district's shared, approved question for mine (reviewers)",
)
def adopt_item(request: HttpRequest, item_id: int) -> Status:
    user = _staff(request)
    return Status(201, adoption.adopt(user=user, thing=_item(user, item_id)))
