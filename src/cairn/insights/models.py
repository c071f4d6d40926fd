"""What a teacher plans from the data and keeps: small groups, tiered tasks and station-rotation plans.

Everything else the teacher pages show (Today, the class view) is read from the learning app's stored state
at request time; only the teacher's own decisions are stored here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL


class SmallGroup(models.Model):
    """A few students a teacher pulls for a face-to-face mini-lesson (or a check-in, without a competency).

    ``snapshot`` keeps each member's mastery when the group was made, so the page can show what changed
    since and offer to regroup."""

    section = models.ForeignKey("accounts.Section", on_delete=models.CASCADE, related_name="small_groups")
    competency = models.ForeignKey(
        "curriculum.Competency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=120)
    students = models.ManyToManyField("accounts.User", related_name="small_groups")
    activity = models.ForeignKey(
        "curriculum.Content",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The teacher-led activity for the mini-lesson.",
    )
    note = models.CharField(max_length=300, blank=True)
    for_date = models.DateField(help_text="The lesson the group is for.")
    snapshot = models.JSONField(default=dict, help_text="Student id -> mastery when grouped.")
    created_by = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True, help_text="When the teacher marked it taught.")

    class Meta:
        ordering = ["for_date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["section", "done_at"])]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    SUPPORT = "support", _("Support")
    CORE = "core", _("Core")
    EXTEND = "extend", _("Extend")


class TieredTask(models.Model):
    """One task written at three levels; each student gets the level their mastery calls for."""

    section = models.ForeignKey("accounts.Section", on_delete=models.CASCADE, related_name="tiered_tasks")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    support = models.TextField(max_length=2000, help_text="The task with scaffolds.")
    core = models.TextField(max_length=2000, help_text="The task as written.")
    extend = models.TextField(max_length=2000, help_text="The task taken further.")
    support_below = models.FloatField(default=0.4)
    extend_from = models.FloatField(default=0.8)
    created_by = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="tier_cuts_in_order",
                condition=Q(support_below__gt=0)
                & Q(support_below__lt=models.F("extend_from"))
                & Q(extend_from__lte=1),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def text_for(self, tier: str) -> str:
        return str(getattr(self, tier))


class TieredAssignment(models.Model):
    task = models.ForeignKey(TieredTask, on_delete=models.CASCADE, related_name="assignments")
    student = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    mastery = models.FloatField(null=True, blank=True, help_text="Mastery when assigned; empty: no evidence.")
    basis = models.CharField(
        max_length=16,
        choices=[
            ("topic", _("their answers on it")),
            ("prerequisites", _("its prerequisites")),
            ("diagnostic", _("the diagnostic")),
            ("none", _("no evidence yet")),
        ],
        default="topic",
        help_text="What the level was read from (cairn.engine.grouping.Basis): before a student starts the "
        "topic, the prerequisites' mastery or the diagnostic.",
    )
    moved_by_teacher = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "student"], name="one_tier_per_student")]

    def __str__(self) -> str:
        return f"{self.student} → {self.tier}"


class StationPlan(models.Model):
    """A station-rotation period: the stations, the rotation groups and who is where in each block."""

    section = models.ForeignKey("accounts.Section", on_delete=models.CASCADE, related_name="station_plans")
    title = models.CharField(max_length=200)
    lesson_date = models.DateField()
    block_minutes = models.PositiveSmallIntegerField()
    stations = models.JSONField(help_text="[{name, kind, activity}] in the order groups walk them.")
    groups = models.JSONField(help_text="[[student id, ...], ...], one group per station.")
    focus = models.JSONField(default=list, help_text="The competency each group mostly needs (or null).")
    schedule = models.JSONField(help_text="schedule[block][group] = index of the station.")
    created_by = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-lesson_date", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def rotations(self) -> int:
        return len(self.schedule)
