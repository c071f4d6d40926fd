"""Teachers' own paths: which practice a teacher chose to work on next, and each piece of evidence fed into
their learner state from what Cairn saw them do or a walkthrough (one row per piece, so the job that feeds
them is idempotent and the teacher's page can say where each came from)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PracticeFocus(models.Model):
    """The practice a teacher is working on now (their own choice)."""

    teacher = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_focus"
    )
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.teacher} working on {self.competency}"


class PracticeEvidence(models.Model):
    """One piece of evidence about a teacher's practice, already recorded through the learning evidence
    door. ``key`` names what it came from (``walkthrough:<mark id>``, ``<signal>:<week's Monday>``)."""

    class Source(models.TextChoices):
        CAIRN = "cairn", "What Cairn saw"
        WALKTHROUGH = "walkthrough", "A walkthrough"

    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    source = models.CharField(max_length=12, choices=Source.choices)
    signal = models.CharField(max_length=40, help_text="The indicator or look-for it came from.")
    score = models.FloatField()
    weight = models.FloatField()
    at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["teacher", "-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "competency", "key"], name="practice_evidence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.competency}: {self.score:g} ({self.key})"
