"""The LMS course's membership into its Cairn class: LTI Names and Role Provisioning Services (NRPS).

:func:`pull_members` asks the platform for the course's members (pylti1p3's client, signing with the tool's
key) and brings each active learner and instructor in exactly as a launch would
(:func:`cairn.lti.identity.arrive`): the person is found by their (issuer, subject) identity, else their
roster ``sourcedId``, else their email, within the platform's district, and only made when none matches, so a
pull never makes a second account; then they get the role and an enrolment in the class the course is
linked to. Members the LMS marks inactive, and roles Cairn has no place for (mentors, guests), are counted
and left alone: a pull adds people, it does not remove anyone (the roster sync does).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from lti_tool.models import LtiContext
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from cairn.core import audit
from cairn.core.errors import Conflict, Forbidden
from cairn.lti.identity import LIS_CLAIM, ROLES_CLAIM, arrive
from cairn.lti.models import ContextSection, Platform

SERVICE_VERSIONS = ["2.0"]


@dataclass
class Pulled:
    members: int = 0
    created: int = 0  # accounts made (no identity, roster id or email matched)
    enrolled: int = 0  # enrolments added to the class
    left_alone: int = 0  # inactive members and roles Cairn has no place for

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def members(context: LtiContext) -> list[dict[str, Any]]:
    """Every member the platform lists for the course (all pages)."""
    if not context.memberships_url:
        raise Conflict(_("This LMS course does not offer its class list to Cairn (no membership service)."))
    connector = ServiceConnector(context.deployment.registration.to_registration())
    data: Any = {"context_memberships_url": context.memberships_url, "service_versions": SERVICE_VERSIONS}
    found: list[Any] = NamesRolesProvisioningService(connector, data).get_members()
    return [dict(member) for member in found]


def claims_of(member: dict[str, Any], issuer: str) -> dict[str, Any]:
    """A member as the claims of a launch, for the same matching and provisioning."""
    return {
        "iss": issuer,
        "sub": str(member["user_id"]),
        ROLES_CLAIM: list(member.get("roles") or []),
        "name": member.get("name") or "",
        "given_name": member.get("given_name") or "",
        "family_name": member.get("family_name") or "",
        "email": member.get("email") or "",
        LIS_CLAIM: {"person_sourcedid": member.get("lis_person_sourcedid") or ""},
    }


def pull_members(*, context_id: int) -> Pulled:
    """Bring the LMS course's active members into its Cairn class (see the module's docstring)."""
    context = LtiContext.objects.select_related("deployment__registration").get(pk=context_id)
    link = ContextSection.objects.filter(context=context).select_related("section").first()
    platform = Platform.objects.filter(registration=context.deployment.registration).first()
    if link is None or platform is None:
        raise Conflict(_("This LMS course is not linked to a Cairn class yet; launch Cairn from it first."))
    issuer = context.deployment.registration.issuer
    pulled = Pulled()
    for member in members(context):
        pulled.members += 1
        if str(member.get("status") or "Active").lower() != "active":
            pulled.left_alone += 1
            continue
        try:
            with transaction.atomic():
                arrival, enrolled = arrive(
                    platform=platform, context=context, claims=claims_of(member, issuer)
                )
        except Forbidden:  # a role Cairn has no place for, or a closed account
            pulled.left_alone += 1
            continue
        pulled.created += arrival.created
        pulled.enrolled += enrolled
    audit.record(
        audit.AuditAction.ENROLMENT_CHANGED,
        actor=None,
        section=link.section,
        detail={"via": "lti_nrps", **pulled.as_dict()},
    )
    return pulled
