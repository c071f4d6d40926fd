from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
        GREAT = "great", _("Great")
        OK = "ok", _("OK")
        STUCK = "stuck", _("Stuck")
        FRUSTRATED = "frustrated", _("Frustrated")

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


class VoiceMessage(models.Model):
    """Something a student wants their teacher to hear: an "ask my teacher" message, or a reflection that
    asks for help or says they are stuck or unhappy. It waits in the class voice inbox and on Today until
    the teacher replies or marks it done."""

    class Kind(models.TextChoices):
        ASK = "ask", _("Ask my teacher")
        REFLECTION = "reflection", _("Reflection")

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice")
    section = models.ForeignKey(
        "accounts.Section", null=True, blank=True, on_delete=models.SET_NULL, related_name="voice"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ASK)
    reflection = models.OneToOneField(
        Reflection, null=True, blank=True, on_delete=models.CASCADE, related_name="voice"
    )
    body = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["section", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.student}: {self.body[:40]}"


class VoiceReply(models.Model):
    """A teacher's answer to a voice message; the student reads it on their home page."""

    message = models.ForeignKey(VoiceMessage, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reply to {self.message_id}"


class SkillRating(models.Model):
    """A teacher's rating of one autonomy skill of one student against the skill's short rubric (levels
    1-4). Shown beside what Cairn observes, never blended with it."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_ratings"
    )
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=300, blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="skill_level_1_to_4", condition=Q(level__gte=1, level__lte=4))
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.competency_id} at {self.level}"
