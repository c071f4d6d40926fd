from __future__ import annotations

from django.conf import settings
from django.db import models


class DigestPreference(models.Model):
    """How a guardian wants the weekly digest: how often, or not at all. Their language is the person's own
    (``User.language``). No row: weekly, in the guardian's language."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        NEVER = "never", "Never (opted out)"

    guardian = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.guardian}: {self.frequency}"


class DigestSent(models.Model):
    """One weekly digest sent to one guardian: what makes sending idempotent (one per guardian and week)."""

    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    language = models.CharField(max_length=8)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "week_start"], name="one_digest_per_guardian_week")
        ]

    def __str__(self) -> str:
        return f"Digest to {self.guardian} for {self.week_start}"


class TeacherNote(models.Model):
    """A short note from a teacher to a student's family, shown on the family page and in the digest."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note about {self.student}"
