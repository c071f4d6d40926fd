"""Core's one table: the audit trail, low so every app can write to it.

A row names people by id only (never a name, never a foreign key): erasing a person must not cascade into
the trail, and the trail must not keep what erasure removed. Rows are never updated or deleted: database
triggers refuse it (migration 0002), and each row carries the SHA-256 of the previous row's hash and its own
canonical content, so a row changed behind the triggers' back breaks the chain (``audit.verify_chain``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEWED_STUDENT = "viewed_student", "Viewed a student's data"
    VIEWED_CLASS = "viewed_class", "Viewed a class"
    EXPORTED = "exported", "Exported data"
    OVERRIDE = "override", "Overrode a result"
    ROLE_CHANGED = "role_changed", "Changed a role"
    ENROLMENT_CHANGED = "enrolment_changed", "Changed an enrolment"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    PRIVACY_REQUEST = "privacy_request", "Privacy request"
    PASSWORD_RESET = "password_reset", "Reset a password"
    RECORD_CHANGED = "record_changed", "Changed a student's record"


class AuditEvent(models.Model):
    """Who did what about which student, when and from where. Append-only."""

    time = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.IntegerField(
        null=True, blank=True, help_text="The person who acted; none if anonymous."
    )
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=24, choices=AuditAction.choices)
    student_id = models.IntegerField(null=True, blank=True, help_text="The student the event is about.")
    section_id = models.IntegerField(null=True, blank=True)
    district_id = models.IntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=45, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["student_id", "time"], name="audit_student_time")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.action} by {self.actor_id} about {self.student_id}"
