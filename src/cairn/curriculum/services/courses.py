"""Courses: a district's named set of competencies in its own order (picked from frameworks by subject and
grade band, or by hand), and which course a section studies. ``actor`` None is the system (the demo, a
roster import); a person must be one of the district's admins."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import Course, District, Section, User
from cairn.core.errors import Conflict, Forbidden, Invalid
from cairn.curriculum import courses as reads
from cairn.curriculum.models import CourseCompetency

MAX_GRADE = 13


def _require_admin(actor: User | None, district: District) -> None:
    if actor is not None and not reads.can_manage_courses(actor, district):
        raise Forbidden(_("Only the district's admins change its courses."))


def _clean(name: str, code: str, grade_low: int | None, grade_high: int | None) -> tuple[str, str]:
    name, code = name.strip(), code.strip()
    if not name:
        raise Invalid(_("A course needs a name."), field="name")
    if not code or len(code) > 60:
        raise Invalid(_("A course needs a short code (up to 60 characters), e.g. MATH-4."), field="code")
    for field, grade in (("grade_low", grade_low), ("grade_high", grade_high)):
        if grade is not None and not 0 <= grade <= MAX_GRADE:
            raise Invalid(f"Grades go from K (0) to {MAX_GRADE}.", field=field)
    if grade_low is not None and grade_high is not None and grade_high < grade_low:
        raise Invalid(_("The highest grade is below the lowest."), field="grade_high")
    return name[:200], code


@transaction.atomic
def create_course(
    *,
    actor: User | None,
    district: District,
    name: str,
    code: str,
    subject: str = "",
    grade_low: int | None = None,
    grade_high: int | None = None,
) -> Course:
    _require_admin(actor, district)
    name, code = _clean(name, code, grade_low, grade_high)
    if Course.objects.filter(district=district, code__iexact=code).exists():
        raise Invalid(f"The district has a course {code} already.", field="code")
    try:
        with transaction.atomic():
            return Course.objects.create(
                district=district,
                name=name,
                code=code,
                subject=subject.strip()[:80],
                grade_low=grade_low,
                grade_high=grade_high,
            )
    except IntegrityError as exc:  # the same code saved at the same moment
        raise Conflict(f"The district has a course {code} already.", field="code") from exc


@transaction.atomic
def update_course(
    *,
    actor: User | None,
    course: Course,
    name: str,
    code: str,
    subject: str,
    grade_low: int | None,
    grade_high: int | None,
    active: bool = True,
) -> Course:
    _require_admin(actor, course.district)
    name, code = _clean(name, code, grade_low, grade_high)
    if Course.objects.filter(district=course.district, code__iexact=code).exclude(pk=course.pk).exists():
        raise Invalid(f"The district has a course {code} already.", field="code")
    course.name, course.code, course.subject = name, code, subject.strip()[:80]
    course.grade_low, course.grade_high, course.active = grade_low, grade_high, active
    course.save()
    return course


@transaction.atomic
def set_course_competencies(*, actor: User | None, course: Course, competency_ids: Sequence[int]) -> int:
    """The course's competencies become ``competency_ids``, in that order (repeats count once). Only
    standards of public frameworks or the district's own may be picked. Returns how many it holds."""
    _require_admin(actor, course.district)
    wanted = list(dict.fromkeys(int(i) for i in competency_ids))
    usable = set(
        reads.usable_competencies(course.district).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    unknown = [i for i in wanted if i not in usable]
    if unknown:
        raise Invalid(
            f"Not standards this district can use: {', '.join(str(i) for i in unknown[:10])}.",
            field="competencies",
        )
    CourseCompetency.objects.filter(course=course).delete()
    CourseCompetency.objects.bulk_create(
        CourseCompetency(course=course, competency_id=cid, position=i) for i, cid in enumerate(wanted)
    )
    return len(wanted)


def fill_from_band(*, actor: User | None, course: Course, subject: str | None = None) -> int:
    """The course's competencies become the standards of its subject (or ``subject``) and grade band, in
    the frameworks' order. Returns how many it holds."""
    found = reads.band_competencies(
        district=course.district,
        subject=course.subject if subject is None else subject,
        grade_low=course.grade_low,
        grade_high=course.grade_high,
    )
    return set_course_competencies(
        actor=actor, course=course, competency_ids=list(found.values_list("pk", flat=True))
    )


@transaction.atomic
def move_competency(*, actor: User | None, course: Course, competency_id: int, by: int) -> None:
    """Move one competency ``by`` places in the course's order (negative: earlier)."""
    _require_admin(actor, course.district)
    ids = list(reads.course_positions(course))
    if competency_id not in ids:
        raise Invalid(_("That competency is not in the course."), field="competency")
    at = ids.index(competency_id)
    ids.insert(max(0, min(len(ids) - 1, at + by)), ids.pop(at))
    for position, cid in enumerate(ids):
        CourseCompetency.objects.filter(course=course, competency_id=cid).update(position=position)


@transaction.atomic
def set_section_course(*, actor: User | None, section: Section, course: Course | None) -> Section:
    """The section studies ``course`` (None: none, its path falls back to the district's fitting courses)."""
    district = section.school.district
    _require_admin(actor, district)
    if course is not None and course.district_id != district.pk:
        raise Invalid(_("The course belongs to another district."), field="course")
    section.course = course
    section.save(update_fields=["course"])
    return section
