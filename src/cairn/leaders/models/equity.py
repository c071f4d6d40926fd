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


class GroupValue(models.Model):
    """A stored figure for one student group: a goal's measure over the students of ``group`` in
    ``dimension`` (e.g. "ell" / "yes") at a school (or the whole district when ``school`` is null) on a
    day. Written by the daily rollup beside ``MeasureValue``, so the equity page draws gaps over time from
    stored figures. ``value`` is null when the group has fewer than 10 students (suppressed)."""

    goal = models.ForeignKey("leaders.Goal", on_delete=models.CASCADE, related_name="group_values")
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField()
    dimension = models.CharField(max_length=30)
    group = models.CharField(max_length=60)
    value = models.FloatField(null=True)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["goal", "school", "dimension", "group", "on"]
        indexes = [models.Index(fields=["goal", "dimension", "on"])]

    def __str__(self) -> str:
        return f"{self.goal} {self.dimension}={self.group} on {self.on}: {self.value}"
