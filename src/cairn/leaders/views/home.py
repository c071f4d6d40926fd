"""The leaders' homes: a district admin's schools × goals table with on/off track marks and at most five
actions for the week; a principal's school page with each goal's trajectory against its target line. Both
read stored figures (``cairn.leaders.track``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cairn.accounts.access import person, roles_of
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.leaders import access, track
from cairn.leaders.charts import trajectory_chart
from cairn.leaders.selectors import current_definition

LEADERS = (Role.DISTRICT_ADMIN, Role.SCHOOL_LEADER, Role.PLATFORM_ADMIN)


@role_required(*LEADERS)
def home(request: HttpRequest) -> HttpResponse:
    user = person(request)
    districts = access.managed_districts(user)
    if districts and Role.PLATFORM_ADMIN not in roles_of(user):
        return redirect("leaders-district", districts[0].pk)
    schools = access.led_schools(user)
    if len(schools) == 1:
        return redirect("leaders-school", schools[0].pk)
    return render(request, "leaders/choose.html", {"districts": districts, "schools": schools})


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def district_home(request: HttpRequest, district_id: int) -> HttpResponse:
    district = access.district_for_admin(person(request), district_id)
    today = timezone.localdate()
    schools = district.schools.filter(active=True).order_by("name")
    result = track.board(district, schools, today, weekly=True)
    context = {
        "district": district,
        "board": result,
        "actions": track.actions(result, today),
        "definition": current_definition(district),
        "today": today,
    }
    return render(request, "leaders/district_home.html", context)


def _weekly_rows(cell: track.Cell) -> list[tuple[str, str]]:
    """The chart's figures for its table, one a week back from the latest (a term of daily rows is too
    long to read)."""
    weekly = cell.points[::-1][::7][::-1]
    return [(day.isoformat(), track.fmt(value, cell.unit)) for day, value in weekly]


@role_required(*LEADERS)
def school_home(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_for_leader(person(request), school_id)
    today = timezone.localdate()
    result = track.board(school.district, [school], today)
    cells = result.rows[0][1] if result.rows else []
    goals = [(cell, trajectory_chart(cell), f"goal-{cell.goal.pk}", _weekly_rows(cell)) for cell in cells]
    context = {"school": school, "goals": goals, "actions": track.actions(result, today), "today": today}
    return render(request, "leaders/school_home.html", context)
