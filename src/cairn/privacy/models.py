"""Families' data rights: the requests a district logs, the erasures it remembers, and how long it keeps
the data of students who left."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    """That someone was erased, kept without their name: only a salted hash of each identifier (username,
    email, roster id; see cairn.core.privacy.identifier_digest), so a later roster import can refuse to
    recreate them and an export of them is refused."""

    digest = models.CharField(max_length=64, db_index=True)
    stand_in_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The anonymous account the erased person's kept rows point to."
    )
    reason = models.CharField(max_length=20, help_text="request, retention or command")
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure of {self.erased_at:%Y-%m-%d}"


class RetentionPolicy(models.Model):
    """How long a district keeps the data of students whose every class has ended."""

    DEFAULT_DAYS = 365

    district = models.OneToOneField("accounts.District", on_delete=models.CASCADE, related_name="retention")
    keep_days = models.PositiveIntegerField(
        default=DEFAULT_DAYS, help_text="Days after a student's last class ends before their data is erased."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.district}: {self.keep_days} days"


class PrivacyRequest(models.Model):
    """A family's request about one student, logged by a district admin, approved, then fulfilled.

    Exports may be approved by the admin who logged them; an erasure cannot be undone, so it needs a second
    person (another admin of the district, or a platform admin)."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Copy of the data")
        ERASURE = "erasure", _("Erasure")

    class Status(models.TextChoices):
        LOGGED = "logged", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        FULFILLED = "fulfilled", _("Done")

    district = models.ForeignKey(
        "accounts.District", on_delete=models.CASCADE, related_name="privacy_requests"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="privacy_requests"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    requester = models.CharField(max_length=200, help_text="Who asked, e.g. “mother, by letter”.")
    asked_on = models.DateField(help_text="When the family asked.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LOGGED)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    export_file = models.CharField(
        max_length=500, blank=True, help_text="The export's zip, until it expires."
    )
    export_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-logged_at", "-pk"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request of {self.asked_on}"
