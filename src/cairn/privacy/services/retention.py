"""Retention: a district keeps the data of a student who left for a number of days it sets (one year
unless it says otherwise); after that the student is erased. Expired export downloads are deleted too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import District, Enrolment, Role, User
from cairn.core.errors import Invalid
from cairn.privacy.models import ErasureRecord, PrivacyRequest, RetentionPolicy
from cairn.privacy.services.erasure import erase_person

MAX_KEEP_DAYS = 20 * 365


def keep_days(district: District) -> int:
    policy = RetentionPolicy.objects.filter(district=district).first()
    return policy.keep_days if policy else RetentionPolicy.DEFAULT_DAYS


def set_keep_days(district: District, *, days: int) -> RetentionPolicy:
    if not 30 <= days <= MAX_KEEP_DAYS:
        raise Invalid(_("Keep data between 30 days and 20 years (7300 days)."), field="keep_days")
    policy, _created = RetentionPolicy.objects.update_or_create(
        district=district, defaults={"keep_days": days}
    )
    return policy


def students_past_retention(district: District, *, today: dt.date) -> list[User]:
    """Students of the district who were in at least one class, and whose every class ended more than the
    district's keep days ago. A student never enrolled anywhere is not "gone" and is kept."""
    cutoff = today - dt.timedelta(days=keep_days(district))
    recent = Enrolment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff))
    erased = ErasureRecord.objects.filter(stand_in_id__isnull=False).values("stand_in_id")
    return list(
        User.objects.filter(role_assignments__role=Role.STUDENT, role_assignments__school__district=district)
        .filter(enrolments__isnull=False)
        .exclude(pk__in=recent.values("user_id"))
        .exclude(pk__in=erased)
        .distinct()
        .order_by("pk")
    )


def enforce_retention(*, today: dt.date | None = None) -> dict[str, int]:
    """Erase every student past their district's limit (one transaction each, so one failure does not
    undo the others) and delete export downloads past their date. Nightly (Celery beat or cron)."""
    day = today or timezone.localdate()
    erased = 0
    for district in District.objects.order_by("pk"):
        for student in students_past_retention(district, today=day):
            erase_person(student, reason="retention")
            erased += 1
    return {"erased": erased, "exports_deleted": delete_expired_exports()}


@transaction.atomic
def delete_expired_exports(*, now: dt.datetime | None = None) -> int:
    expired = PrivacyRequest.objects.exclude(export_file="").filter(
        export_expires_at__lt=now or timezone.now()
    )
    count = 0
    for request in expired:
        Path(request.export_file).unlink(missing_ok=True)
        request.export_file = ""
        request.save(update_fields=["export_file"])
        count += 1
    return count
