"""Who may see the leaders' pages: a district admin their district and its schools, a school leader their
school; a platform admin everything. Anything else is "not found" (the same answer on purpose)."""

from __future__ import annotations

from cairn.accounts.access import roles_of, visible_schools
from cairn.accounts.models import District, Role, RoleAssignment, School, User
from cairn.core.errors import NotFound


def managed_districts(user: User) -> list[District]:
    if Role.PLATFORM_ADMIN in roles_of(user):
        return list(District.objects.all())
    ids = RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN).values("district_id")
    return list(District.objects.filter(pk__in=ids))


def district_for_admin(user: User, district_id: int) -> District:
    for district in managed_districts(user):
        if district.pk == district_id:
            return district
    raise NotFound("No such district.")


def school_for_leader(user: User, school_id: int) -> School:
    school = visible_schools(user).select_related("district").filter(pk=school_id).first()
    if school is None:
        raise NotFound("No such school.")
    return school


def led_schools(user: User) -> list[School]:
    return list(visible_schools(user).select_related("district").order_by("name"))


def district_of_staff(user: User) -> District | None:
    """The district whose definition a teacher or leader reads: that of their first school or district."""
    row = (
        RoleAssignment.objects.filter(user=user)
        .exclude(role__in=[Role.STUDENT, Role.GUARDIAN])
        .select_related("school__district", "district")
        .first()
    )
    if row is None:
        return None
    return row.district or (row.school.district if row.school else None)
