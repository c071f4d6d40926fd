"""Adaptive diagnostics: what a diagnostic covers, when it is given, each student's sitting of it (with every
item served and answered), item exposure, and item calibrations from the answers."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STUDENT = settings.AUTH_USER_MODEL


class Diagnostic(models.Model):
    """An adaptive test that places students on the competency graph, e.g. at the start of a unit or term.

    It covers the listed competencies (none listed: every competency with approved practice items, i.e. the
    whole path). Its items are the approved items aligned to those competencies."""

    class Balance(models.TextChoices):
        DOMAIN = "domain", _("Domain")
        CLUSTER = "cluster", _("Cluster")
        COMPETENCY = "competency", _("Competency")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    competencies = models.ManyToManyField("curriculum.Competency", blank=True, related_name="diagnostics")
    balance_by = models.CharField(
        max_length=12,
        choices=Balance.choices,
        default=Balance.DOMAIN,
        help_text="Content balancing: items spread over these groups in proportion to their competencies.",
    )
    se_target = models.FloatField(
        default=0.3,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text="Stop at this SE.",
    )
    max_items = models.PositiveSmallIntegerField(default=20, validators=[MinValueValidator(1)])
    min_items = models.PositiveSmallIntegerField(default=5)
    max_exposure = models.FloatField(
        default=0.25,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text="Items already shown to this share of sittings are skipped while others remain.",
    )
    randomesque = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1)], help_text="Pick at random among this many best items."
    )
    mastery_confidence = models.FloatField(
        default=0.8,
        validators=[MinValueValidator(0.5), MaxValueValidator(0.99)],
        help_text="P(mastered) a competency needs (with every prerequisite) to be presumed mastered.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Season(models.TextChoices):
    FALL = "fall", _("Fall")
    WINTER = "winter", _("Winter")
    SPRING = "spring", _("Spring")


class Window(models.Model):
    """A re-assessment window that comes back every school year (e.g. fall: 15 Aug – 15 Oct). A sitting
    taken inside it is recorded against it, so growth can be read fall → winter → spring."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="windows")
    season = models.CharField(max_length=10, choices=Season.choices)
    opens_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    opens_day = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(31)])
    closes_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    closes_day = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(31)])

    class Meta:
        ordering = ["diagnostic", "opens_month", "opens_day"]
        constraints = [models.UniqueConstraint(fields=["diagnostic", "season"], name="window_season_unique")]

    def __str__(self) -> str:
        return f"{self.get_season_display()} window of {self.diagnostic}"

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the window; a window may run over the new year (Dec – Feb)."""
        key = (day.month, day.day)
        opens, closes = (self.opens_month, self.opens_day), (self.closes_month, self.closes_day)
        if opens <= closes:
            return opens <= key <= closes
        return key >= opens or key <= closes


class Administration(models.Model):
    """One student's sitting of a diagnostic. The item bank is frozen when it starts (a recalibration
    mid-test changes nothing), and the adaptive test's state is stored after every answer, so a closed tab
    resumes exactly where it stopped."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.PROTECT, related_name="administrations")
    student = models.ForeignKey(STUDENT, on_delete=models.CASCADE, related_name="diagnostic_sittings")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    school_year = models.CharField(max_length=9, help_text="e.g. 2025-26")
    season = models.CharField(
        max_length=10, choices=Season.choices, blank=True, help_text="Empty when taken outside any window."
    )
    bank = models.JSONField(help_text="The items and their parameters, frozen at the start.")
    state = models.JSONField(default=dict, help_text="The adaptive test's state (cairn.engine.cat.CatState).")
    theta = models.FloatField(default=0.0, help_text="Ability estimate (EAP, logit scale).")
    se = models.FloatField(default=1.0, help_text="Its standard error (posterior SD).")
    answered = models.PositiveSmallIntegerField(default=0)
    stop_reason = models.CharField(max_length=100, blank=True)
    placement = models.JSONField(default=dict, blank=True, help_text="Where the result places the student.")
    seeded = models.JSONField(default=dict, blank=True, help_text="What the placement wrote to learning.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "student"],
                condition=Q(status="in_progress"),
                name="one_open_sitting_per_diagnostic",
            )
        ]
        indexes = [
            models.Index(fields=["student", "status"]),
            models.Index(fields=["diagnostic", "school_year", "season"]),
        ]

    def __str__(self) -> str:
        return f"{self.diagnostic} by {self.student} ({self.get_status_display()})"

    @property
    def window_label(self) -> str:
        if not self.season:
            return f"{self.school_year} (outside a window)"
        return f"{self.get_season_display()} {self.school_year}"


class Response(models.Model):
    """One item served in a sitting and, once answered, the answer: the response log calibration reads.

    Only the sitting's one open (unanswered) response may be answered, by its token."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField(help_text="0 for the first item of the sitting.")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey("curriculum.Item", on_delete=models.PROTECT, related_name="diagnostic_responses")
    item_version = models.PositiveIntegerField(null=True, blank=True, help_text="The version answered.")
    bank_index = models.PositiveSmallIntegerField(help_text="The item's index in the sitting's frozen bank.")
    seed = models.PositiveIntegerField(default=0, help_text="Which variant of a template was shown.")
    served_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=200, blank=True)
    normalized = models.CharField(max_length=200, blank=True)
    correct = models.BooleanField(null=True)
    theta_after = models.FloatField(null=True, blank=True)
    se_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["administration", "position"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "position"], name="response_position_unique")
        ]
        indexes = [models.Index(fields=["item", "answered_at"])]

    def __str__(self) -> str:
        return f"#{self.position + 1} of {self.administration}: {self.item}"


class ItemExposure(models.Model):
    """How many sittings of a diagnostic have been shown an item (the exposure-control counter)."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="exposures")
    item = models.ForeignKey("curriculum.Item", on_delete=models.CASCADE, related_name="+")
    served = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["diagnostic", "item"], name="exposure_unique")]

    def __str__(self) -> str:
        return f"{self.item} shown {self.served}× in {self.diagnostic}"


class CalibrationRun(models.Model):
    """One fit of item parameters to the recorded diagnostic answers."""

    model = models.CharField(max_length=3, default="2PL")
    min_responses = models.PositiveIntegerField()
    persons = models.PositiveIntegerField(help_text="Finished sittings used.")
    items = models.PositiveIntegerField()
    calibrated = models.PositiveIntegerField(help_text="Items with enough answers to leave their priors.")
    flagged = models.PositiveIntegerField()
    iterations = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.model} calibration of {self.items} items on {self.persons} sittings"


class ItemCalibration(models.Model):
    """One item's parameters from one run. The newest row per item is in use: calibrated parameters replace
    the item's priors; a flagged item stays out of diagnostics until a reviewer clears it."""

    class Review(models.TextChoices):
        NONE = "", _("Not flagged")
        FLAGGED = "flagged", _("Flagged for review")
        CLEARED = "cleared", _("Reviewed and kept")

    run = models.ForeignKey(CalibrationRun, on_delete=models.CASCADE, related_name="item_calibrations")
    item = models.ForeignKey("curriculum.Item", on_delete=models.CASCADE, related_name="calibrations")
    a = models.FloatField()
    b = models.FloatField()
    c = models.FloatField(default=0.0)
    se_a = models.FloatField(null=True, blank=True)
    se_b = models.FloatField(null=True, blank=True)
    responses = models.PositiveIntegerField()
    calibrated = models.BooleanField(help_text="False: too few answers, the parameters are the priors.")
    fit_p = models.FloatField(null=True, blank=True, help_text="Item-fit p-value (Yen's Q1).")
    flag_reason = models.CharField(max_length=200, blank=True)
    review = models.CharField(max_length=10, choices=Review.choices, blank=True, default=Review.NONE)
    reviewed_by = models.ForeignKey(
        STUDENT, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run__created_at", "item"]
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="calibration_item_unique")]
        indexes = [models.Index(fields=["item", "run"]), models.Index(fields=["review"])]

    def __str__(self) -> str:
        return f"{self.item}: a={self.a:.2f} b={self.b:.2f}"
