"""Students' demographics, for equity breakdowns: seen by leaders only, never by teachers."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Demographics(models.Model):
    """The groups a district must watch, from roster demographics. Unknown is null (or blank)."""

    student = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frl = models.BooleanField(null=True, help_text="Free or reduced-price lunch.")
    ell = models.BooleanField(null=True, help_text="English learner.")
    iep = models.BooleanField(null=True, help_text="An IEP.")
    plan504 = models.BooleanField(null=True, help_text="A 504 plan.")
    race_ethnicity = models.CharField(max_length=60, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"demographics of {self.student_id}"
