"""A section's release rules over JSON, for its current teachers (paths under /api/v1/learning/sections/)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from cairn.accounts import access
from cairn.core.errors import NotFound
from cairn.curriculum.models import Competency
from cairn.learning.selectors.release_rules import RuleView, managed_section, rules_for
from cairn.learning.services import release_rules

router = Router(tags=["learning"])


class RuleIn(Schema):
    competency_id: int
    kind: str
    value: str


class RuleOut(Schema):
    pk: int
    competency: str
    sentence: str
    created_by: str
    created_at: dt.datetime


@router.get("/sections/{section_id}/rules", response=list[RuleOut], summary="A section's release rules")
def list_rules(request: HttpRequest, section_id: int) -> list[RuleView]:
    return rules_for(managed_section(access.person(request), section_id))


@router.post(
    "/sections/{section_id}/rules",
    response={201: list[RuleOut]},
    summary="Add a release rule: kind when_mastered (value: a code), after_activity (an activity's "
    "identifier or id), from_date (YYYY-MM-DD) or diagnostic_above (a level: 'below grade', 'on grade', "
    "'above grade', 'well above grade', or a number on the diagnostic's scale)",
)
def add_rule(request: HttpRequest, section_id: int, body: RuleIn) -> Status:
    teacher = access.person(request)
    section = managed_section(teacher, section_id)
    competency = Competency.objects.filter(pk=body.competency_id).first()
    if competency is None:
        raise NotFound(f"No competency {body.competency_id}.", field="competency_id")
    release_rules.add_rule(teacher, section, competency, release_rules.build_rule(body.kind, body.value))
    return Status(201, rules_for(section))


@router.delete(
    "/sections/{section_id}/rules/{rule_id}", response={204: None}, summary="Remove a release rule"
)
def delete_rule(request: HttpRequest, section_id: int, rule_id: int) -> Status:
    teacher = access.person(request)
    release_rules.remove_rule(teacher, managed_section(teacher, section_id), rule_id)
    return Status(204, None)
