"""Diagnostic pages: a student takes a diagnostic (htmx swaps each next question in; without JavaScript the
form posts and redirects); staff read placements and growth of the sections they may see. Thin: the test
lives in services/sittings.py, reads in selectors.py, who-sees-what in cairn.accounts.access. Refusals
are rendered by cairn.core.middleware, except an answer's, which shows inside the question it refuses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cairn.accounts import access
from cairn.accounts.models import Role, Section
from cairn.accounts.views import role_required
from cairn.core.errors import CairnError

from . import selectors
from .models import Administration, Diagnostic
from .services import sittings
from .windows import is_school_year, school_year_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Students: what is due and past results. Staff: the sections whose placements they may read."""
    user = access.person(request)
    roles = access.roles_of(user)
    context: dict[str, object] = {"is_student": Role.STUDENT in roles}
    if Role.STUDENT in roles:
        context["due"] = selectors.due(user)
        context["sittings"] = selectors.sittings_of(user).filter(status=Administration.Status.FINISHED)
    if roles - {Role.STUDENT, Role.GUARDIAN}:
        context["sections"] = selectors.visible_sections_for_placements(user)
    return render(request, "assessments/home.html", context)


@role_required(Role.STUDENT)
@require_POST
def start(request: HttpRequest, diagnostic_id: int) -> HttpResponse:
    """Start or resume a sitting. A refusal goes back to the form's ``next`` (the diagnostics home) with
    the reason, through the error middleware."""
    diagnostic = get_object_or_404(Diagnostic, pk=diagnostic_id, active=True)
    sitting = sittings.start(access.person(request), diagnostic)
    return redirect("diagnostic-take", sitting.pk)


def _question_context(sitting: Administration) -> dict[str, object] | None:
    response = sittings.current_response(sitting)
    if response is None:
        return None
    return {"sitting": sitting, "question": sittings.question_for(response)}


@role_required(Role.STUDENT)
def take(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """The open question of the sitting: the same one after a reload or a closed tab."""
    sitting = sittings.sitting_of(access.person(request), sitting_id)
    context = _question_context(sitting)
    if context is None:
        return redirect("diagnostic-result", sitting.pk)
    return render(request, "assessments/take.html", context)


@role_required(Role.STUDENT)
@require_POST
def answer(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """Take the answer and show the next question, or the result at the end.

    A refused answer is shown inside the question it refuses, with the open question still there to
    answer, rather than by the error middleware: htmx swaps only 2xx responses, so the middleware's
    fragment (sent with the error's status) would never reach the page."""
    sitting = sittings.sitting_of(access.person(request), sitting_id)
    htmx = request.headers.get("HX-Request") == "true"
    error: CairnError | None = None
    try:
        sitting = sittings.answer(
            access.person(request), sitting.pk, request.POST.get("token", ""), request.POST.get("answer", "")
        )
    except CairnError as refused:
        error = refused
    if sitting.status == Administration.Status.FINISHED:
        url = reverse("diagnostic-result", args=[sitting.pk])
        if htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if not htmx and error is None:
        return redirect("diagnostic-take", sitting.pk)  # a refresh then reloads, never re-posts
    context = _question_context(sitting)
    if context is None:
        return redirect("diagnostic-result", sitting.pk)
    context["error"] = error.message if error else ""
    if htmx:  # htmx swaps only 2xx answers: a refusal comes back inside the question, as an alert
        return render(request, "assessments/_question.html", context)
    return render(request, "assessments/take.html", context, status=error.status if error else 200)


@login_required
def result(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """The student's own result, or a student's result for staff who may see the student."""
    viewer = access.person(request)
    sitting = get_object_or_404(Administration.objects.select_related("diagnostic", "student"), pk=sitting_id)
    if not access.can_view_student(viewer, sitting.student):
        raise Http404("No such diagnostic.")
    if sitting.status != Administration.Status.FINISHED:
        if sitting.student_id == viewer.pk:
            return redirect("diagnostic-take", sitting.pk)
        raise Http404("This diagnostic is not finished yet.")
    context = {"result": selectors.result_of(sitting), "own": sitting.student_id == viewer.pk}
    return render(request, "assessments/result.html", context)


@login_required
def section(request: HttpRequest, section_id: int) -> HttpResponse:
    """A section's placements and this year's growth, for people who may see the section."""
    found = get_object_or_404(Section.objects.select_related("school"), pk=section_id)
    if not access.can_view_section(access.person(request), found):
        raise Http404("No such section.")
    year = request.GET.get("year", "")
    if not is_school_year(year):
        year = school_year_of(timezone.localdate())
    rows = selectors.section_placements(found, school_year=year)
    context = {
        "section": found,
        "rows": rows,
        "growth": selectors.section_growth(rows, year),
    }
    return render(request, "assessments/section.html", context)
