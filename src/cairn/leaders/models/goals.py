"""The district's definition of personalized learning, its goals with measures, and the stored figures
(rollups) the leaders' pages read."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Pillar(models.TextChoices):
    LEARNER_PROFILES = "learner_profiles", "Learner profiles"
    PERSONAL_PATHS = "personal_paths", "Personal learning paths"
    COMPETENCY_PROGRESSION = "competency_progression", "Competency-based progression"
    FLEXIBLE_ENVIRONMENTS = "flexible_environments", "Flexible learning environments"


class Definition(models.Model):
    """One version of what personalized learning means in a district. A save makes a new version; the
    latest is current. ``pillars`` maps each chosen pillar to what it looks like in the district's own words:
    ``{"personal_paths": {"students": "...", "teachers": "...", "leaders": "..."}}``."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="definitions")
    version = models.PositiveIntegerField()
    pillars = models.JSONField(default=dict)
    summary = models.TextField(blank=True, help_text="In a sentence or two: what it means here.")
    family_text = models.TextField(blank=True, help_text="The same in plain language, for families.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "version"], name="definition_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district} definition v{self.version}"


class Goal(models.Model):
    """A district goal: a measure Cairn computes (``measure_key`` in ``cairn.leaders.measures``, with its
    ``measure_params``), from a baseline on a start date to a target by a target date."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="leader_goals")
    title = models.CharField(max_length=200)
    measure_key = models.CharField(max_length=60)
    measure_params = models.JSONField(default=dict, blank=True)
    baseline = models.FloatField()
    target = models.FloatField()
    start_date = models.DateField()
    target_date = models.DateField()
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class SchoolTarget(models.Model):
    """A school's own target for a district goal (else the district's target applies)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="school_targets")
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    target = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "school"], name="school_target_unique")]

    def __str__(self) -> str:
        return f"{self.goal} at {self.school}: {self.target:g}"


class MeasureValue(models.Model):
    """A stored figure: a goal's measure for a school (or the whole district when ``school`` is null) on a
    day, over ``n`` students (or sections). Written by the daily rollup; pages read only these."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="values")
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField()
    value = models.FloatField(null=True)
    n = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["goal", "school", "on"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "school", "on"], name="measure_value_unique"),
            models.UniqueConstraint(
                fields=["goal", "on"], condition=models.Q(school=None), name="measure_value_district_unique"
            ),
        ]
        indexes = [models.Index(fields=["goal", "on"])]

    def __str__(self) -> str:
        return f"{self.goal} on {self.on}: {self.value}"
