"""Outside test scores (state tests, interim assessments) imported from a file, and which schools are in the
program (the comparison for evidence of effect)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OutsideScore(models.Model):
    """One student's score on an outside assessment in a window ("Fall 2026") or on a date. ``period`` is
    the window's name, else the date in ISO form: a re-import matches on student + assessment + period."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assessment = models.CharField(max_length=200)
    subject = models.CharField(max_length=100, blank=True)
    window = models.CharField(max_length=100, blank=True)
    on = models.DateField(null=True, blank=True)
    period = models.CharField(max_length=100)
    score = models.FloatField()
    scale = models.CharField(max_length=100, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.CharField(max_length=200, help_text="The import it came from: file name and time.")

    class Meta:
        ordering = ["district", "assessment", "period", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "assessment", "period"], name="outside_score_unique")
        ]
        indexes = [models.Index(fields=["district", "assessment", "period"])]

    def __str__(self) -> str:
        return f"{self.assessment} {self.period}: {self.score}"


class ProgramSchool(models.Model):
    """A school in the district's personalized-learning program since a date; the others are "not yet in
    the program" (a comparison group)."""

    school = models.OneToOneField("accounts.School", on_delete=models.CASCADE, related_name="+")
    since = models.DateField()

    def __str__(self) -> str:
        return f"{self.school} in the program since {self.since}"
