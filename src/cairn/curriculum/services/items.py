"""A teacher's own questions (multiple choice, numeric or short text): written as drafts, checked by the
engine, and sent to review before any student gets them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Role, User
from cairn.core.errors import Conflict, Forbidden
from cairn.curriculum import access, ownership
from cairn.curriculum.models import Item, Status
from cairn.curriculum.sanitize import clean_html
from cairn.curriculum.services.alignment import known_competencies
from cairn.curriculum.services.field_errors import invalid
from cairn.engine import items as engine_items


@transaction.atomic
def create_item(
    author: User,
    *,
    stem: str,
    spec: Mapping[str, Any],
    competency_ids: Sequence[int] = (),
    hints: Sequence[str] = (),
    solution: Sequence[str] = (),
    title: str = "",
) -> Item:
    """A teacher's own question (multiple choice, numeric or short text), checked by the engine."""
    if not access.can_author(author):
        raise Forbidden(_("Only teachers and administrators add items."))
    stem_html, parsed = check_question(stem, spec)
    aligned = known_competencies(competency_ids)
    item = Item.objects.create(
        identifier=f"user:{author.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        kind=parsed.kind,
        title=title[:300],
        stem=stem_html,
        spec=engine_items.spec_to_dict(parsed),
        hints=[clean_html(h) for h in hints],
        solution=[clean_html(s) for s in solution],
        owner=author,
        district=ownership.home_district(author),
        source=author.display_name,
        status=Status.DRAFT,
    )
    item.competencies.set(aligned)
    return item


def check_question(stem: str, spec: Mapping[str, Any]) -> tuple[str, engine_items.ItemSpec]:
    """The checks of a question an author wrote, new or edited: its cleaned stem and the engine's reading
    of its grading spec."""
    stem_html = clean_html(stem)
    if not nh3.clean(stem_html, tags=set()).strip():
        raise invalid("stem", "Write the question.")
    try:
        return stem_html, engine_items.spec_from_dict(spec)
    except engine_items.SpecError as exc:
        raise invalid("spec", str(exc)) from exc


@transaction.atomic
def submit_item_for_review(author: User, item: Item) -> Item:
    """A teacher's question reaches students only once a reviewer approves it."""
    if item.owner_id != author.pk and Role.PLATFORM_ADMIN not in access.roles_of(author):
        raise Forbidden(_("Only the author may submit this question."))
    if item.status != Status.DRAFT:
        raise Conflict(f"Only a draft can be submitted; this question is {item.get_status_display()}.")
    item.status = Status.IN_REVIEW
    item.save(update_fields=["status"])
    return item
