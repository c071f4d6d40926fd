"""The grade-book export: the rows come from cairn.insights.gradebook; this view only streams them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from cairn.accounts.models import Section
from cairn.core import audit, spreadsheet
from cairn.core.throttles import export_limited
from cairn.insights import gradebook, selectors
from cairn.insights.views.pages import section_view


@export_limited
@section_view
def export_csv(request: HttpRequest, section: Section) -> HttpResponse:
    """Mastery by standard for the grade book: one row per student and a 0–4 column per standard, or
    (``?layout=long``) one row per student and standard with status, mastery and dates."""
    layout = request.GET.get("layout", "wide")
    if layout not in gradebook.LAYOUTS:
        return HttpResponseBadRequest("layout must be wide or long", content_type="text/plain")
    state = selectors.class_state(section)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = state.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="{section.code}-mastery-{layout}-{stamp}.csv"'
    spreadsheet.write_rows(response, gradebook.rows(state, layout))
    audit.record(
        audit.AuditAction.EXPORTED,
        actor=request.user,
        section=section,
        detail={"what": "gradebook", "layout": layout},
        request=request,
    )
    return response
