"""The version history of content and questions (tables; the rules are in
``cairn.curriculum.services.versions``).

A ``Content`` or ``Item`` row always holds its LIVE version, so its id, what students are served and every
reference to it stay as they are; ``version`` on the row is the live version's number. A version row is a
snapshot of the editable fields (``data``) with who wrote it and who decided on it. Editing approved
content or a question adds a version waiting for review while the live row stays untouched; approving it
copies the snapshot into the row. Rejected versions stay, so the history shows every proposal.

Kept in its own module (imported at the end of ``models.py``) so that ``models.py`` stays readable; the
foreign keys name their targets as strings, so this module imports nothing from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being written: never submitted, or sent back for changes
    IN_REVIEW = "in_review", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Version(models.Model):
    """What every version row holds (abstract: one table per kind of thing versioned)."""

    number = models.PositiveIntegerField()
    data = models.JSONField(help_text="The editable fields as this version has them.")
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.IN_REVIEW)
    summary = models.CharField(max_length=300, blank=True, help_text="What changed, in the author's words.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The reviewer's comment.")

    class Meta:
        abstract = True
        ordering = ["-number"]

    @property
    def is_open(self) -> bool:
        """Still being written or waiting for a decision."""
        return self.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


class ContentVersion(Version):
    content = models.ForeignKey("curriculum.Content", on_delete=models.CASCADE, related_name="versions")

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["content", "number"], name="content_version_unique")]

    def __str__(self) -> str:
        return f"{self.content} v{self.number}"


class ItemVersion(Version):
    item = models.ForeignKey("curriculum.Item", on_delete=models.CASCADE, related_name="versions")

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique")]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"
