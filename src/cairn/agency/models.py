from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class WeeklyGoal(models.Model):
    """What a student plans for one week (Monday to Sunday): competencies to master and minutes to put in."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals")
    week_start = models.DateField(help_text="The Monday of the week.")
    competencies = models.PositiveSmallIntegerField(help_text="Competencies to master this week.")
    minutes = models.PositiveSmallIntegerField(help_text="Minutes of practice planned this week.")
    note = models.CharField(max_length=300, blank=True, help_text="In the student's words: what and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "week_start"], name="one_goal_per_week"),
            models.CheckConstraint(name="goal_minutes_sane", condition=Q(minutes__lte=1200)),
        ]
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return f"{self.student}: {self.competencies} competencies, {self.minutes} min from {self.week_start}"


class Reflection(models.Model):
    """A short end-of-session reflection, shared with the student's teachers."""

    class Feeling(models.TextChoices):
        GREAT = "great", "Great"
        OK = "ok", "OK"
        STUCK = "stuck", "Stuck"
        FRUSTRATED = "frustrated", "Frustrated"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    feeling = models.CharField(max_length=12, choices=Feeling.choices)
    learned = models.CharField(max_length=500, blank=True, help_text="What I learned or practised.")
    next_step = models.CharField(max_length=500, blank=True, help_text="What I'll do next time.")
    ask_teacher = models.CharField(
        max_length=500, blank=True, help_text="Something I want my teacher to know."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.student} felt {self.feeling}"
