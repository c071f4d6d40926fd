"""What Cairn adds to django-lti's tables (app ``lti_tool``: LtiRegistration, LtiDeployment, LtiContext,
LtiUser, Key): which district a platform belongs to, who a platform's person is in Cairn, and which Cairn
class an LMS course is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import District, Section, User


class Platform(models.Model):
    """An LMS registered with Cairn: django-lti's registration (issuer, client id, the platform's URLs) and
    the district whose people and classes its launches reach. People it launches who are not rostered get
    accounts in this district."""

    registration = models.OneToOneField(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="cairn_platform"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="lti_platforms")
    # Pages of Cairn may be framed by the issuer's and the auth URL's origins, the origin of a launch's
    # return URL, and these (an LMS whose issuer is not where its pages are, e.g. Canvas).
    frame_origins = models.TextField(
        blank=True, help_text="Other web addresses the LMS shows its pages at, one a line (https://…)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.registration.name} ({self.district})"


class LtiIdentity(models.Model):
    """A platform's person (issuer, subject) is one Cairn person: every later launch finds them by it."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lti_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "LTI identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="lti_identity_unique")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class ContextSection(models.Model):
    """An LMS course (django-lti's LtiContext, one per deployment and context id) is this Cairn class."""

    context = models.OneToOneField("lti_tool.LtiContext", on_delete=models.CASCADE, related_name="cairn")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lti_contexts")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.context} → {self.section}"


class Placement(models.Model):
    """Something a teacher placed in an LMS course by deep linking: a competency, an activity or the
    diagnostic, with the line item the LMS grades it in (``cairn.lti.deep_linking``; scores from
    ``cairn.lti.ags``). ``resource_id`` is the line item's resourceId, how Cairn finds the line item the LMS
    made; ``lineitem_url`` is kept once known."""

    class Kind(models.TextChoices):
        COMPETENCY = "competency", _("Competency")
        CONTENT = "content", _("Activity")
        DIAGNOSTIC = "diagnostic", _("Diagnostic")

    context = models.ForeignKey("lti_tool.LtiContext", on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    competency = models.ForeignKey(
        "curriculum.Competency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    content = models.ForeignKey(
        "curriculum.Content", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=255)
    resource_id = models.CharField(max_length=64, unique=True)
    lineitem_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "competency"]), models.Index(fields=["kind", "content"])]

    def __str__(self) -> str:
        return f"{self.title} in {self.context}"
