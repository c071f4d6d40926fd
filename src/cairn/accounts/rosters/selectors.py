"""Reads for the roster pages: which district a person manages, its imports and its course rules."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Course, CourseMappingRule, District, Role, RosterImport, User
from cairn.core.errors import NotFound


def managed_district(viewer: User, district_id: int) -> District:
    """The district ``viewer`` administers (or any, for a platform admin); not found otherwise."""
    district = District.objects.filter(pk=district_id).first()
    roles = access.roles_of(viewer)
    allowed = Role.PLATFORM_ADMIN in roles or (
        district is not None
        and viewer.role_assignments.filter(role=Role.DISTRICT_ADMIN, district=district).exists()
    )
    if district is None or not allowed:
        raise NotFound(_("No such district."))
    return district


def imports_of(district: District) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(district=district).select_related("by")


def import_of(viewer: User, import_id: int) -> RosterImport:
    found = RosterImport.objects.select_related("district", "by").filter(pk=import_id).first()
    if found is None:
        raise NotFound(_("No such import."))
    managed_district(viewer, found.district_id)
    return found


def rules_of(district: District) -> QuerySet[CourseMappingRule]:
    return CourseMappingRule.objects.filter(district=district).select_related("course")


def courses_of(district: District) -> QuerySet[Course]:
    return Course.objects.filter(district=district, active=True)


def progress_key(import_id: int) -> str:
    return f"cairn:roster-import:{import_id}:progress"


def progress_of(roster_import: RosterImport) -> dict[str, Any]:
    """How far a running import is ({entity, done, total, percent}); kept in the cache, since the import's
    own transaction is invisible to the page until it commits."""
    progress: dict[str, Any] = cache.get(progress_key(roster_import.pk)) or {}
    return progress
