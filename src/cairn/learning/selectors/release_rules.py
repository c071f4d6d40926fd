"""Reads of a section's release rules, and who may change them: a current teacher of the section.
Adding and removing rules is :mod:`cairn.learning.services.release_rules`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.core.errors import Forbidden, NotFound
from cairn.engine.release import rule_from_dict
from cairn.learning.models import ReleaseRule


@dataclass(frozen=True)
class RuleView:
    pk: int
    competency: str
    sentence: str
    created_by: str
    created_at: dt.datetime


def can_manage(user: User, section: Section) -> bool:
    return access.teachers_of_section(section).filter(pk=user.pk).exists()


def managed_section(viewer: User, section_id: int) -> Section:
    """The section whose rules ``viewer`` manages: not found unless they may see it, forbidden unless they
    teach it now. The one check behind the rules' page and API."""
    section = Section.objects.select_related("school").filter(pk=section_id).first()
    if section is None or not access.can_view_section(viewer, section):
        raise NotFound("No such section.")
    if not can_manage(viewer, section):
        raise Forbidden("Only a current teacher of this section can change its release rules.")
    return section


def rules_for(section: Section) -> list[RuleView]:
    rows = ReleaseRule.objects.filter(section=section).select_related("competency", "created_by")
    return [
        RuleView(
            r.pk,
            r.competency.code,
            rule_from_dict(r.rule).describe(),
            r.created_by.display_name if r.created_by else "",
            r.created_at,
        )
        for r in rows.order_by("competency__code", "pk")
    ]
