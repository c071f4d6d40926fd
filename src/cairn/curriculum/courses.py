"""Reads about courses: their competencies in the course's order, the competencies a subject and grade band
offers a district, and the courses that fit a section without one. Writes are in
:mod:`cairn.curriculum.services.courses`."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Course, District, Role, RoleAssignment, Section, User
from cairn.core.errors import NotFound
from cairn.curriculum.models import Competency, CourseCompetency

HEADING_TYPES = ("domain", "cluster", "grade level", "strand")


def course_positions(course: Course) -> dict[int, int]:
    """Competency id -> the course's position for it (0 first)."""
    return dict(
        CourseCompetency.objects.filter(course=course)
        .order_by("position", "pk")
        .values_list("competency_id", "position")
    )


def course_competencies(course: Course) -> list[Competency]:
    """The course's competencies in the course's order (approved practice or not)."""
    return [
        cc.competency
        for cc in CourseCompetency.objects.filter(course=course)
        .select_related("competency")
        .order_by("position", "pk")
    ]


def district_courses(district: District, *, active_only: bool = False) -> QuerySet[Course]:
    courses = Course.objects.filter(district=district)
    return courses.filter(active=True) if active_only else courses


def usable_competencies(district: District | None) -> QuerySet[Competency]:
    """Standards (not domains or clusters) of public frameworks and the district's own."""
    owned = Q(framework__district__isnull=True)
    if district is not None:
        owned |= Q(framework__district=district)
    headings = Q()
    for kind in HEADING_TYPES:
        headings |= Q(item_type__iexact=kind)
    return Competency.objects.filter(owned).exclude(headings)


def band_competencies(
    *, district: District | None, subject: str, grade_low: int | None, grade_high: int | None
) -> QuerySet[Competency]:
    """The district's usable competencies of frameworks on ``subject`` (any subject when blank) whose grades
    meet the band (any grade when the band is open), in the frameworks' order."""
    found = usable_competencies(district)
    if subject.strip():
        found = found.filter(framework__subject__icontains=subject.strip())
    if grade_high is not None:
        found = found.filter(Q(grade_low__isnull=True) | Q(grade_low__lte=grade_high))
    if grade_low is not None:
        found = found.filter(
            Q(grade_high__gte=grade_low) | Q(grade_high__isnull=True, grade_low__gte=grade_low)
        )
    return found.order_by("framework__title", "list_order", "code")


def grade_number(grade: str) -> int | None:
    """A section's grade as a number: "K" is 0, "4" or "Grade 4" is 4; None when it says none."""
    text = grade.strip().lower()
    if text in {"k", "kg", "kindergarten"}:
        return 0
    digits = re.search(r"\d+", text)
    return int(digits.group()) if digits else None


def fitting_courses(section: Section) -> list[Course]:
    """For a section without a course: its district's active courses on the section's subject whose grade
    band holds the section's grade (a blank subject or grade on either side matches)."""
    grade = grade_number(section.grade)
    courses = district_courses(section.school.district, active_only=True)
    if section.subject.strip():
        courses = courses.filter(Q(subject="") | Q(subject__iexact=section.subject.strip()))
    if grade is not None:
        courses = courses.filter(Q(grade_low__isnull=True) | Q(grade_low__lte=grade)).filter(
            Q(grade_high__isnull=True) | Q(grade_high__gte=grade)
        )
    return list(courses.order_by("name", "pk"))


def can_manage_courses(user: User, district: District) -> bool:
    """The district's admins (and platform admins) keep its courses."""
    if Role.PLATFORM_ADMIN in access.roles_of(user):
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN, district=district).exists()


def managed_districts(user: User) -> QuerySet[District]:
    if Role.PLATFORM_ADMIN in access.roles_of(user):
        return District.objects.all()
    return District.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN).values("district_id")
    )


def managed_district(viewer: User, district_id: int) -> District:
    """The district whose courses ``viewer`` keeps: not found otherwise (the same answer on purpose)."""
    district = District.objects.filter(pk=district_id).first()
    if district is None or not can_manage_courses(viewer, district):
        raise NotFound(_("No such district."))
    return district


def managed_course(viewer: User, course_id: int) -> Course:
    course = Course.objects.select_related("district").filter(pk=course_id).first()
    if course is None or not can_manage_courses(viewer, course.district):
        raise NotFound(_("No such course."))
    return course


def district_sections(district: District) -> QuerySet[Section]:
    return (
        Section.objects.filter(school__district=district)
        .select_related("school", "course")
        .order_by("school__name", "name", "pk")
    )


def section_in(district: District, section_id: int) -> Section:
    section = district_sections(district).filter(pk=section_id).first()
    if section is None:
        raise NotFound(_("No such section in the district."))
    return section


def course_in(district: District, course_id: int | None) -> Course | None:
    if course_id is None:
        return None
    course = district_courses(district).filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("No such course in the district."))
    return course
