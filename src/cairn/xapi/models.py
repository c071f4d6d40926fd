"""xAPI's tables: statements waiting to leave for the district's LRS (the outbox), the tools a district lets
send statements in, which outside activities count for which competency, and the statements received."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

PERSON = settings.AUTH_USER_MODEL


class OutboxStatement(models.Model):
    """A statement about a student, written when the event commits and kept until the LRS took it. Its id is
    the statement's id, fixed at creation, so sending it again is harmless at the LRS."""

    id = models.UUIDField(primary_key=True, editable=False)
    student = models.ForeignKey(PERSON, null=True, on_delete=models.CASCADE, related_name="+")
    statement = models.JSONField()
    created = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    rejected = models.BooleanField(
        default=False, help_text="The LRS refused this statement itself (not an outage): not sent again."
    )

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"statement {self.id} ({'sent' if self.sent_at else 'waiting'})"


class Tool(models.Model):
    """Another learning tool a district lets send xAPI statements to ``/xapi/statements``, with HTTP Basic
    credentials: ``key`` is the user name, the secret is kept only as a password hash."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="xapi_tools")
    name = models.CharField(max_length=120, help_text="Shown on students' paths as where evidence came from.")
    key = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=255)
    weight = models.FloatField(
        default=0.5, help_text="How much one of its statements counts, against a Cairn answer's 1 (0–1)."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.district})"


class ActivityMapping(models.Model):
    """An outside activity (its xAPI activity id) that counts as evidence on one competency."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="+")
    activity_id = models.CharField(max_length=500, help_text="The activity's IRI in the tool's statements.")
    competency = models.ForeignKey("curriculum.Competency", on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(default=1.0, help_text="Multiplies the tool's weight for this activity (0–1).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "activity_id"], name="xapi_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.competency}"


class Statement(models.Model):
    """A statement a tool sent, as stored (with the ``stored`` and ``authority`` Cairn set), and what it
    did: the student it is about (when known in the tool's district) and the evidence it gave."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="statements")
    student = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    statement = models.JSONField()
    verb = models.CharField(max_length=500, db_index=True)
    activity_id = models.CharField(max_length=500, blank=True, db_index=True)
    registration = models.UUIDField(null=True, blank=True, db_index=True)
    stored = models.DateTimeField(db_index=True)
    voided = models.BooleanField(default=False)
    competency = models.ForeignKey(
        "curriculum.Competency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.FloatField(null=True, blank=True, help_text="How right, 0–1, as fed to the model.")

    class Meta:
        ordering = ["-stored", "-pk"]
        indexes = [models.Index(fields=["tool", "stored"])]

    def __str__(self) -> str:
        return f"statement {self.id}"
