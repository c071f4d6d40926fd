"""A student's goal and reflection pages (under /learn/, beside their path). Refusals are CairnErrors that
``cairn.core.middleware`` turns into a flash and a redirect back to the form; the goal form shows its refusal
beside the field instead, with what the student typed kept (``add_to_form``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.agency import selectors, services, voice
from cairn.agency.forms import GoalForm, ReflectionForm
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form


@role_required(Role.STUDENT)
def goals(request: HttpRequest) -> HttpResponse:
    student = person(request)
    pace, suggestion = selectors.pace(student), selectors.suggest_goal(student)
    initial = {
        "competencies": pace.goal.competencies if pace.goal else suggestion.competencies,
        "minutes": pace.goal.minutes if pace.goal else suggestion.minutes,
        "note": pace.goal.note if pace.goal else "",
    }
    form = GoalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, advice = services.set_goal(student, data["competencies"], data["minutes"], data["note"])
        except Invalid as exc:  # beside the field, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(request, advice or gettext("Goal saved. You can see your pace on your path."))
            return redirect("learning-path")
    context = {"pace": pace, "suggestion": suggestion, "form": form}
    return render(request, "agency/goals.html", context, status=400 if form.errors else 200)


@role_required(Role.STUDENT)
def reflect(request: HttpRequest) -> HttpResponse:
    student = person(request)
    form = ReflectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reflection = services.reflect(
                student, data["feeling"], data["learned"], data["next_step"], data["ask_teacher"]
            )
        except Invalid as exc:  # beside the field, with what the student wrote kept
            add_to_form(form, exc)
        else:
            heard = voice.heard(reflection)  # stuck, frustrated or asking: it waits on the teacher's Today
            messages.success(
                request,
                gettext("Thanks. Your teacher will see it on their Today and can reply on your home page.")
                if heard
                else gettext("Thanks. Your teacher will see your reflection."),
            )
            return redirect("learning-path")
    return render(request, "agency/reflect.html", {"form": form}, status=400 if form.errors else 200)
