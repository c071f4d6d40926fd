"""A teacher's own content (a draft for their own sections until shared with the library), sharing it,
retiring it, and the trusted loaders' upsert of library entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Role, User
from cairn.core.errors import Conflict, Forbidden
from cairn.curriculum import access, ownership
from cairn.curriculum.models import Competency, Content, Review, Scope, Status
from cairn.curriculum.readability import reading_level
from cairn.curriculum.sanitize import clean_html
from cairn.curriculum.services.alignment import known_competencies
from cairn.curriculum.services.field_errors import from_model_validation, invalid


@dataclass
class ContentInput:
    """What an author types into the content form or sends to the API."""

    title: str
    kind: str
    body: str = ""
    url: str = ""
    competency_ids: Sequence[int] = ()
    grade_low: int | None = None
    grade_high: int | None = None
    estimated_minutes: int | None = None
    language: str = "en"
    captions: bool = False
    transcript: bool = False
    alt_text: bool = False
    read_aloud: bool = False
    licence: str = ""
    cost: str = Content.Cost.FREE
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def create_content(author: User, data: ContentInput) -> Content:
    """A teacher's own content: a draft for their own sections until they share it with the library."""
    if not access.can_author(author):
        raise Forbidden(_("Only teachers and administrators add content."))
    aligned = check_content_input(data)
    content = _draft(author, data)
    try:
        content.full_clean()
    except ValidationError as exc:
        raise from_model_validation(exc) from exc
    content.save()
    content.competencies.set(aligned)
    return content


def check_content_input(data: ContentInput) -> list[Competency]:
    """The checks of what an author typed, for new content and for an edit; the competencies it names."""
    if data.kind not in Content.Kind.values:
        raise invalid("kind", f"unknown kind {data.kind!r}")
    if not data.body.strip() and not data.url.strip():
        raise invalid("url", "Give a link or write the activity.")
    _check_grades(data.grade_low, data.grade_high)
    return known_competencies(data.competency_ids)


def _draft(author: User, data: ContentInput) -> Content:
    body = clean_html(data.body)
    return Content(
        identifier=f"user:{author.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        title=data.title.strip(),
        kind=data.kind,
        body=body,
        url=data.url.strip(),
        grade_low=data.grade_low,
        grade_high=data.grade_high if data.grade_high is not None else data.grade_low,
        estimated_minutes=data.estimated_minutes,
        language=data.language or "en",
        captions=data.captions,
        transcript=data.transcript,
        alt_text=data.alt_text,
        read_aloud=data.read_aloud,
        licence=data.licence,
        cost=data.cost,
        source=data.source or author.display_name,
        owner=author,
        district=ownership.home_district(author),
        scope=Scope.SECTIONS if Role.TEACHER in access.roles_of(author) else Scope.LIBRARY,
        status=Status.DRAFT,
        reading_level=reading_level(body, data.language or "en"),
        link_status=Content.LinkStatus.UNCHECKED if data.url.strip() else "",
    )


def _check_grades(low: int | None, high: int | None) -> None:
    for name, grade in (("grade_low", low), ("grade_high", high)):
        if grade is not None and not 0 <= grade <= 12:
            raise invalid(name, f"grade {grade} is outside K–12 (0–12)")
    if low is not None and high is not None and high < low:
        raise invalid("grade_high", "the highest grade is below the lowest")


@transaction.atomic
def use_in_my_sections(author: User, content: Content) -> Content:
    """An author approves their own draft for their own sections only (the library still needs review)."""
    if content.owner_id != author.pk or content.scope != Scope.SECTIONS:
        raise Forbidden(_("Only the author may approve their own content for their own sections."))
    if content.status not in (Status.DRAFT, Status.APPROVED):
        raise Conflict(_("This content is in library review."))
    Review.objects.create(content=content, reviewer=author, decision=Review.Decision.SECTIONS)
    content.status = Status.APPROVED
    content.save(update_fields=["status", "updated_at"])
    return content


@transaction.atomic
def submit_for_review(author: User, content: Content) -> Content:
    """Share beyond one's own sections: the content goes to the library's review queue."""
    if not access.can_edit_content(author, content):
        raise Forbidden(_("Only the author may submit this content."))
    if content.status == Status.RETIRED:
        raise Conflict(_("Retired content cannot be submitted."))
    content.scope = Scope.LIBRARY
    content.status = Status.IN_REVIEW
    content.save(update_fields=["scope", "status", "updated_at"])
    return content


@transaction.atomic
def retire_content(user: User, content: Content) -> Content:
    if not (access.can_review(user) or access.can_edit_content(user, content)):
        raise Forbidden(_("Only its author or a reviewer may retire content."))
    content.status = Status.RETIRED
    content.save(update_fields=["status", "updated_at"])
    return content


@transaction.atomic
def upsert_library_content(
    identifier: str, *, competencies: Iterable[Competency], status: str = Status.APPROVED, **fields: Any
) -> tuple[Content, bool]:
    """Create or update one library entry by its identifier (trusted loaders: the demo, fixtures)."""
    if "body" in fields:
        fields["body"] = clean_html(fields["body"])
    fields["reading_level"] = reading_level(fields.get("body", ""), fields.get("language", "en"))
    content = Content.objects.filter(identifier=identifier).first()
    created = content is None
    if content is None:
        content = Content(identifier=identifier, status=status, scope=Scope.LIBRARY)
        content.link_status = Content.LinkStatus.UNCHECKED if fields.get("url") else ""
    elif fields.get("url", content.url) != content.url:
        content.link_status = Content.LinkStatus.UNCHECKED if fields.get("url") else ""
    for key, value in fields.items():
        setattr(content, key, value)
    content.save()
    content.competencies.set(list(competencies))
    return content, created
