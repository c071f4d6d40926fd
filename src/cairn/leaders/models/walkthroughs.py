"""Classroom walkthroughs: a leader's short visit to a class, with the district's look-fors marked seen or
not. Rolled into the fidelity indicators (share of look-fors seen per school per month)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Walkthrough(models.Model):
    """One visit: which school (and class, and teacher) a leader observed, when, and short notes."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="walkthroughs")
    section = models.ForeignKey(
        "accounts.Section", null=True, blank=True, on_delete=models.SET_NULL, related_name="walkthroughs"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "at"])]

    def __str__(self) -> str:
        return f"Walkthrough at {self.school} on {self.at:%Y-%m-%d}"


class WalkthroughMark(models.Model):
    """One look-for in a visit (key from cairn.leaders.lookfors), seen or not."""

    walkthrough = models.ForeignKey(Walkthrough, on_delete=models.CASCADE, related_name="marks")
    look_for = models.CharField(max_length=60)
    pillar = models.CharField(max_length=40)
    seen = models.BooleanField()

    class Meta:
        ordering = ["walkthrough", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["walkthrough", "look_for"], name="walkthrough_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.look_for}: {'seen' if self.seen else 'not seen'}"
