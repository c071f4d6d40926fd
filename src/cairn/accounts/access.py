"""Who may see whom: the one place where Cairn's access rules live.

Every view and API that shows a student, a section or a school asks this module. Rules (a person holding
several roles gets the union):

- a student sees only themselves;
- a guardian sees only their linked children;
- a teacher sees the students enrolled now in the sections they teach now;
- a school leader sees the students and sections of their school;
- a district admin sees the students and sections of every school in their district;
- a platform admin sees everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cairn.accounts.models import Enrolment, GuardianLink, Role, RoleAssignment, School, Section, User
from cairn.core.errors import Forbidden


def person(request: HttpRequest) -> User:
    """The signed-in person of a request that login_required or API auth has already checked."""
    user = request.user
    if not isinstance(user, User):
        raise Forbidden(_("Log in first."))
    return user


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached: set[str] | None = getattr(user, "_cairn_roles", None)
    if cached is None:
        cached = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        if GuardianLink.objects.filter(guardian=user).exists():
            cached.add(Role.GUARDIAN)
        user._cairn_roles = cached  # type: ignore[attr-defined]
    return cached


def _scoped_school_ids(user: User, role: Role) -> QuerySet[RoleAssignment, Any]:
    return RoleAssignment.objects.filter(user=user, role=role).values("school_id")


def _led_school_q(user: User) -> Q:
    """Schools a school leader or district admin oversees."""
    return Q(id__in=_scoped_school_ids(user, Role.SCHOOL_LEADER)) | Q(
        district_id__in=RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN).values(
            "district_id"
        )
    )


def visible_schools(user: User) -> QuerySet[School]:
    roles = roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return School.objects.all()
    if roles & {Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN}:
        return School.objects.filter(_led_school_q(user))
    return School.objects.none()


def visible_sections(user: User) -> QuerySet[Section]:
    """Sections whose rosters the person may see."""
    roles = roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return Section.objects.all()
    q = Q(pk__in=[])
    if roles & {Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN}:
        q |= Q(school__in=School.objects.filter(_led_school_q(user)))
    if Role.TEACHER in roles:
        q |= Q(
            pk__in=Enrolment.objects.current()
            .filter(user=user, kind=Enrolment.Kind.TEACHER)
            .values("section_id")
        )
    return Section.objects.filter(q).distinct()


def visible_students(user: User) -> QuerySet[User]:
    """Students whose data the person may see."""
    roles = roles_of(user)
    students = User.objects.filter(role_assignments__role=Role.STUDENT).distinct()
    if Role.PLATFORM_ADMIN in roles:
        return students
    q = Q(pk__in=[])
    if Role.STUDENT in roles:
        q |= Q(pk=user.pk)
    if Role.GUARDIAN in roles:
        q |= Q(pk__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
    if Role.TEACHER in roles:
        taught_now = Enrolment.objects.current().filter(user=user, kind=Enrolment.Kind.TEACHER)
        q |= Q(
            pk__in=Enrolment.objects.current()
            .filter(kind=Enrolment.Kind.STUDENT, section_id__in=taught_now.values("section_id"))
            .values("user_id")
        )
    if roles & {Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN}:
        led = School.objects.filter(_led_school_q(user))
        q |= Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=Role.STUDENT, school__in=led)))
    return students.filter(q)


def can_view_student(viewer: User, student: User) -> bool:
    return visible_students(viewer).filter(pk=student.pk).exists()


def can_view_section(viewer: User, section: Section) -> bool:
    return visible_sections(viewer).filter(pk=section.pk).exists()


def teaches_section(user: User, section: Section) -> bool:
    """Whether ``user`` teaches ``section`` now (a teacher enrolled in it today)."""
    return (
        Role.TEACHER in roles_of(user)
        and Enrolment.objects.current()
        .filter(user=user, section=section, kind=Enrolment.Kind.TEACHER)
        .exists()
    )


def students_in_section(section: Section) -> QuerySet[User]:
    """The section's students enrolled today (callers check can_view_section first)."""
    return User.objects.filter(
        pk__in=Enrolment.objects.current()
        .filter(section=section, kind=Enrolment.Kind.STUDENT)
        .values("user_id")
    )


def teachers_of_section(section: Section) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Enrolment.objects.current()
        .filter(section=section, kind=Enrolment.Kind.TEACHER)
        .values("user_id")
    )


# Home page of each role, in the order a person holding several lands on (the widest view first).
HOME_BY_ROLE: list[tuple[str, str]] = [
    (Role.PLATFORM_ADMIN, "platform-home"),
    (Role.DISTRICT_ADMIN, "district-home"),
    (Role.SCHOOL_LEADER, "school-home"),
    (Role.TEACHER, "teacher-home"),
    (Role.GUARDIAN, "guardian-home"),
    (Role.STUDENT, "student-home"),
]


def home_url_names(user: User) -> list[tuple[str, str]]:
    """(role, url name) of every home this person has, widest first."""
    roles = roles_of(user)
    return [(role, name) for role, name in HOME_BY_ROLE if role in roles]


def widest_role(user: User) -> str:
    """The widest role a person holds (the one their home page is for): how the audit trail names the role
    they acted in."""
    homes = home_url_names(user) if isinstance(user, User) else []
    return str(homes[0][0]) if homes else ""
