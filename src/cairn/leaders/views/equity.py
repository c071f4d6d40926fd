"""Equity page: an outside test's results by group, window by window, small groups suppressed. Leaders only:
a district admin their district (or one school), a principal their school; never teachers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cairn.accounts.access import person
from cairn.accounts.models import District, Role, School
from cairn.accounts.views import role_required
from cairn.leaders import access, equity


def _page(request: HttpRequest, district: District, school: School | None) -> HttpResponse:
    tests = equity.assessments_of(district)
    chosen = request.GET.get("assessment", "")
    rows = equity.breakdown(district, school, chosen) if chosen in tests else []
    context = {
        "district": district,
        "school": school,
        "tests": tests,
        "chosen": chosen,
        "rows": rows,
        "min_group": equity.MIN_GROUP,
    }
    return render(request, "leaders/equity.html", context)


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def district_equity(request: HttpRequest, district_id: int) -> HttpResponse:
    return _page(request, access.district_for_admin(person(request), district_id), None)


@role_required(Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def school_equity(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_for_leader(person(request), school_id)
    return _page(request, school.district, school)
