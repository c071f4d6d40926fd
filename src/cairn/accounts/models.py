from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    GUARDIAN = "guardian", _("Guardian")
    SCHOOL_LEADER = "school_leader", _("School leader")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # The district's org sourcedId in its OneRoster exports (rosters from the SIS).
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=40, help_text="The school's identifier in the district's SIS.")
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True, help_text="OneRoster org id.")
    active = models.BooleanField(default=True, help_text="False once the SIS marks it to be deleted.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_unique_in_district")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person. What they may do comes from their role assignments, enrolments and guardian links."""

    preferred_name = models.CharField(max_length=150, blank=True)
    grade = models.CharField(max_length=8, blank=True, help_text="Students: current grade level (K, 1..12).")
    # The person's sourcedId in the district's OneRoster exports: how roster imports, syncs and LMS launches
    # find them again (never a second account).
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True)
    # The language the person reads Cairn in ("en", "es"); blank: the browser's, or the district's default.
    # Families' comes from the roster when it says.
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip() or self.username


class RoleAssignment(models.Model):
    """One role held by one person, scoped to a school (student, teacher, school leader), a district
    (district admin) or nothing (platform admin, guardian). A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school", "district"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                name="role_assignment_scope",
                condition=(
                    Q(
                        role__in=["student", "teacher", "school_leader"],
                        school__isnull=False,
                        district__isnull=True,
                    )
                    | Q(role="district_admin", district__isnull=False, school__isnull=True)
                    | Q(role__in=["platform_admin", "guardian"], school__isnull=True, district__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.school or self.district or "platform"
        return f"{self.user} — {self.get_role_display()} ({scope})"


class Course(models.Model):
    """What a class studies, owned by a district: e.g. "Grade 4 Math". Its competencies, in their order,
    are kept by the curriculum (``curriculum.CourseCompetency``); sections belong to a course."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=60, help_text="Short name, unique in the district, e.g. MATH-4.")
    subject = models.CharField(max_length=80, blank=True)
    grade_low = models.PositiveSmallIntegerField(null=True, blank=True, help_text="K is 0.")
    grade_high = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="course_code_unique_in_district")
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A class: a group of students taught by one or more teachers for a term."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sections")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="sections"
    )
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True, help_text="OneRoster class id.")
    active = models.BooleanField(default=True, help_text="False once the SIS marks it to be deleted.")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=40)
    subject = models.CharField(max_length=80, blank=True)
    grade = models.CharField(max_length=8, blank=True)
    term_start = models.DateField()
    term_end = models.DateField()

    class Meta:
        ordering = ["school__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="section_code_unique_in_school"),
            models.CheckConstraint(
                name="section_term_order", condition=Q(term_end__gte=models.F("term_start"))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def current(self, on: dt.date | None = None) -> EnrolmentQuerySet:
        """Enrolments in force on a day (today by default): started, and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Enrolment(models.Model):
    class Kind(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True, help_text="OneRoster id.")

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "user", "kind", "start_date"], name="enrolment_unique"
            ),
            models.CheckConstraint(
                name="enrolment_dates_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]
        indexes = [models.Index(fields=["user", "kind"]), models.Index(fields=["section", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.section} ({self.kind})"


class GuardianLink(models.Model):
    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_links")
    relationship = models.CharField(max_length=40, default="parent")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "student"], name="guardian_link_unique")]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.student}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the token is shown once. It answers
    until ``expires_at`` or until revoked (by its owner, ``revoke_api_tokens``, or a password change)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class SecuritySettings(models.Model):
    """A district's sign-in rules. A district without a row gets the defaults of the fields."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="security_settings")
    require_staff_two_factor = models.BooleanField(
        default=False,
        help_text="Teachers and school leaders sign in in two steps too (district admins always do).",
    )
    student_idle_minutes = models.PositiveSmallIntegerField(
        default=30,
        help_text="Minutes without use after which a student's or guardian's session ends (shared devices).",
    )

    class Meta:
        verbose_name_plural = "security settings"
        constraints = [
            models.CheckConstraint(
                name="security_student_idle_minutes_range",
                condition=Q(student_idle_minutes__gte=1) & Q(student_idle_minutes__lte=720),
            )
        ]

    def __str__(self) -> str:
        return f"Sign-in rules of {self.district}"


class SignInFailure(models.Model):
    """One failed password check: what the sign-in throttle counts (cairn.accounts.throttle). Keyed by the
    username as typed (lowercased), not a person, so guesses at names that don't exist count too."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"


class RosterProvider(models.Model):
    """A district's OneRoster REST provider, pulled by the nightly roster sync (accounts/rosters/rest.py).

    The client secret is stored as given (the provider needs it back in clear to sign or to get a token);
    it is kept out of the admin's list, of exports and of every page."""

    class Version(models.TextChoices):
        V1_1 = "1.1", "OneRoster 1.1 (OAuth 1.0a)"
        V1_2 = "1.2", "OneRoster 1.2 (OAuth 2 client credentials)"

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="roster_provider")
    base_url = models.URLField(max_length=500, help_text="e.g. https://sis.example.org/ims/oneroster/v1p2")
    version = models.CharField(max_length=3, choices=Version.choices, default=Version.V1_2)
    client_id = models.CharField(max_length=255)
    client_secret = models.CharField(max_length=255)
    token_url = models.URLField(max_length=500, blank=True, help_text="OAuth 2 token endpoint (1.2 only).")
    active = models.BooleanField(default=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="Why the last pull failed (empty when it worked).")

    def __str__(self) -> str:
        return f"Roster provider of {self.district} ({self.base_url})"


class CourseMappingRule(models.Model):
    """A district admin's rule for roster imports: a OneRoster class of this subject and these grades
    belongs to this course. The first matching rule (lowest id) wins; a blank subject matches any."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="course_rules")
    subject = models.CharField(max_length=80, blank=True, help_text="As the SIS writes it, e.g. Math.")
    grade_low = models.PositiveSmallIntegerField(help_text="K is 0.")
    grade_high = models.PositiveSmallIntegerField()
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="mapping_rules")

    class Meta:
        ordering = ["district", "id"]
        constraints = [
            models.CheckConstraint(
                name="course_rule_grade_order", condition=Q(grade_high__gte=models.F("grade_low"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject or 'any subject'} grades {self.grade_low}-{self.grade_high} → {self.course}"


class RosterImport(models.Model):
    """One roster import, run or only tried (a dry run): who, when, from what, and its report."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run)")
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="roster_imports")
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    report = models.JSONField(default=dict, blank=True)
    progress = models.JSONField(default=dict, blank=True, help_text="{entity, done, total} while running.")
    package_path = models.CharField(
        max_length=500, blank=True, help_text="The uploaded package until it is imported (then removed)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"
