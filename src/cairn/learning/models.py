from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STUDENT = settings.AUTH_USER_MODEL


class LearnerState(models.Model):
    """One student's learner-model state (compact JSON from the engine), updated after every answer."""

    student = models.OneToOneField(STUDENT, on_delete=models.CASCADE, related_name="learner_state")
    model_name = models.CharField(max_length=40)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.model_name} state of {self.student}"


class LearnerModelFit(models.Model):
    """A learner model fitted on the platform's first-try answers; the newest one of the app's model is in
    use. ``model`` holds the engine's saved model (:mod:`cairn.engine.kt.persist`, no pickle), ``selection``
    the held-out figures of the candidates the engine compared and the one it kept."""

    model_name = models.CharField(max_length=40)
    params = models.JSONField()
    model = models.BinaryField(null=True, blank=True, help_text="The engine's saved model (an .npz file).")
    selection = models.JSONField(default=dict, blank=True, help_text="Candidates' held-out figures.")
    n_attempts = models.PositiveIntegerField(default=0)
    n_students = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        get_latest_by = "fitted_at"

    def __str__(self) -> str:
        return f"{self.model_name} fitted on {self.n_attempts} attempts"


class Progress(models.Model):
    """Where one student stands on one competency. Ready and locked are worked out at read time from
    prerequisites and release rules; what is stored is what the student did."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        CHECKING = "checking", _("Show what you know")
        MASTERED = "mastered", _("Mastered")

    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="progress")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    mastery = models.FloatField(default=0.0, help_text="The learner model's mastery estimate, 0..1.")
    uncertainty = models.FloatField(default=0.5, help_text="SD of the estimate.")
    attempts = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    recent_estimates = models.JSONField(default=list, help_text="Mastery after each of the last attempts.")
    check_answers = models.JSONField(
        default=list, help_text="Answers in the current mastery check, or a review's first miss."
    )
    spinning = models.BooleanField(default=False, help_text="The wheel-spinning guard fired.")
    mastered_at = models.DateTimeField(null=True, blank=True)
    mastered_by = models.CharField(max_length=20, blank=True, help_text="check, teacher or diagnostic")
    evidence_from = models.JSONField(
        default=list, blank=True, help_text="Other tools whose evidence moved the estimate, newest first."
    )
    review_card = models.JSONField(null=True, blank=True, help_text="FSRS card of a mastered competency.")
    review_due = models.DateTimeField(null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "competency"], name="progress_unique")]
        indexes = [models.Index(fields=["student", "status"])]

    def __str__(self) -> str:
        return f"{self.student} on {self.competency}: {self.status}"


class ServedItem(models.Model):
    """An item instance shown to a student. Answers are accepted only for served, open items."""

    class Purpose(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        CHECK = "check", _("Show what you know")
        REVIEW = "review", _("Review")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="served_items")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("curriculum.Item", on_delete=models.PROTECT, related_name="served")
    seed = models.PositiveIntegerField(default=0)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.PRACTICE)
    served_at = models.DateTimeField(default=timezone.now)
    tries = models.PositiveSmallIntegerField(default=0)
    hints_shown = models.PositiveSmallIntegerField(default=0)
    closed = models.BooleanField(default=False)
    solved = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["student", "closed"])]

    def __str__(self) -> str:
        return f"{self.item} for {self.student}"


class Attempt(models.Model):
    """One answer. Append-only: the learning history everything else is derived from."""

    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="attempts")
    client_attempt_id = models.UUIDField(help_text="Chosen by the client, so a double submit counts once.")
    served = models.ForeignKey(ServedItem, on_delete=models.CASCADE, related_name="attempts")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="attempts")
    item = models.ForeignKey("curriculum.Item", on_delete=models.PROTECT, related_name="attempts")
    item_version = models.PositiveIntegerField(null=True, blank=True, help_text="The version answered.")
    answer = models.CharField(max_length=500)
    normalized = models.CharField(max_length=500, blank=True)
    correct = models.BooleanField()
    try_number = models.PositiveSmallIntegerField(default=1)
    hints_used = models.PositiveSmallIntegerField(default=0)
    p_correct = models.FloatField(help_text="The model's prediction before the answer.")
    mastery_after = models.FloatField()
    response = models.JSONField(default=dict, help_text="What the student was told, replayed on a resubmit.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "client_attempt_id"], name="attempt_once_per_client_id"
            )
        ]
        indexes = [
            models.Index(fields=["student", "created_at"]),
            models.Index(fields=["competency", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.student} {'✓' if self.correct else '✗'} {self.item}"


class ActivityChoice(models.Model):
    """What the choice board offered and what the student picked: choices are data too."""

    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="choices")
    offered = models.JSONField(help_text="The options shown, in order, with their reasons.")
    chosen = models.CharField(max_length=120)
    chosen_kind = models.CharField(max_length=20)
    competency = models.ForeignKey(
        "curriculum.Competency", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.student} chose {self.chosen}"


class ActivityCompletion(models.Model):
    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="completions")
    content = models.ForeignKey("curriculum.Content", on_delete=models.CASCADE, related_name="completions")
    minutes = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.student} completed {self.content}"


class ReleaseRule(models.Model):
    """A teacher's rule on when a competency opens, for one section (or everyone when section is empty)."""

    competency = models.ForeignKey(
        "curriculum.Competency", on_delete=models.CASCADE, related_name="release_rules"
    )
    section = models.ForeignKey(
        "accounts.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="release_rules"
    )
    # A course's own rule: for the students of every section of the course (section left empty).
    course = models.ForeignKey(
        "accounts.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="release_rules"
    )
    rule = models.JSONField(help_text="See cairn.engine.release.rule_from_dict.")
    created_by = models.ForeignKey(STUDENT, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"rule on {self.competency}: {self.rule}"


class PathOverride(models.Model):
    """A teacher's decision about one student's path, always with a reason and always logged."""

    class Action(models.TextChoices):
        UNLOCK = "unlock", _("Unlock")
        LOCK = "lock", _("Lock")
        ASSIGN = "assign", _("Assign")
        SKIP = "skip", _("Skip")
        MASTERED = "mastered", _("Mark mastered")
        RESET = "reset", _("Reset")

    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="path_overrides")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(STUDENT, null=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True, help_text="False once a later override replaced it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "active"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.competency} for {self.student}"


class SectionCompetency(models.Model):
    """A teacher's change to one section's scope: a competency added to or removed from what the section's
    course gives it, with the reason; logged like path overrides. The newest active row per competency
    holds."""

    class Action(models.TextChoices):
        ADD = "add", _("Add")
        REMOVE = "remove", _("Remove")

    section = models.ForeignKey("accounts.Section", on_delete=models.CASCADE, related_name="adjustments")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(STUDENT, null=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True, help_text="False once a later change replaced it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["section", "active"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.competency} in {self.section}"


class Alert(models.Model):
    """Something a teacher should know now (e.g. a student wheel-spinning), until they resolve it."""

    class Kind(models.TextChoices):
        WHEEL_SPINNING = "wheel_spinning", _("Stuck")
        LAPSE = "lapse", _("Forgot a mastered topic")

    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="alerts")
    competency = models.ForeignKey(
        "curriculum.Competency", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.student}"


class MasteryPolicy(models.Model):
    """A district's definition of mastery and of wheel-spinning; districts without one use the defaults
    of :class:`cairn.engine.release.MasteryRule` and :class:`cairn.engine.wheelspin.WheelSpinGuard`."""

    district = models.OneToOneField(
        "accounts.District", on_delete=models.CASCADE, related_name="mastery_policy"
    )
    threshold = models.FloatField(
        default=0.95, help_text="The learner model's mastery estimate that starts the check (0.5–0.99)."
    )
    check_items = models.PositiveSmallIntegerField(
        default=3, help_text="Questions in the “show what you know” check (0 for none)."
    )
    check_to_pass = models.PositiveSmallIntegerField(default=3, help_text="Right answers needed to pass it.")
    wheel_spin_attempts = models.PositiveSmallIntegerField(
        default=10, help_text="Answers without progress before drilling stops and the teacher is told."
    )
    method = models.CharField(
        max_length=16,
        choices=[
            ("check", _("Estimate, then a “show what you know” check")),
            ("posterior", _("Estimate only: mastered when the model is sure enough")),
        ],
        default="check",
        help_text="How mastery is decided (cairn.engine.release.MasteryRule.method).",
    )
    updated_by = models.ForeignKey(STUDENT, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Mastery policy of {self.district}"


class ProficiencyScale(models.Model):
    """A district's proficiency scale: the levels a competency is graded on in the grade-book exports and the
    scores sent to an LMS (see :mod:`cairn.learning.selectors.proficiency`); districts without one use the
    0–4 default there."""

    district = models.OneToOneField(
        "accounts.District", on_delete=models.CASCADE, related_name="proficiency_scale"
    )
    levels = models.JSONField(
        default=list, help_text="Ascending [{min, score, label}]; the last (min null) is the mastered level."
    )
    updated_by = models.ForeignKey(STUDENT, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Proficiency scale of {self.district}"


class LearnerProfile(models.Model):
    """Who the student is as a learner: interests, strengths, preferred ways to learn, language and the
    accommodations of an IEP or 504 plan. Staff who teach the student (or their case manager) set it; the
    student sets the parts marked as theirs. It lives here, beside the board that reads it."""

    class Accommodation(models.TextChoices):
        READ_ALOUD = "read_aloud", _("Read aloud")
        EXTENDED_TIME = "extended_time", _("Extended time")
        FEWER_CHOICES = "fewer_choices", _("Fewer choices at once")
        LARGER_TEXT = "larger_text", _("Larger text")

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    interests = models.CharField(max_length=300, blank=True, help_text="In the student's words.")
    strengths = models.CharField(max_length=300, blank=True)
    # Activity kinds the student likes to learn by: video, reading, interactive, project, offline, practice.
    preferred_kinds = models.JSONField(default=list, blank=True)
    language = models.CharField(
        max_length=8, blank=True, help_text="The language the student learns in best."
    )
    reading_level = models.DecimalField(
        max_digits=3, decimal_places=1, null=True, blank=True, help_text="Grade level; blank: the grade."
    )
    # Accommodation codes (see Accommodation); only staff who teach the student may see them.
    accommodations = models.JSONField(default=list, blank=True)
    accommodations_source = models.CharField(max_length=10, blank=True, help_text="IEP, 504 or blank.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Learner profile of {self.student}"
