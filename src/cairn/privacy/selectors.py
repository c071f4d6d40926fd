"""Reads for the privacy pages: which districts an admin answers for, their requests and retention."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import District, Role, User
from cairn.core.errors import Forbidden, NotFound
from cairn.privacy.models import PrivacyRequest, RetentionPolicy


def admin_districts(admin: User) -> QuerySet[District]:
    """Districts whose families' requests this person handles: a district admin's own, a platform admin's
    all. Anyone else may not handle requests at all (Forbidden)."""
    roles = access.roles_of(admin)
    if Role.PLATFORM_ADMIN in roles:
        return District.objects.all()
    if Role.DISTRICT_ADMIN not in roles:
        raise Forbidden(_("Families' data requests are handled by district admins."))
    return District.objects.filter(roles__user=admin, roles__role=Role.DISTRICT_ADMIN).distinct()


def district_of_student(admin: User, student: User) -> District:
    """The admin's district the student belongs to; a student of another district is not found."""
    district = (
        admin_districts(admin)
        .filter(schools__roles__user=student, schools__roles__role=Role.STUDENT)
        .distinct()
        .first()
    )
    if district is None:
        raise NotFound(_("No student with that username in your district."), field="username")
    return district


def requests_for(admin: User) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(district__in=admin_districts(admin)).select_related(
        "student", "district", "logged_by", "approved_by", "fulfilled_by"
    )


def request_for_admin(admin: User, request_id: int, *, for_update: bool = False) -> PrivacyRequest:
    requests = requests_for(admin)
    if for_update:
        requests = requests.select_for_update(of=("self",))
    request = requests.filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("No such request in your district."))
    return request


def retention_rows(admin: User) -> list[dict[str, Any]]:
    policies = {p.district_id: p.keep_days for p in RetentionPolicy.objects.all()}
    return [
        {"district": d, "keep_days": policies.get(d.pk, RetentionPolicy.DEFAULT_DAYS)}
        for d in admin_districts(admin).order_by("name")
    ]
