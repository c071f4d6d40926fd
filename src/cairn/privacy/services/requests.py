"""A family's request about one student's data, as a district admin handles it: logged (who asked, when,
for what), approved, then fulfilled. An export is downloadable for seven days; the nightly retention task
deletes the file after that. An erasure needs a second person's approval (another admin of the district or
a platform admin), since it cannot be undone; an export may be approved by the admin who logged it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Conflict, Forbidden, Invalid, NotFound
from cairn.privacy import selectors
from cairn.privacy.models import PrivacyRequest
from cairn.privacy.services.erasure import erase_person
from cairn.privacy.services.events import _audit
from cairn.privacy.services.export import export_zip, person_by_username
from cairn.privacy.services.retention import set_keep_days

DOWNLOAD_DAYS = 7


def export_dir() -> Path:
    """Where export zips wait for their download: ``PRIVACY_EXPORT_DIR``, else the data folder."""
    return Path(getattr(settings, "PRIVACY_EXPORT_DIR", settings.DATA_DIR / "privacy-exports"))


@transaction.atomic
def log_request(
    *, admin: User, username: str, kind: str, requester: str, asked_on: dt.date
) -> PrivacyRequest:
    if kind not in PrivacyRequest.Kind.values:
        raise Invalid(_("Choose a copy of the data or an erasure."), field="kind")
    if not requester.strip():
        raise Invalid(_("Say who asked (for example: mother, by letter)."), field="requester")
    if asked_on > timezone.localdate():
        raise Invalid(_("The day the family asked cannot be in the future."), field="asked_on")
    student = person_by_username(username.strip())
    district = selectors.district_of_student(admin, student)
    request = PrivacyRequest.objects.create(
        district=district,
        student=student,
        kind=kind,
        requester=requester.strip()[:200],
        asked_on=asked_on,
        logged_by=admin,
    )
    _audit(
        "request_logged",
        actor=admin,
        subject_id=student.pk,
        request_id=request.pk,
        kind=kind,
        district_id=district.pk,
    )
    return request


@transaction.atomic
def approve_request(*, admin: User, request_id: int) -> PrivacyRequest:
    request = selectors.request_for_admin(admin, request_id, for_update=True)
    if request.status != PrivacyRequest.Status.LOGGED:
        raise Conflict(_("This request was already approved."))
    if request.kind == PrivacyRequest.Kind.ERASURE and request.logged_by_id == admin.pk:
        raise Forbidden(_("An erasure cannot be undone: another admin must approve it."))
    request.status = PrivacyRequest.Status.APPROVED
    request.approved_by, request.approved_at = admin, timezone.now()
    request.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(
        "request_approved",
        actor=admin,
        subject_id=request.student_id,
        request_id=request.pk,
        district_id=request.district_id,
    )
    return request


@transaction.atomic
def fulfil_request(*, admin: User, request_id: int) -> PrivacyRequest:
    """Do what was approved: write the export zip (downloadable for seven days) or erase the student."""
    request = selectors.request_for_admin(admin, request_id, for_update=True)
    if request.status != PrivacyRequest.Status.APPROVED:
        raise Conflict(_("Only an approved request can be fulfilled, once."))
    student = request.student
    if student is None:
        raise Conflict(_("The student's account no longer exists."))
    if request.kind == PrivacyRequest.Kind.EXPORT:
        folder = export_dir() / f"request-{request.pk}"
        folder.mkdir(parents=True, exist_ok=True)
        request.export_file = str(export_zip(student, out_dir=folder, actor=admin))
        request.export_expires_at = timezone.now() + dt.timedelta(days=DOWNLOAD_DAYS)
    else:
        erase_person(student, reason="request", actor=admin)
        request.requester = ""
    request.status = PrivacyRequest.Status.FULFILLED
    request.fulfilled_by, request.fulfilled_at = admin, timezone.now()
    request.save()
    _audit(
        "request_fulfilled",
        actor=admin,
        subject_id=student.pk,
        request_id=request.pk,
        district_id=request.district_id,
    )
    return request


def export_download(*, admin: User, request_id: int) -> Path:
    """The export zip of a fulfilled request, while its seven days last."""
    request = selectors.request_for_admin(admin, request_id)
    if request.kind != PrivacyRequest.Kind.EXPORT or request.status != PrivacyRequest.Status.FULFILLED:
        raise NotFound(_("This request has no export to download."))
    expired = request.export_expires_at is None or request.export_expires_at < timezone.now()
    if expired or not request.export_file or not Path(request.export_file).exists():
        raise Conflict(
            _("The download was available for %(days)d days and has been deleted.") % {"days": DOWNLOAD_DAYS}
        )
    _audit(
        "export_downloaded",
        actor=admin,
        subject_id=request.student_id,
        request_id=request.pk,
        district_id=request.district_id,
    )
    return Path(request.export_file)


def set_retention(*, admin: User, district_id: int, days: int) -> None:
    """A district admin sets how long their district keeps the data of students who left."""
    district = selectors.admin_districts(admin).filter(pk=district_id).first()
    if district is None:
        raise NotFound(_("No such district among yours."))
    set_keep_days(district, days=days)
    _audit("retention_set", actor=admin, subject_id=None, district_id=district.pk, days=days)
