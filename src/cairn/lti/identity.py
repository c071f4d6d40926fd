"""Who an LMS launch is in Cairn, and which class it is for.

A person is found, in order, by the (issuer, subject) pair an earlier launch linked; by the OneRoster
sourcedId the LMS sends (the ``lis`` claim's ``person_sourcedid``) among the platform's district's people; by
the email the LMS sends when exactly one person of that district has it. Only when none matches is an
account made, in the platform's district, with the role the LTI roles give. Every match is then linked by
(issuer, subject), so the next launch finds the same person: never a second account.

An LMS course (django-lti's ``LtiContext``) is the Cairn class linked to it; else the rostered class the
launch names (``lis.course_section_sourcedid``); else a new class, made for this course in the school of the
person launching it (or the district's first school).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiContext

from cairn.accounts.models import Enrolment, Role, RoleAssignment, School, Section, User
from cairn.core.errors import Forbidden
from cairn.lti.models import ContextSection, LtiIdentity, Platform

LIS_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/lis"
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
TEACHING_ROLES = {ContextRole.INSTRUCTOR, ContextRole.ADMINISTRATOR, ContextRole.CONTENT_DEVELOPER}


@dataclasses.dataclass(frozen=True)
class Arrival:
    """The outcome of a launch for Cairn: who, as what, in which class."""

    user: User
    role: Role
    section: Section | None
    created: bool


def role_from_claims(claims: Mapping[str, Any]) -> Role:
    """Teacher for an LMS instructor (or course admin, content developer), student for a learner."""
    roles = {normalize_role(r) for r in claims.get(ROLES_CLAIM) or [] if isinstance(r, str)}
    if roles & TEACHING_ROLES:
        return Role.TEACHER
    if ContextRole.LEARNER in roles:
        return Role.STUDENT
    raise Forbidden(_("Cairn opens for the LMS's learners and instructors; this launch named neither role."))


def _district_people(platform: Platform) -> Any:
    district = platform.district
    return User.objects.filter(
        Q(role_assignments__school__district=district) | Q(role_assignments__district=district)
    ).distinct()


def find_person(platform: Platform, claims: Mapping[str, Any]) -> User | None:
    """The Cairn person this launch names, if Cairn knows them (see the module's docstring)."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    link = LtiIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user").first()
    if link is not None:
        return link.user
    sourced_id = str((claims.get(LIS_CLAIM) or {}).get("person_sourcedid") or "").strip()
    if sourced_id:
        by_roster = list(_district_people(platform).filter(sourced_id=sourced_id)[:2])
        if len(by_roster) == 1:
            return by_roster[0]
    email = str(claims.get("email") or "").strip()
    if email:
        by_email = list(_district_people(platform).filter(email__iexact=email)[:2])
        if len(by_email) == 1:
            return by_email[0]
    return None


def _new_person(platform: Platform, claims: Mapping[str, Any]) -> User:
    digest = hashlib.sha256(f"{claims['iss']}\n{claims['sub']}".encode()).hexdigest()[:12]
    user = User(
        username=f"lti-{platform.district.slug}-{digest}"[:150],
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        email=str(claims.get("email") or "")[:254],
        sourced_id=str((claims.get(LIS_CLAIM) or {}).get("person_sourcedid") or "")[:255],
    )
    if not user.first_name and not user.last_name:
        user.first_name = str(claims.get("name") or "")[:150]
    user.set_unusable_password()  # they sign in through their LMS
    user.save()
    return user


def _school_for(platform: Platform, user: User) -> School:
    held = School.objects.filter(roles__user=user, district=platform.district, active=True).first()
    school = held or platform.district.schools.filter(active=True).order_by("pk").first()
    if school is None:
        raise Forbidden(_("The LMS's district has no school in Cairn yet; ask the district's Cairn admin."))
    return school


def section_for(
    platform: Platform, context: LtiContext | None, claims: Mapping[str, Any], user: User
) -> Section | None:
    """The Cairn class for this LMS course (linking it on first launch); None for a launch with no course."""
    if context is None or not context.id_on_platform:
        return None
    linked = ContextSection.objects.filter(context=context).select_related("section").first()
    if linked is not None:
        return linked.section
    sourced_id = str((claims.get(LIS_CLAIM) or {}).get("course_section_sourcedid") or "").strip()
    section = None
    if sourced_id:
        section = Section.objects.filter(school__district=platform.district, sourced_id=sourced_id).first()
    if section is None:
        today = timezone.localdate()
        code = (
            "LTI-"
            + hashlib.sha256(f"{context.deployment_id}\n{context.id_on_platform}".encode()).hexdigest()[:10]
        )
        section = Section.objects.create(
            school=_school_for(platform, user),
            name=(context.title or context.label or "LMS course")[:200],
            code=code,
            term_start=today,
            term_end=today + dt.timedelta(days=365),
        )
    ContextSection.objects.create(context=context, section=section)
    return section


def _ensure_membership(user: User, role: Role, section: Section | None, platform: Platform) -> bool:
    """Give the person the role and enrolment the launch says they have; True when an enrolment was added."""
    school = section.school if section is not None else _school_for(platform, user)
    RoleAssignment.objects.get_or_create(user=user, role=role, school=school, district=None)
    if section is None:
        return False
    kind = Enrolment.Kind.TEACHER if role == Role.TEACHER else Enrolment.Kind.STUDENT
    if Enrolment.objects.current().filter(user=user, section=section, kind=kind).exists():
        return False
    Enrolment.objects.create(user=user, section=section, kind=kind, start_date=timezone.localdate())
    return True


@transaction.atomic
def arrive(
    *, platform: Platform, context: LtiContext | None, claims: Mapping[str, Any]
) -> tuple[Arrival, bool]:
    """Find or make the person, link them by (issuer, subject), map the course to a class and enrol them.

    Returns the arrival and whether an enrolment was added (the caller records it in the audit trail)."""
    role = role_from_claims(claims)
    user = find_person(platform, claims)
    created = user is None
    if user is None:
        user = _new_person(platform, claims)
    if not user.is_active:
        raise Forbidden(_("This Cairn account is closed; ask the school's Cairn admin."))
    LtiIdentity.objects.update_or_create(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        defaults={"user": user, "last_launch_at": timezone.now()},
    )
    section = section_for(platform, context, claims, user)
    enrolled = _ensure_membership(user, role, section, platform)
    return Arrival(user=user, role=role, section=section, created=created), enrolled
