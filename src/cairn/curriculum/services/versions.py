"""Editing content and questions, and deciding on their new versions (rules: ``cairn.curriculum.versions``).

An edit is checked as a new one is (``check_content_input``, ``check_question``, the model's own
validation, HTML cleaned). A draft changes in place; approved content or a question gets a version waiting
for review while students keep the live one; a reviewer's approval copies it into the row, in one
transaction, and each decision is kept as a review of the content or question, like any other.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Conflict, Forbidden, Invalid
from cairn.curriculum import versions as rules
from cairn.curriculum import vetting
from cairn.curriculum.models import (
    Competency,
    Content,
    ContentVersion,
    Item,
    ItemReview,
    ItemVersion,
    Review,
    Scope,
    Status,
    VersionStatus,
)
from cairn.curriculum.readability import reading_level
from cairn.curriculum.sanitize import clean_html
from cairn.curriculum.services.alignment import known_competencies
from cairn.curriculum.services.content import ContentInput, check_content_input
from cairn.curriculum.services.field_errors import from_model_validation, invalid, invalid_fields
from cairn.curriculum.services.items import check_question
from cairn.curriculum.services.notices import notify_owner
from cairn.engine import items as engine_items

DECISIONS = {
    Review.Decision.APPROVE: VersionStatus.APPROVED,
    Review.Decision.CHANGES: VersionStatus.DRAFT,
    Review.Decision.REJECT: VersionStatus.REJECTED,
}
# Grading options the question form does not show (an import's): an edit of the same kind keeps them.
KEPT_SPEC = ("simplest_form", "case_sensitive")
VERDICT = {"approve": "approved", "changes": "sent back for changes", "reject": "rejected"}


# ----------------------------------------------------------------------------------------- editing


@transaction.atomic
def edit_content(
    editor: User, content: Content, data: ContentInput, *, summary: str = ""
) -> ContentVersion | None:
    """Change a draft in place (None), or propose a new version of approved content (the version)."""
    content = Content.objects.select_for_update().get(pk=content.pk)
    _check_editable(editor, content)
    aligned = check_content_input(data)
    body = clean_html(data.body)
    proposed = {
        "title": data.title.strip(),
        "kind": data.kind,
        "body": body,
        "url": data.url.strip(),
        "grade_low": data.grade_low,
        "grade_high": data.grade_high if data.grade_high is not None else data.grade_low,
        "estimated_minutes": data.estimated_minutes,
        "language": data.language or "en",
        "captions": data.captions,
        "transcript": data.transcript,
        "alt_text": data.alt_text,
        "read_aloud": data.read_aloud,
        "licence": data.licence,
        "cost": data.cost,
        "source": data.source or content.source,
        rules.COMPETENCIES: rules.ids(aligned),
    }
    _full_clean(content, proposed)
    if content.status == Status.DRAFT:
        _apply(content, proposed)
        return None
    version = _propose(content, proposed, editor, summary)
    if content.scope == Scope.SECTIONS and content.owner_id == editor.pk:
        # Only in its author's sections: their approval is the review, as "use in my sections" is.
        Review.objects.create(
            content=content,
            reviewer=editor,
            decision=Review.Decision.SECTIONS,
            district_id=content.district_id,
            comment=f"Version {version.number}.",
        )
        _decide(version, editor, VersionStatus.APPROVED, "Approved by its author for their own sections.")
        _go_live(content, version)
    return version


@transaction.atomic
def edit_item(
    editor: User,
    item: Item,
    *,
    stem: str,
    spec: Mapping[str, Any],
    competency_ids: Sequence[int] = (),
    hints: Sequence[str] = (),
    solution: Sequence[str] = (),
    title: str = "",
    summary: str = "",
) -> ItemVersion | None:
    """Change a draft question in place (None), or propose a new version of an approved one."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    _check_editable(editor, item)
    if item.kind == Item.Kind.TEMPLATE:
        raise Conflict(_("A parametric template is changed by importing it again."))
    same_kind = item.spec.get("kind") == spec.get("kind")
    kept = {k: v for k, v in item.spec.items() if k in KEPT_SPEC and same_kind}
    stem_html, parsed = check_question(stem, {**kept, **spec})
    proposed = {
        "title": title.strip()[:300],
        "kind": parsed.kind,
        "stem": stem_html,
        "spec": engine_items.spec_to_dict(parsed),
        "hints": [clean_html(h) for h in hints],
        "solution": [clean_html(s) for s in solution],
        rules.COMPETENCIES: rules.ids(known_competencies(competency_ids)),
    }
    if item.status == Status.DRAFT:
        _apply(item, proposed)
        return None
    return _propose(item, proposed, editor, summary)


def _check_editable(editor: User, thing: Content | Item) -> None:
    if thing.status not in (Status.DRAFT, Status.APPROVED):
        raise Conflict(f"It is {thing.get_status_display().lower()}: it cannot be edited now.")
    if not rules.can_edit(editor, thing):
        raise Forbidden(_("Only its author or a reviewer of its district may edit it."))


def _full_clean(content: Content, proposed: Mapping[str, Any]) -> None:
    """The model's own checks (a malformed URL, a value too long) on the proposed values."""
    probe = copy.copy(content)
    for name in rules.CONTENT_FIELDS:
        setattr(probe, name, proposed[name])
    try:
        probe.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise from_model_validation(exc) from exc


def _propose(thing: Content | Item, proposed: dict[str, Any], editor: User, summary: str) -> Any:
    """The one open version of ``thing``, written by ``editor``, now holding ``proposed``, in review."""
    pending = rules.open_version(thing)
    if pending is not None:
        if pending.author_id != editor.pk:
            raise Conflict(_("Someone else's new version is waiting for review; it is decided first."))
        pending.data, pending.status, pending.created_at = proposed, VersionStatus.IN_REVIEW, timezone.now()
        pending.summary = summary.strip()[:300] or pending.summary
        pending.save(update_fields=["data", "status", "created_at", "summary"])
        return pending
    if proposed == rules.snapshot(thing):
        raise Invalid(_("Nothing changed."))
    history = rules.versions_of(thing)
    if not history.exists():
        rules.baseline(thing).save()  # the live version, so the history shows what this one changes
    last = max(thing.version, max(history.values_list("number", flat=True), default=0))
    return thing.versions.create(
        number=last + 1,
        data=proposed,
        status=VersionStatus.IN_REVIEW,
        summary=summary.strip()[:300],
        author=editor,
        created_at=timezone.now(),
    )


def _apply(thing: Content | Item, data: Mapping[str, Any]) -> None:
    """Copy a snapshot into the row (derived fields too) and its competencies."""
    if isinstance(thing, Content):
        url_changed = data["url"] != thing.url
        for name in rules.CONTENT_FIELDS:
            setattr(thing, name, data[name])
        thing.reading_level = reading_level(thing.body, thing.language)
        if url_changed:
            thing.link_status = Content.LinkStatus.UNCHECKED if thing.url else ""
    else:
        for name in rules.ITEM_FIELDS:
            setattr(thing, name, data[name])
    thing.save()
    thing.competencies.set(Competency.objects.filter(pk__in=data[rules.COMPETENCIES]))


def _go_live(thing: Content | Item, version: Any) -> None:
    _apply(thing, version.data)
    thing.version = version.number
    thing.save(update_fields=["version"])


def _decide(version: Any, reviewer: User, status: str, note: str) -> None:
    version.status, version.reviewed_by, version.reviewed_at = status, reviewer, timezone.now()
    version.note = note.strip()[:5000]
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "note"])


# ----------------------------------------------------------------------------------------- deciding


@transaction.atomic
def review_content_version(
    reviewer: User,
    version: ContentVersion,
    decision: str,
    answers: Mapping[str, Mapping[str, str]],
    comment: str = "",
) -> ContentVersion:
    """Approve (it goes live), send back, or reject a new version; kept as a review of the content.
    Approving needs the vetting's must-meet questions met, as for new content."""
    version = ContentVersion.objects.select_for_update().select_related("content").get(pk=version.pk)
    content = Content.objects.select_for_update().get(pk=version.content_id)
    _check_decision(reviewer, content, version, decision)
    clean = {
        key: {
            "rating": str(answers.get(key, {}).get("rating", "")),
            "note": str(answers.get(key, {}).get("note", ""))[:1000],
        }
        for key in vetting.QUESTION_KEYS
    }
    if decision == Review.Decision.APPROVE and (problems := vetting.approval_problems(clean)):
        raise invalid_fields(problems)
    Review.objects.create(
        content=content,
        reviewer=reviewer,
        decision=decision,
        district_id=content.district_id,
        answers=clean,
        comment=f"Version {version.number}: {comment}".strip()[:5000],
    )
    _settle(content, version, reviewer, decision, comment)
    notify_owner(
        content,
        f"Version {version.number} of “{content.title}” was {VERDICT[decision]} by {reviewer.display_name}."
        + (f" {comment[:300]}" if comment else ""),
    )
    return version


@transaction.atomic
def review_item_version(
    reviewer: User, version: ItemVersion, decision: str, comment: str = ""
) -> ItemVersion:
    """Approve (it goes live), send back, or reject a new version of a question; kept as its review."""
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    item = Item.objects.select_for_update().get(pk=version.item_id)
    _check_decision(reviewer, item, version, decision)
    ItemReview.objects.create(
        item=item,
        reviewer=reviewer,
        decision=decision,
        district_id=item.district_id,
        comment=f"Version {version.number}: {comment}".strip(),
    )
    _settle(item, version, reviewer, decision, comment)
    return version


def _check_decision(reviewer: User, thing: Content | Item, version: Any, decision: str) -> None:
    if version.status != VersionStatus.IN_REVIEW:
        raise Conflict(_("Only a version waiting for review can be decided on."))
    if thing.status != Status.APPROVED:
        raise Conflict(_("It is no longer approved, so no new version of it goes live."))
    if not rules.can_review_version(reviewer, thing, version):
        raise Forbidden(_("A reviewer of its district who did not write it decides on a new version."))
    if decision not in DECISIONS:
        raise invalid("decision", f"unknown decision {decision!r} (approve, changes, reject)")


def _settle(thing: Content | Item, version: Any, reviewer: User, decision: str, comment: str) -> None:
    _decide(version, reviewer, DECISIONS[Review.Decision(decision)], comment)
    if decision == Review.Decision.APPROVE:
        _go_live(thing, version)
