"""The grade-book exports: the human CSV (rows from cairn.insights.gradebook, cells made safe by
cairn.core.spreadsheet) and the OneRoster 1.2 gradebook package for a SIS, per section and per district
(built by cairn.insights.oneroster_gradebook). These views only stream them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cairn.accounts.access import person
from cairn.accounts.models import District, Section
from cairn.core import audit, spreadsheet
from cairn.core.throttles import export_limited
from cairn.insights import gradebook, oneroster_gradebook, selectors
from cairn.insights.views.pages import section_view
from cairn.learning.selectors import policy, proficiency


@export_limited
@section_view
def export_csv(request: HttpRequest, section: Section) -> HttpResponse:
    """Mastery by standard for the grade book: one row per student and a column per standard with its level
    on the district's proficiency scale, or
    (``?layout=long``) one row per student and standard with status, mastery and dates."""
    layout = request.GET.get("layout", "wide")
    if layout not in gradebook.LAYOUTS:
        return HttpResponseBadRequest("layout must be wide or long", content_type="text/plain")
    state = selectors.class_state(section)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = state.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="{section.code}-mastery-{layout}-{stamp}.csv"'
    spreadsheet.write_rows(response, gradebook.rows(state, layout, proficiency.for_section(section)))
    audit.record(
        audit.AuditAction.EXPORTED,
        actor=request.user,
        section=section,
        detail={"what": "gradebook", "layout": layout},
        request=request,
    )
    return response


@export_limited
@section_view
def oneroster_section(request: HttpRequest, section: Section) -> HttpResponse:
    """The section's grades as a OneRoster 1.2 gradebook package (a zip of CSVs) for the SIS."""
    package = oneroster_gradebook.for_sections([section])
    audit.record(
        audit.AuditAction.EXPORTED,
        actor=request.user,
        section=section,
        detail={"what": "oneroster_gradebook", "results": len(package.rows["results.csv"])},
        request=request,
    )
    return _zip_response(package, f"{section.code}-oneroster-gradebook")


@export_limited
@login_required
def oneroster_district(request: HttpRequest, district_id: int) -> HttpResponse:
    """Every active section of the district in one OneRoster 1.2 gradebook package (its admins only)."""
    district = get_object_or_404(District, pk=district_id)
    if not policy.can_manage(person(request), district):
        raise Http404("No such district.")
    package = oneroster_gradebook.for_district(district)
    audit.record(
        audit.AuditAction.EXPORTED,
        actor=request.user,
        district=district,
        detail={"what": "oneroster_gradebook", "results": len(package.rows["results.csv"])},
        request=request,
    )
    return _zip_response(package, f"{district.slug}-oneroster-gradebook")


def _zip_response(package: oneroster_gradebook.Package, name: str) -> HttpResponse:
    response = HttpResponse(package.to_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.zip"'
    # Rows left out because an id was unsafe (see cairn.insights.oneroster_gradebook): the count, not the ids.
    response["X-Cairn-Skipped-Rows"] = str(package.skipped)
    return response
