"""A staff member leaves: nothing they wrote blocks it, and nothing they wrote is lost."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import ApiToken, Enrolment, Role, RoleAssignment, User
from cairn.core.errors import Invalid
from cairn.privacy.services.events import _audit

STAFF_ROLES = (Role.TEACHER, Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)


@transaction.atomic
def offboard_staff(person: User, *, actor: User | None = None, on: dt.date | None = None) -> None:
    """Deactivate a staff member, end their classes today (classes not yet started are dropped), take
    away their staff roles and revoke their API tokens. Their content, reviews, groups and overrides stay,
    shown as theirs with "(former staff)" (cairn.core.privacy.name_or_former_staff)."""
    today = on or timezone.localdate()
    if not RoleAssignment.objects.filter(user=person, role__in=STAFF_ROLES).exists():
        raise Invalid(_("%(name)s holds no staff role to leave.") % {"name": person.display_name})
    teaching = Enrolment.objects.filter(user=person, kind=Enrolment.Kind.TEACHER)
    teaching.filter(start_date__gt=today).delete()
    teaching.filter(start_date__lte=today).exclude(end_date__lte=today).update(end_date=today)
    RoleAssignment.objects.filter(user=person, role__in=STAFF_ROLES).delete()
    ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    person.is_active = False
    person.is_staff = False
    person.save(update_fields=["is_active", "is_staff"])
    _audit("offboard_staff", actor=actor, subject_id=person.pk)
