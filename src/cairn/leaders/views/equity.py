"""Equity page: a goal's measure by student group over time (stored figures, with a chart of each group's
line and the gap), and an outside test's results by group window by window; small groups suppressed.
Leaders only: a district admin their district (or one school), a principal their school; never teachers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cairn.accounts.access import person
from cairn.accounts.models import District, Role, School
from cairn.accounts.views import role_required
from cairn.insights.charts import LineChart, line_chart
from cairn.leaders import access, equity


def gap_chart(found: equity.GapOverTime) -> LineChart:
    """Each shown group's line and the gap between the highest and the lowest, on one scale."""
    start = found.gaps[0][0]
    series = {
        line.group: [(float((d - start).days), v) for d, v, _n in line.points if v is not None]
        for line in found.lines
    }
    series[_("Gap")] = [(float((d - start).days), g) for d, g in found.gaps if g is not None]
    ys = [v for points in series.values() for _x, v in points] or [0.0, 1.0]
    lo, hi = min([0.0, *ys]), max(ys)
    pad = (hi - lo) * 0.1 or 1.0
    end = found.gaps[-1][0]
    ticks = [(0.0, date_format(start, "M Y")), (float((end - start).days), date_format(end, "M Y"))]
    return line_chart(
        series, x_ticks=ticks, y_range=(lo, hi + pad), y_format="{:.0f}" if hi >= 4 else "{:.1f}"
    )


def _page(request: HttpRequest, district: District, school: School | None) -> HttpResponse:
    tests = equity.assessments_of(district)
    chosen = request.GET.get("assessment", "")
    goals = equity.breakable_goals(district)
    goal = next((g for g in goals if str(g.pk) == request.GET.get("goal")), goals[0] if goals else None)
    over_time = equity.gaps(district, school, goal) if goal is not None else []
    context = {
        "district": district,
        "school": school,
        "tests": tests,
        "chosen": chosen,
        "rows": equity.breakdown(district, school, chosen) if chosen in tests else [],
        "min_group": equity.MIN_GROUP,
        "goals": goals,
        "goal": goal,
        "over_time": [(f, gap_chart(f), f"gap-{f.dimension}") for f in over_time],
        "unbroken": equity.unbroken_measures(district),
    }
    return render(request, "leaders/equity.html", context)


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def district_equity(request: HttpRequest, district_id: int) -> HttpResponse:
    return _page(request, access.district_for_admin(person(request), district_id), None)


@role_required(Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def school_equity(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_for_leader(person(request), school_id)
    return _page(request, school.district, school)
