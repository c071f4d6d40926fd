"""People, schools and sections in the JSON API. Every endpoint filters through cairn.accounts.access."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from cairn.accounts import access, selectors
from cairn.accounts.models import School, Section, User
from cairn.core import audit
from cairn.core.pagination import Pagination

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    username: str
    name: str
    grade: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name


class MeOut(PersonOut):
    roles: list[str]

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(access.roles_of(obj))


class SchoolOut(Schema):
    id: int
    name: str
    code: str
    district: str

    @staticmethod
    def resolve_district(obj: School) -> str:
        return obj.district.name


class SectionOut(Schema):
    id: int
    name: str
    code: str
    grade: str
    subject: str
    school_id: int


class SectionDetailOut(SectionOut):
    teachers: list[PersonOut]
    students: list[PersonOut]

    @staticmethod
    def resolve_teachers(obj: Section) -> list[User]:
        return list(access.teachers_of_section(obj))

    @staticmethod
    def resolve_students(obj: Section) -> list[User]:
        return list(access.students_in_section(obj))


class StudentDetailOut(PersonOut):
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj: User) -> list[Section]:
        return list(selectors.student_sections(obj))


@router.get("/me", response=MeOut, summary="The signed-in person and their roles")
def me(request: HttpRequest) -> User:
    return access.person(request)


@router.get("/schools", response=list[SchoolOut], summary="Schools the caller oversees")
def list_schools(request: HttpRequest) -> list[School]:
    return list(access.visible_schools(access.person(request)).select_related("district"))


@router.get("/sections", response=list[SectionOut], summary="Sections whose rosters the caller may see")
def list_sections(request: HttpRequest) -> list[Section]:
    return list(access.visible_sections(access.person(request)).order_by("pk"))


@router.get("/sections/{section_id}", response=SectionDetailOut, summary="A section with its current roster")
def get_section(request: HttpRequest, section_id: int) -> Section:
    section = get_object_or_404(Section, pk=section_id)
    if not access.can_view_section(access.person(request), section):
        raise Http404(_("No such section."))
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    return section


@router.get("/students", response=list[PersonOut], summary="Students the caller may see")
@paginate(Pagination)
def list_students(request: HttpRequest) -> list[User]:
    students = access.visible_students(access.person(request))
    return students.order_by("last_name", "first_name", "pk")  # type: ignore[return-value]


@router.get("/students/{student_id}", response=StudentDetailOut, summary="One student the caller may see")
def get_student(request: HttpRequest, student_id: int) -> User:
    student = get_object_or_404(User, pk=student_id)
    if not access.can_view_student(access.person(request), student):
        raise Http404(_("No such student."))
    audit.record(audit.AuditAction.VIEWED_STUDENT, actor=request.user, student=student, request=request)
    return student
