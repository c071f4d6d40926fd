"""Today: the class's few actions, and the one-click steps they post to (resolve alerts, assign challenges,
hide broken content). A step goes back where it was clicked (its form's ``next``), else to Today."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Section
from cairn.core import audit
from cairn.core.middleware import back_url
from cairn.insights import selectors
from cairn.insights.links import step_link
from cairn.insights.services import today_steps
from cairn.insights.today import today_actions
from cairn.insights.views.inputs import ints
from cairn.insights.views.pages import page_context, section_view


@section_view
def today(request: HttpRequest, section: Section) -> HttpResponse:
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    state = selectors.class_state(section)
    actions = [
        {"action": a, "step": step_link(a.step), "more": step_link(a.more) if a.more else None}
        for a in today_actions(state)
    ]
    context = page_context(request, section, "today", actions=actions, state=state)
    return render(request, "insights/today.html", context)


def section_home(request: HttpRequest, section_id: int) -> HttpResponse:
    return redirect("insights-today", section_id)


def _back_to_today(request: HttpRequest, section: Section) -> HttpResponse:
    return redirect(back_url(request, reverse("insights-today", args=[section.pk])))


@section_view
@require_POST
def alerts_resolve(request: HttpRequest, section: Section) -> HttpResponse:
    n = today_steps.resolve_alerts(person(request), section, ints(request, "alert"))
    messages.success(
        request, ngettext("%(n)d alert marked as seen to.", "%(n)d alerts marked as seen to.", n) % {"n": n}
    )
    return _back_to_today(request, section)


@section_view
@require_POST
def assign_challenges(request: HttpRequest, section: Section) -> HttpResponse:
    results = today_steps.assign_challenges(
        person(request),
        section,
        ints(request, "student"),
        request.POST.get("reason", "") or _("Ready for a challenge"),
    )
    assigned = [f"{o.student.display_name}: {o.competency.code}" for r in results for o in r.created]
    messages.success(request, _("Assigned — %(list)s.") % {"list": "; ".join(assigned)})
    return _back_to_today(request, section)


@section_view
@require_POST
def content_hide(request: HttpRequest, section: Section, content_id: int) -> HttpResponse:
    content = selectors.content(content_id)
    today_steps.hide_content(person(request), section, content)
    messages.success(
        request,
        _("“%(title)s” is hidden for %(section)s.") % {"title": content.title, "section": section.name},
    )
    return _back_to_today(request, section)
