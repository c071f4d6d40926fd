"""What a path covers: a course's competencies, a section's (its course with its teacher's changes) and a
student's (one scope per current course). Data without courses keeps working: a section with no course
takes its district's courses that fit its subject and grade, and with none of those, every competency
(the global set, ``Scope.ids is None``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cairn.accounts.models import Course, Enrolment, Section, User
from cairn.core.errors import NotFound
from cairn.curriculum import courses as course_reads
from cairn.learning.models import SectionCompetency


@dataclass(frozen=True)
class Scope:
    """The competencies a path covers: ``ids`` with their places (competency id -> rank, course order), or
    None for every competency with approved practice. ``course`` is None for the global set or a section
    whose scope came from several fitting courses."""

    course: Course | None
    ids: dict[int, int] | None
    name: str = ""

    @property
    def is_global(self) -> bool:
        return self.ids is None


GLOBAL = Scope(course=None, ids=None)


def course_scope(course: Course) -> Scope:
    return Scope(course=course, ids=course_reads.course_positions(course), name=course.name)


def merged(scopes: list[Scope]) -> Scope:
    """One scope over several (a section fitting two courses, a student's competencies over all courses)."""
    if not scopes:
        return GLOBAL
    if len(scopes) == 1:
        return scopes[0]
    if any(s.ids is None for s in scopes):
        return GLOBAL
    ids: dict[int, int] = {}
    for scope in scopes:
        offset = len(ids)
        for cid, rank in sorted((scope.ids or {}).items(), key=lambda kv: kv[1]):
            ids.setdefault(cid, offset + rank)
    return Scope(course=None, ids=ids, name=", ".join(s.name for s in scopes))


def adjustments(section: Section) -> dict[int, str]:
    """The section's teacher changes in force: competency id -> "add" or "remove" (the newest holds)."""
    found: dict[int, str] = {}
    for cid, action in SectionCompetency.objects.filter(section=section, active=True).values_list(
        "competency_id", "action"
    ):
        found.setdefault(cid, action)
    return found


def section_scope(section: Section) -> Scope:
    """The section's course (else its district's fitting courses, else every competency) with the
    competencies its teacher added or removed."""
    if section.course_id is not None and section.course is not None:
        base = course_scope(section.course)
    else:
        base = merged([course_scope(c) for c in course_reads.fitting_courses(section)])
    changes = adjustments(section)
    if not changes or base.ids is None:
        return base  # the global set already holds every competency; nothing to take away from it by hand
    ids = {cid: rank for cid, rank in base.ids.items() if changes.get(cid) != SectionCompetency.Action.REMOVE}
    end = max(base.ids.values(), default=-1) + 1
    for cid, action in changes.items():
        if action == SectionCompetency.Action.ADD and cid not in ids:
            ids[cid] = end
            end += 1
    return Scope(course=base.course, ids=ids, name=base.name)


def current_sections(student: User) -> list[Section]:
    return list(
        Section.objects.filter(
            pk__in=Enrolment.objects.current()
            .filter(user=student, kind=Enrolment.Kind.STUDENT)
            .values("section_id")
        )
        .select_related("course", "school__district")
        .order_by("course__name", "name", "pk")
    )


def student_scopes(student: User) -> list[Scope]:
    """One scope per current course (sections of the same course merge; a section without a course is a
    scope of its own); the global set when the student is in no section."""
    by_course: dict[int | None, list[Scope]] = defaultdict(list)
    for section in current_sections(student):
        scope = section_scope(section)
        by_course[scope.course.pk if scope.course else None].append(scope)
    scopes = []
    for key, found in by_course.items():
        one = merged(found)
        course = found[0].course if key is not None else None
        scopes.append(Scope(course=course, ids=one.ids, name=one.name))
    return scopes or [GLOBAL]


def student_scope(student: User, *, course: Course | None = None) -> Scope:
    """The student's scope in ``course`` (NotFound-free: a course they are not in gives that course's own
    scope), or over all their courses when ``course`` is None."""
    scopes = student_scopes(student)
    if course is None:
        return merged(scopes)
    return next((s for s in scopes if s.course == course), None) or course_scope(course)


def scope_by_course_id(student: User, course_id: int | None) -> Scope:
    """The student's scope in the course ``course_id`` (one of their current courses: ``NotFound``
    otherwise), or over all their courses when None. The path API's ``course`` parameter."""
    if course_id is None:
        return merged(student_scopes(student))
    found = next((s for s in student_scopes(student) if s.course and s.course.pk == course_id), None)
    if found is None:
        raise NotFound(_("No such course for this student."))
    return found
