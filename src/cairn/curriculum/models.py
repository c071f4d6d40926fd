"""Frameworks, competencies and their prerequisites; content, items, vetting and link health."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """A set of standards (a CASE CFDocument), e.g. Common Core State Standards for Mathematics."""

    identifier = models.CharField(max_length=64, unique=True, help_text="CASE identifier (a UUID).")
    uri = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    creator = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    version = models.CharField(max_length=50, blank=True)
    adoption_status = models.CharField(max_length=50, blank=True)
    licence = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where it was imported from.")
    last_change = models.DateTimeField(null=True, blank=True)
    # None: a public framework every district may use (a state's or a consortium's standards); else the
    # district's own.
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Competency(models.Model):
    """A standard or a part of one (a CASE CFItem): what a student should know or be able to do."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    identifier = models.CharField(max_length=64, unique=True)
    uri = models.URLField(max_length=500, blank=True)
    code = models.CharField(max_length=60, blank=True, help_text="Human coding scheme, e.g. 4.NF.A.1.")
    statement = models.TextField()
    # What a student reads instead of the code and the standard's own words ("I can ...").
    student_statement = models.CharField(
        max_length=160, blank=True, help_text="What students read: a short “I can …” sentence."
    )
    # Who last changed the student statement on the competency's page, and when (an import leaves these).
    student_statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_statement_at = models.DateTimeField(null=True, blank=True)
    # What students read in other languages: {"es": {"student_statement": "Puedo …"}}.
    translations = models.JSONField(default=dict, blank=True)
    item_type = models.CharField(max_length=60, blank=True, help_text="e.g. Domain, Cluster, Standard.")
    domain = models.CharField(max_length=200, blank=True)
    grades = models.JSONField(default=list, blank=True, help_text="Education levels, e.g. ['04'].")
    grade_low = models.PositiveSmallIntegerField(null=True, blank=True, help_text="K is 0.")
    grade_high = models.PositiveSmallIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    list_order = models.PositiveIntegerField(default=0)
    prerequisites = models.ManyToManyField(
        "self", through="Prerequisite", symmetrical=False, related_name="unlocks"
    )

    class Meta:
        ordering = ["framework", "list_order", "code"]
        verbose_name_plural = "competencies"
        indexes = [models.Index(fields=["code"]), models.Index(fields=["grade_low", "grade_high"])]

    def __str__(self) -> str:
        return self.code or self.statement[:60]

    @property
    def is_heading(self) -> bool:
        """Domains and clusters organise standards; students master standards."""
        return self.item_type.lower() in {"domain", "cluster", "grade level", "strand"}

    @property
    def grade_label(self) -> str:
        def label(g: int | None) -> str:
            return "K" if g == 0 else str(g)

        if self.grade_low is None:
            return ""
        if self.grade_high in (None, self.grade_low):
            return label(self.grade_low)
        return f"{label(self.grade_low)}–{label(self.grade_high)}"


class Prerequisite(models.Model):
    """``prerequisite`` comes before ``competency`` (CASE ``precedes``). The edges form a DAG."""

    prerequisite = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    identifier = models.CharField(max_length=64, blank=True, help_text="CASE association identifier.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prerequisite", "competency"], name="prerequisite_unique"),
            models.CheckConstraint(
                name="prerequisite_not_self", condition=~Q(prerequisite=models.F("competency"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prerequisite} → {self.competency}"


class CompetencyLink(models.Model):
    """Any other CASE association (exactMatchOf, isRelatedTo, exemplar, ...), kept as it came; and any
    association (isChildOf and precedes too) whose other end is outside its package: a crosswalk. An end
    Cairn does not know keeps only its CASE identifier and URI, and is resolved (``origin``/``destination``
    set) when the framework holding it is imported, in either order."""

    identifier = models.CharField(max_length=64, unique=True)
    association_type = models.CharField(max_length=60)
    # SET_NULL: when the other framework is deleted, its end goes back to waiting (identifier and URI kept);
    # a link of a deleted framework goes with it (``framework``).
    origin = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    origin_identifier = models.CharField(max_length=64, blank=True, db_index=True)
    origin_uri = models.CharField(max_length=500, blank=True)
    destination = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    destination_identifier = models.CharField(max_length=64, blank=True, db_index=True)
    destination_uri = models.CharField(max_length=500, blank=True)
    destination_title = models.CharField(max_length=300, blank=True)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="links")

    def __str__(self) -> str:
        return f"{self.origin_uri} {self.association_type} {self.destination_uri}"


class CourseCompetency(models.Model):
    """A competency a course studies, at its place in the course's order."""

    course = models.ForeignKey(
        "accounts.Course", on_delete=models.CASCADE, related_name="course_competencies"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="course_memberships")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="course_competency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competency} in {self.course}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")


class Scope(models.TextChoices):
    SECTIONS = "sections", _("My sections")
    LIBRARY = "library", _("Library")


class Content(models.Model):
    """A learning activity. Only approved content reaches students."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        READING = "reading", _("Reading")
        INTERACTIVE = "interactive", _("Interactive")
        PRACTICE = "practice", _("Practice")
        PROJECT = "project", _("Project")
        OFFLINE = "offline", _("Offline / teacher-led activity")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        FREEMIUM = "freemium", _("Free with paid features")
        PAID = "paid", _("Paid")

    class LinkStatus(models.TextChoices):
        NONE = "", _("No link")
        UNCHECKED = "unchecked", _("Not yet checked")
        OK = "ok", _("Working")
        SUSPECT = "suspect", _("Failed once; checking again")
        BROKEN = "broken", _("Broken")

    identifier = models.CharField(max_length=100, unique=True, help_text="Stable key for re-imports.")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField(blank=True, help_text="Sanitized HTML.")
    url = models.URLField(max_length=1000, blank=True)
    competencies = models.ManyToManyField(Competency, related_name="content", blank=True)
    grade_low = models.PositiveSmallIntegerField(null=True, blank=True)
    grade_high = models.PositiveSmallIntegerField(null=True, blank=True)
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=20, default="en")
    captions = models.BooleanField(default=False)
    transcript = models.BooleanField(default=False)
    alt_text = models.BooleanField(default=False)
    read_aloud = models.BooleanField(default=False, help_text="Works with read-aloud / text-to-speech.")
    licence = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    source = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="content"
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LIBRARY)
    # The district that owns it (None: the platform's own library); ``shared`` opts it into the library
    # other districts may see and adopt.
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.CASCADE, related_name="content"
    )
    shared = models.BooleanField(default=False, help_text="Other districts may see and adopt it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The live version's number (the history is in cairn.curriculum.version_models).
    version = models.PositiveIntegerField(default=1)
    reading_level = models.FloatField(null=True, blank=True, help_text="Flesch–Kincaid grade of the text.")
    link_status = models.CharField(max_length=10, choices=LinkStatus.choices, blank=True, default="")
    link_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        permissions = [("approve_content", "Can approve content and items for the library")]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["link_status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def grade_label(self) -> str:
        def label(g: int) -> str:
            return "K" if g == 0 else str(g)

        if self.grade_low is None:
            return ""
        if self.grade_high in (None, self.grade_low):
            return label(self.grade_low)
        return f"{label(self.grade_low)}–{label(self.grade_high or self.grade_low)}"

    @property
    def accessibility(self) -> list[str]:
        names = [
            ("captions", "Captions"),
            ("transcript", "Transcript"),
            ("alt_text", "Alt text"),
            ("read_aloud", "Read-aloud friendly"),
        ]
        return [label for field, label in names if getattr(self, field)]


class Review(models.Model):
    """One vetting review of one piece of content. Reviews are kept, never edited."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        CHANGES = "changes", _("Request changes")
        REJECT = "reject", _("Reject (retire)")
        SECTIONS = "sections", _("Approved by its author for their own sections")

    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    # The district the decision holds in (None: a platform admin's review of the platform's own library).
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answers = models.JSONField(default=dict, help_text="Question key -> {rating, note}.")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} — {self.content}"


class SectionContent(models.Model):
    """A teacher's choice for one section: hide a piece of content, or show another in its place."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hide")
        REPLACE = "replace", _("Replace")

    section = models.ForeignKey("accounts.Section", on_delete=models.CASCADE, related_name="content_choices")
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="section_choices")
    action = models.CharField(max_length=10, choices=Action.choices)
    replacement = models.ForeignKey(
        Content, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "content"], name="section_content_unique"),
            models.CheckConstraint(
                name="section_content_replacement",
                condition=Q(action="hide", replacement__isnull=True)
                | Q(action="replace", replacement__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content} in {self.section}"


class Item(models.Model):
    """An assessment question, or a parametric template that generates them (see cairn.engine.items)."""

    class Kind(models.TextChoices):
        CHOICE = "choice", _("Multiple choice")
        NUMERIC = "numeric", _("Numeric")
        TEXT = "text", _("Short text")
        TEMPLATE = "template", _("Parametric template")

    identifier = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300, blank=True)
    stem = models.TextField(help_text="Sanitized HTML; for templates, text with {placeholders}.")
    spec = models.JSONField(default=dict, help_text="Grading spec (choice, numeric, text).")
    template = models.JSONField(default=dict, blank=True, help_text="Template data, for templates.")
    hints = models.JSONField(default=list, blank=True)
    solution = models.JSONField(default=list, blank=True, help_text="Worked solution, step by step.")
    competencies = models.ManyToManyField(Competency, related_name="items", blank=True)
    irt_a = models.FloatField(null=True, blank=True)
    irt_b = models.FloatField(null=True, blank=True)
    irt_c = models.FloatField(null=True, blank=True)
    variant_count = models.PositiveIntegerField(default=1)
    language = models.CharField(max_length=20, default="en")
    source = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    shared = models.BooleanField(default=False, help_text="Other districts may see and adopt it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The live version's number (the history is in cairn.curriculum.version_models).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.title or self.identifier


class LinkCheck(models.Model):
    """One check of one content URL."""

    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="link_checks")
    url = models.URLField(max_length=1000)
    final_url = models.CharField(max_length=1000, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField()
    error = models.CharField(max_length=300, blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.url}: {self.status_code or self.error}"


class ContentNotice(models.Model):
    """A message to a content owner, e.g. that a link broke, shown on their library page."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_notices"
    )
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="notices")
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.message


class ItemReview(models.Model):
    """One review of one question: the decision, who made it and why. Kept, never edited, like Review."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="item_reviews"
    )
    decision = models.CharField(max_length=10, choices=Review.Decision.choices)
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} — {self.item}"


class Adoption(models.Model):
    """A district takes another district's shared, approved content or question for its own students, on
    the strength of the owner district's review (see cairn.curriculum.ownership)."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="adoptions")
    content = models.ForeignKey(
        Content, null=True, blank=True, on_delete=models.CASCADE, related_name="adoptions"
    )
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="adoptions")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "content"], name="adoption_content_unique"),
            models.UniqueConstraint(fields=["district", "item"], name="adoption_item_unique"),
            models.CheckConstraint(
                name="adoption_one_thing",
                condition=Q(content__isnull=False, item__isnull=True)
                | Q(content__isnull=True, item__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content or self.item} adopted by {self.district}"


# The version history of content and questions, in its own module (it imports nothing from here).
from cairn.curriculum.version_models import ContentVersion as ContentVersion  # noqa: E402
from cairn.curriculum.version_models import ItemVersion as ItemVersion  # noqa: E402
from cairn.curriculum.version_models import VersionStatus as VersionStatus  # noqa: E402
