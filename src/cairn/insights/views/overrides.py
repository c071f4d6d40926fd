"""Overrides from the teacher pages (for students, a saved group or the whole class) and their log. The form
says where to go back to (``next``); the log is the fallback."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Section
from cairn.core.middleware import back_url
from cairn.insights import selectors
from cairn.insights.services import overrides
from cairn.insights.views.inputs import int_or_none, ints
from cairn.insights.views.pages import page_context, section_view
from cairn.learning.models import PathOverride
from cairn.learning.selectors.overrides import history


@section_view
@require_POST
def override(request: HttpRequest, section: Section) -> HttpResponse:
    group_id = int_or_none(request, "group")
    competency_id = int_or_none(request, "competency")
    result = overrides.override(
        person(request),
        section,
        competency_id=competency_id,
        action=request.POST.get("action", ""),
        reason=request.POST.get("reason", ""),
        student_ids=ints(request, "student"),
        group_id=group_id,
        whole_section=request.POST.get("scope") == "section",
    )
    code = selectors.competency(competency_id).code if competency_id is not None else ""
    action = PathOverride.Action(request.POST["action"]).label
    messages.success(
        request,
        _("%(action)s %(code)s: %(summary)s.") % {"action": action, "code": code, "summary": result.summary},
    )
    return redirect(back_url(request, reverse("insights-overrides", args=[section.pk])))


@section_view
def override_log(request: HttpRequest, section: Section) -> HttpResponse:
    entries = history(selectors.section_students(section), limit=300)
    return render(
        request, "insights/overrides.html", page_context(request, section, "overrides", entries=entries)
    )
