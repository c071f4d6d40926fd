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
    user: User, role: Role, *, school: School | None = None, district: District | None = None
) -> RoleAssignment:
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, school=school, district=district
    )
    return assignment


def enrol(
    user: User, section: Section, kind: Enrolment.Kind, start: dt.date, end: dt.date | None = None
) -> Enrolment:
    enrolment, _ = Enrolment.objects.get_or_create(
        user=user, section=section, kind=kind, start_date=start, defaults={"end_date": end}
    )
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
