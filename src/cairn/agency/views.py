"""A student's goal and reflection pages (under /learn/, beside their path). Refusals are CairnErrors that
``cairn.core.middleware`` turns into a flash and a redirect back to the form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.agency import selectors, services
from cairn.agency.models import Reflection
from cairn.core.errors import Invalid


@role_required(Role.STUDENT)
def goals(request: HttpRequest) -> HttpResponse:
    student = person(request)
    if request.method == "POST":
        _, advice = services.set_goal(
            student, _whole(request, "competencies"), _whole(request, "minutes"), request.POST.get("note", "")
        )
        messages.success(request, advice or "Goal saved. You can see your pace on your path.")
        return redirect("learning-path")
    context = {"pace": selectors.pace(student), "suggestion": selectors.suggest_goal(student)}
    return render(request, "agency/goals.html", context)


def _whole(request: HttpRequest, name: str) -> int:
    """A whole number from the form, or Invalid naming the field: the form is parsed here, at the boundary."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError as exc:
        raise Invalid("Enter whole numbers for both.", field=name) from exc


@role_required(Role.STUDENT)
def reflect(request: HttpRequest) -> HttpResponse:
    student = person(request)
    if request.method == "POST":
        services.reflect(
            student,
            request.POST.get("feeling", ""),
            request.POST.get("learned", ""),
            request.POST.get("next_step", ""),
            request.POST.get("ask_teacher", ""),
        )
        messages.success(request, "Thanks. Your teacher will see your reflection.")
        return redirect("learning-path")
    return render(request, "agency/reflect.html", {"feelings": Reflection.Feeling.choices})
