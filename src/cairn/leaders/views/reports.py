"""The district and school reports as a download: CSV (one row per figure) or a tagged PDF with the charts.
Who may download: the same people as the homes (a district admin their district and its schools, a principal
their school). Rendered in the request (about a second or two for the demo district)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from cairn.accounts.access import person
from cairn.accounts.models import District, Role, School
from cairn.accounts.views import role_required
from cairn.core import spreadsheet
from cairn.leaders import access, reports
from cairn.leaders.charts import interval_chart, trajectory_chart
from cairn.leaders.views.equity import gap_chart
from cairn.leaders.views.home import LEADERS

FORMATS = ("pdf", "csv")


def _css() -> str:
    path = finders.find("leaders/report.css")
    with open(str(path), encoding="utf-8") as css:
        return css.read()


def _html(request: HttpRequest, report: reports.Report) -> str:
    district_cells = report.board.district_row if report.school is None else []
    school_cells = report.board.rows[0][1] if report.school is not None and report.board.rows else []
    context = {
        "report": report,
        "css": _css(),
        "goal_charts": [
            (cell, trajectory_chart(cell), f"goal-{cell.goal.pk}") for cell in district_cells or school_cells
        ],
        "effect_chart": interval_chart([report.evidence.treatment, report.evidence.control])
        if report.evidence
        else None,
        "gap_charts": [(f, gap_chart(f), f"gap-{f.goal.pk}-{f.dimension}") for f in report.gaps],
        "min_group": reports.equity.MIN_GROUP,
    }
    return render_to_string("leaders/report.html", context, request=request)


def _respond(request: HttpRequest, district: District, school: School | None, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    today = timezone.localdate()
    report = reports.build(district, school, today)
    name = f"{slugify(school.name if school else district.name)}-report-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        spreadsheet.write_rows(response, reports.csv_rows(report))
    else:
        pdf = reports.pdf_from_html(_html(request, report), request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def district_report(request: HttpRequest, district_id: int, fmt: str) -> HttpResponse:
    return _respond(request, access.district_for_admin(person(request), district_id), None, fmt)


@role_required(*LEADERS)
def school_report(request: HttpRequest, school_id: int, fmt: str) -> HttpResponse:
    school = access.school_for_leader(person(request), school_id)
    return _respond(request, school.district, school, fmt)
