"""Everything that writes accounts data. Each function is one transaction."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import (
    ApiToken,
    District,
    Enrolment,
    GuardianLink,
    Role,
    RoleAssignment,
    School,
    Section,
    User,
)
from cairn.core import audit
from cairn.core.errors import Invalid


@transaction.atomic
def create_person(
    *,
    username: str,
    first_name: str,
    last_name: str,
    role: Role,
    school: School | None = None,
    district: District | None = None,
    email: str = "",
    password: str | None = None,
    password_hash: str | None = None,
    grade: str = "",
) -> User:
    """Create a person holding one role. ``password_hash`` lets a bulk seed hash a shared password once."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, grade=grade)
    if password_hash is not None:
        user.password = password_hash
    elif password is not None:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    grant_role(user, role, school=school, district=district)
    return user


def grant_role(
    user: User,
    role: Role,
    *,
    school: School | None = None,
    district: District | None = None,
    by: User | None = None,
) -> RoleAssignment:
    """Give ``user`` a role (``by`` whom, for the audit trail; None for imports and the demo)."""
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, school=school, district=district
    )
    if created:
        _audit_role(assignment, by=by)
    return assignment


def _audit_role(assignment: RoleAssignment, *, by: User | None) -> None:
    student = assignment.user if assignment.role == Role.STUDENT else None
    district = assignment.district_id or (assignment.school.district_id if assignment.school else None)
    detail = {"user_id": assignment.user_id, "role": str(assignment.role), "change": "granted"}
    audit.record(audit.AuditAction.ROLE_CHANGED, actor=by, student=student, district=district, detail=detail)


def enrol(
    user: User,
    section: Section,
    kind: Enrolment.Kind,
    start: dt.date,
    end: dt.date | None = None,
    *,
    by: User | None = None,
) -> Enrolment:
    """Enrol ``user`` in ``section`` from ``start`` (``by`` whom, for the audit trail)."""
    enrolment, created = Enrolment.objects.get_or_create(
        user=user, section=section, kind=kind, start_date=start, defaults={"end_date": end}
    )
    if created:
        student = user if kind == Enrolment.Kind.STUDENT else None
        detail = {"user_id": user.pk, "kind": str(kind), "start": start.isoformat(), "change": "enrolled"}
        change = audit.AuditAction.ENROLMENT_CHANGED
        audit.record(change, actor=by, student=student, section=section, detail=detail)
    return enrolment


def link_guardian(guardian: User, student: User, relationship: str = "parent") -> GuardianLink:
    link, _ = GuardianLink.objects.get_or_create(
        guardian=guardian, student=student, defaults={"relationship": relationship}
    )
    return link


def create_api_token(user: User, name: str, *, days: int | None = None) -> str:
    """Create a bearer token and return it; only its digest is kept, so it can't be shown again. It answers
    for ``days`` (``CAIRN_API_TOKEN_DAYS``, 90, unless given)."""
    days = settings.CAIRN_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise Invalid(_("A token lasts between 1 and 366 days."), field="days")
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(token), expires_at=expires_at)
    return token


def revoke_api_tokens(*, user: User, name: str | None = None, token_id: int | None = None) -> int:
    """Revoke ``user``'s live tokens (all of them, those called ``name``, or the one ``token_id``); returns
    how many were revoked."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if name is not None:
        tokens = tokens.filter(name=name)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    return tokens.update(revoked_at=timezone.now())


@transaction.atomic
def set_password(*, user: User, password: str) -> None:
    """Set a new password (already validated) and revoke every API token: a token made while someone else
    knew the old password must not outlive it."""
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_api_tokens(user=user)


def set_language(*, user: User, language: str) -> None:
    """The language ``user`` reads Cairn in: one of settings.LANGUAGES, or blank for the browser's."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise Invalid(_("Cairn does not speak that language yet."), field="language")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
