"""Everything that writes accounts data. Each function is one transaction."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

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


def create_api_token(user: User, name: str) -> str:
    """Create a bearer token and return it; only its digest is kept, so it can't be shown again."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(token))
    return token
