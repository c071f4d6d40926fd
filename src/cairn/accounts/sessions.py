"""Who gets which idle limit (``CAIRN_SESSION_IDLE_MINUTES_CALLABLE`` points here; cairn.core.sessions
enforces it). Students and guardians get the short limit: students sit at shared classroom devices, and a
guardian's view of a child is as private as the child's own. Staff (teachers, leaders, admins) get the longer
``CAIRN_STAFF_SESSION_IDLE_MINUTES``: they plan lessons with a tab open between classes. A district sets
its own limit for students and guardians in its ``SecuritySettings`` (default 30 minutes); without a row,
``CAIRN_SESSION_IDLE_MINUTES`` holds."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Min, Q

from cairn.accounts.access import roles_of
from cairn.accounts.models import Role, SecuritySettings, User

_SHORT_LIMIT_ROLES = {Role.STUDENT, Role.GUARDIAN}


def idle_minutes(user: User) -> int:
    staff = user.is_staff or bool(roles_of(user) - _SHORT_LIMIT_ROLES)
    if staff:
        return int(settings.CAIRN_STAFF_SESSION_IDLE_MINUTES)
    return district_student_idle_minutes(user) or int(settings.CAIRN_SESSION_IDLE_MINUTES)


def district_student_idle_minutes(user: User) -> int | None:
    """The shortest idle limit the districts of a student (or a guardian's children) set, if any does."""
    found = SecuritySettings.objects.filter(
        Q(district__schools__roles__user=user)
        | Q(district__schools__roles__user__guardian_links__guardian=user)
    ).aggregate(minutes=Min("student_idle_minutes"))["minutes"]
    return int(found) if found is not None else None
