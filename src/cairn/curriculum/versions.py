"""Editing with versions: the rules and the reads (the writes are in ``services/versions.py``).

How it works, and why:

- **Ids stay stable.** A ``Content`` or ``Item`` row always holds its live version; students, paths,
  attempts and section choices keep pointing at the same row. ``row.version`` is the live number.
- **A draft is edited in place** by its author (or a reviewer of its district, or a platform admin): nobody
  else sees it, so there is nothing to keep. "Request changes" hands the author back a draft they can edit.
- **Editing approved content or a question proposes a new version** (a ``ContentVersion``/``ItemVersion``
  snapshot of the editable fields, waiting for review). The live row is untouched until a reviewer of the
  owner district approves it; approval copies the snapshot into the row in one transaction and bumps
  ``version``. Sent back for changes, the version goes back to its author; rejected, it stays in the history
  and the live version goes on. One open version at a time: its author keeps editing it.
- An author's content for their own sections only (no library review) is approved by its author, as
  "use in my sections" is: their edit goes live at once, and the history says so.
- The first edit of approved content records the live state as its own version first (with who approved
  it, from the reviews), so the history can show what each later version changed.
- Attempts and diagnostic responses record the version answered (``item_version``).
- Parametric templates are changed by importing them again (their data is not a form).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cairn.accounts.access import roles_of
from cairn.accounts.models import Role, User
from cairn.curriculum import access
from cairn.curriculum.models import (
    Competency,
    Content,
    ContentVersion,
    Item,
    ItemReview,
    ItemVersion,
    Review,
    Status,
    VersionStatus,
)

CONTENT_FIELDS = (
    "title",
    "kind",
    "body",
    "url",
    "grade_low",
    "grade_high",
    "estimated_minutes",
    "language",
    "captions",
    "transcript",
    "alt_text",
    "read_aloud",
    "licence",
    "cost",
    "source",
)
ITEM_FIELDS = ("title", "kind", "stem", "spec", "hints", "solution")
COMPETENCIES = "competencies"
OPEN = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)

Thing = Content | Item
AnyVersion = ContentVersion | ItemVersion


# ----------------------------------------------------------------------------------------- who may


def can_edit(user: User, thing: Thing) -> bool:
    """Its author, a reviewer of its district, or a platform admin; only a draft or approved (in review,
    it waits for the decision; retired, it is gone)."""
    if thing.status not in (Status.DRAFT, Status.APPROVED) or not user.is_authenticated:
        return False
    if thing.owner_id == user.pk and access.can_author(user):
        return True
    return Role.PLATFORM_ADMIN in roles_of(user) or access.reviews_for(user, thing.district_id)


def can_review_version(user: User, thing: Thing, version: AnyVersion) -> bool:
    """A reviewer of the owner district (or a platform admin) who did not write the version."""
    return (
        version.status == VersionStatus.IN_REVIEW
        and version.author_id != user.pk
        and access.reviews_for(user, thing.district_id)
    )


# ----------------------------------------------------------------------------------------- snapshots


def snapshot(thing: Thing) -> dict[str, Any]:
    """The live version's editable fields, as a version row keeps them."""
    fields = CONTENT_FIELDS if isinstance(thing, Content) else ITEM_FIELDS
    data = {name: getattr(thing, name) for name in fields}
    data[COMPETENCIES] = sorted(thing.competencies.values_list("pk", flat=True))
    return data


def versions_of(thing: Thing) -> QuerySet[Any]:
    model = ContentVersion if isinstance(thing, Content) else ItemVersion
    key = "content" if isinstance(thing, Content) else "item"
    return model.objects.filter(**{key: thing})


def open_version(thing: Thing) -> AnyVersion | None:
    found: AnyVersion | None = versions_of(thing).filter(status__in=OPEN).first()
    return found


def editable_data(user: User, thing: Thing) -> dict[str, Any]:
    """What the edit form starts from: the person's own open version, else the live version."""
    pending = open_version(thing)
    if pending is not None and pending.author_id == user.pk:
        return dict(pending.data)
    return snapshot(thing)


def baseline(thing: Thing) -> AnyVersion:
    """The live version as a version row (unsaved): who wrote it, and who approved it, from its reviews."""
    approval: Review | ItemReview | None
    if isinstance(thing, Content):
        approval = thing.reviews.filter(
            decision__in=[Review.Decision.APPROVE, Review.Decision.SECTIONS]
        ).first()
        row: AnyVersion = ContentVersion(content=thing)
    else:
        approval = thing.reviews.filter(decision=Review.Decision.APPROVE).first()
        row = ItemVersion(item=thing)
    row.number, row.data, row.author_id = thing.version, snapshot(thing), thing.owner_id
    row.created_at = thing.created_at
    row.status = {
        Status.APPROVED: VersionStatus.APPROVED,
        Status.IN_REVIEW: VersionStatus.IN_REVIEW,
    }.get(Status(thing.status), VersionStatus.APPROVED if approval else VersionStatus.DRAFT)
    if approval is not None:
        row.reviewed_by, row.reviewed_at, row.note = approval.reviewer, approval.created_at, approval.comment
    return row


# ----------------------------------------------------------------------------------------- what changed


@dataclass(frozen=True)
class Change:
    """One field a version changed: both values as text, and the words deleted and inserted."""

    field: str
    before: str
    after: str
    segments: tuple[tuple[str, str], ...]  # ("same" | "del" | "ins", text)


@dataclass(frozen=True)
class Entry:
    version: AnyVersion
    changes: tuple[Change, ...]
    live: bool


def history(thing: Thing) -> list[Entry]:
    """Every version, newest first, each with what it changed from the one before it."""
    rows = list(versions_of(thing).select_related("author", "reviewed_by").order_by("number"))
    if not rows:
        rows = [baseline(thing)]
    names = _competency_codes(rows)
    entries, previous = [], None
    for row in rows:
        changes = () if previous is None else tuple(changes_between(thing, previous.data, row.data, names))
        entries.append(Entry(row, changes, live=row.number == thing.version and row.status == "approved"))
        if row.status != VersionStatus.REJECTED:
            previous = row
    return entries[::-1]


def changes_between(
    thing: Thing, before: dict[str, Any], after: dict[str, Any], names: dict[int, str] | None = None
) -> list[Change]:
    """Field by field, in the form's order; text fields with a word-level diff (difflib)."""
    fields = (*(CONTENT_FIELDS if isinstance(thing, Content) else ITEM_FIELDS), COMPETENCIES)
    names = names if names is not None else _competency_codes([before, after])
    changes = []
    for name in fields:
        old, new = _shown(name, before.get(name), names), _shown(name, after.get(name), names)
        if old != new:
            changes.append(Change(_label(thing, name), old, new, _segments(old, new)))
    return changes


LABELS = {
    COMPETENCIES: "Aligned standards",
    "stem": "Question",
    "spec": "Answer",
    "body": "Text",
    "grade_low": "Lowest grade",
    "grade_high": "Highest grade",
    "url": "Link",
}


def _label(thing: Thing, name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    return str(getattr(type(thing)._meta.get_field(name), "verbose_name", name)).capitalize()


def _shown(name: str, value: Any, codes: dict[int, str]) -> str:
    """A field's value as a person reads it."""
    if name == COMPETENCIES:
        return ", ".join(sorted(codes.get(pk, f"#{pk}") for pk in value or []))
    if name == "spec" and isinstance(value, dict):
        return _spec_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "—" if value in (None, "") else str(value)


def _spec_text(spec: dict[str, Any]) -> str:
    kind = spec.get("kind")
    if kind == "choice":
        right = set(spec.get("correct", []))
        return "\n".join(
            f"{'* ' if c.get('id') in right else ''}{c.get('text', '')}" for c in spec.get("choices", [])
        )
    if kind == "numeric":
        tolerance = spec.get("tolerance") or "0"
        return f"{spec.get('answer', '')}" + ("" if tolerance == "0" else f" ± {tolerance}")
    if kind == "text":
        return " | ".join(spec.get("accepted", []))
    return json.dumps(spec, sort_keys=True)


def _segments(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return tuple(out)


def _competency_codes(rows: Iterable[Any]) -> dict[int, str]:
    ids: set[int] = set()
    for row in rows:
        data = row if isinstance(row, dict) else row.data
        ids.update(data.get(COMPETENCIES) or [])
    return {
        pk: code or f"#{pk}" for pk, code in Competency.objects.filter(pk__in=ids).values_list("pk", "code")
    }


# ----------------------------------------------------------------------------------------- the queue


def pending_content_versions(reviewer: User) -> QuerySet[ContentVersion]:
    """New versions of content waiting for this reviewer (their district's; never their own), oldest first."""
    if not access.can_review(reviewer):
        return ContentVersion.objects.none()
    return (
        ContentVersion.objects.filter(status=VersionStatus.IN_REVIEW, content__status=Status.APPROVED)
        .filter(content__in=Content.objects.filter(access.review_scope(reviewer)))
        .exclude(author=reviewer)
        .select_related("content", "author")
        .order_by("created_at", "pk")
    )


def pending_item_versions(reviewer: User) -> QuerySet[ItemVersion]:
    if not access.can_review(reviewer):
        return ItemVersion.objects.none()
    return (
        ItemVersion.objects.filter(status=VersionStatus.IN_REVIEW, item__status=Status.APPROVED)
        .filter(item__in=Item.objects.filter(access.review_scope(reviewer)))
        .exclude(author=reviewer)
        .select_related("item", "author")
        .order_by("created_at", "pk")
    )


def content_version_for_review(reviewer: User, version_id: int) -> ContentVersion | None:
    found: ContentVersion | None = pending_content_versions(reviewer).filter(pk=version_id).first()
    return found


def item_version_for_review(reviewer: User, version_id: int) -> ItemVersion | None:
    found: ItemVersion | None = pending_item_versions(reviewer).filter(pk=version_id).first()
    return found


def proposed_changes(version: AnyVersion) -> list[Change]:
    """What a version waiting for review would change in the live version."""
    thing: Thing = version.content if isinstance(version, ContentVersion) else version.item
    return changes_between(thing, snapshot(thing), version.data)


def ids(values: Sequence[Any]) -> list[int]:
    """Competency ids as a snapshot keeps them: sorted, unique."""
    return sorted({int(v.pk if hasattr(v, "pk") else v) for v in values})
