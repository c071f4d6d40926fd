"""Who gets which idle limit (``CAIRN_SESSION_IDLE_MINUTES_CALLABLE`` points here; cairn.core.sessions
enforces it). Students and guardians get the short limit: students sit at shared classroom devices, and a
guardian's view of a child is as private as the child's own. Staff (teachers, leaders, admins) get the longer
``CAIRN_STAFF_SESSION_IDLE_MINUTES``: they plan lessons with a tab open between classes."""

from __future__ import annotations

from django.conf import settings

from cairn.accounts.access import roles_of
from cairn.accounts.models import Role, User

_SHORT_LIMIT_ROLES = {Role.STUDENT, Role.GUARDIAN}


def idle_minutes(user: User) -> int:
    staff = user.is_staff or bool(roles_of(user) - _SHORT_LIMIT_ROLES)
    return int(settings.CAIRN_STAFF_SESSION_IDLE_MINUTES if staff else settings.CAIRN_SESSION_IDLE_MINUTES)
