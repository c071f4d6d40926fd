"""Reads shared by the accounts pages and API. Callers have already asked cairn.accounts.access."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import (
    ApiToken,
    Enrolment,
    GuardianLink,
    Role,
    RoleAssignment,
    School,
    Section,
    User,
)


def sections_with_counts(sections: QuerySet[Section]) -> QuerySet[Section]:
    today = timezone.localdate()
    current_students = Q(enrolments__kind=Enrolment.Kind.STUDENT, enrolments__start_date__lte=today) & (
        Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=today)
    )
    return sections.select_related("school").annotate(
        student_count=Count("enrolments", filter=current_students)
    )


def taught_sections(teacher: User) -> QuerySet[Section]:
    """Sections the person teaches today."""
    ids = Enrolment.objects.current().filter(user=teacher, kind=Enrolment.Kind.TEACHER).values("section_id")
    return sections_with_counts(Section.objects.filter(pk__in=ids))


def student_sections(student: User) -> QuerySet[Section]:
    ids = Enrolment.objects.current().filter(user=student, kind=Enrolment.Kind.STUDENT).values("section_id")
    return Section.objects.filter(pk__in=ids).select_related("school")


def children_of(guardian: User) -> QuerySet[User]:
    return User.objects.filter(pk__in=GuardianLink.objects.filter(guardian=guardian).values("student_id"))


def guardians_of(student: User) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(student=student).select_related("guardian")


def schools_of_student(student: User) -> QuerySet[School]:
    return School.objects.filter(roles__user=student, roles__role=Role.STUDENT)


@dataclass(frozen=True)
class SchoolSummary:
    school: School
    sections: int
    students: int
    teachers: int


def school_summaries(schools: QuerySet[School]) -> list[SchoolSummary]:
    rows = []
    for school in schools.select_related("district"):
        roles = RoleAssignment.objects.filter(school=school)
        rows.append(
            SchoolSummary(
                school=school,
                sections=Section.objects.filter(school=school).count(),
                students=roles.filter(role=Role.STUDENT).count(),
                teachers=roles.filter(role=Role.TEACHER).count(),
            )
        )
    return rows


def visible_sections_with_counts(user: User) -> QuerySet[Section]:
    """The sections ``user`` may see, with their student counts and, as ``current_teachers`` (enrolments),
    who teaches each now: a leader's way into any class of their school."""
    teachers = Enrolment.objects.current().filter(kind=Enrolment.Kind.TEACHER).select_related("user")
    return sections_with_counts(access.visible_sections(user)).prefetch_related(
        Prefetch("enrolments", queryset=teachers, to_attr="current_teachers")
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """A person's tokens, live ones first, newest first (revoked and expired ones stay listed, marked)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
