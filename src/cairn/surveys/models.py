"""The survey engine's tables. Anonymity is in the shape of the tables, not in a promise: an anonymous
``Submission`` holds no person, its key is random (so its order cannot be matched with ``Taken`` rows) and
it keeps only the day it came in; ``Taken`` records only THAT a person answered in a window."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    class Audience(models.TextChoices):
        STUDENT = "student", _("Students")
        TEACHER = "teacher", _("Teachers")
        FAMILY = "family", _("Families")

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey")
        PULSE = "pulse", _("Weekly class pulse")

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SURVEY)
    intro = models.TextField(blank=True)
    anonymous = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A Likert question (1 = strongly disagree … 5 = strongly agree) in one named scale of its survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    scale = models.CharField(max_length=80, help_text="The scale it belongs to, e.g. Engagement.")
    reverse_scored = models.BooleanField(default=False)
    # The question in other languages: {"es": "El ritmo de esta semana fue …"}.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position_unique")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyWindow(models.Model):
    """When a survey is given and to whom: a district (no school, no section), one school, or one section."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="windows")
    name = models.CharField(max_length=120, help_text='e.g. "Fall (pre)".')
    opens = models.DateField()
    closes = models.DateField()
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.CASCADE)
    section = models.ForeignKey("accounts.Section", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["-opens", "name"]

    def __str__(self) -> str:
        return f"{self.survey} — {self.name}"


class Submission(models.Model):
    """One set of answers. ``respondent`` is set only when the survey is not anonymous."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    window = models.ForeignKey(SurveyWindow, on_delete=models.CASCADE, related_name="submissions")
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.SET_NULL)
    section = models.ForeignKey("accounts.Section", null=True, blank=True, on_delete=models.SET_NULL)
    submitted_on = models.DateField()
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Answers to {self.window_id} on {self.submitted_on}"


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="survey_answer_once"),
            models.CheckConstraint(
                name="survey_answer_1_to_5", condition=models.Q(value__gte=1, value__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


class Taken(models.Model):
    """That a person answered in a window (so they cannot answer twice) — and nothing about what."""

    window = models.ForeignKey(SurveyWindow, on_delete=models.CASCADE, related_name="taken")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["window", "person"], name="survey_taken_once")]

    def __str__(self) -> str:
        return f"{self.person_id} answered {self.window_id}"
