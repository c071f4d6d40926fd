"""The district's goals: the list, and one form to create or change a goal (measure, baseline, target,
dates, per-school targets)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.core.errors import Invalid, NotFound
from cairn.core.middleware import add_to_form
from cairn.leaders import access, measures, selectors, services
from cairn.leaders.forms import GoalForm
from cairn.leaders.models import Goal

ADMINS = (Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)


@role_required(*ADMINS)
def goal_list(request: HttpRequest, district_id: int) -> HttpResponse:
    district = access.district_for_admin(person(request), district_id)
    goals = [(g, measures.get(g.measure_key)) for g in selectors.goals_of(district)]
    return render(request, "leaders/goals.html", {"district": district, "goals": goals})


@role_required(*ADMINS)
def goal_form(request: HttpRequest, district_id: int, goal_id: int | None = None) -> HttpResponse:
    user = person(request)
    district = access.district_for_admin(user, district_id)
    goal = None
    if goal_id is not None:
        goal = Goal.objects.filter(district=district, pk=goal_id).first()
        if goal is None:
            raise NotFound("No such goal.")
    schools = list(district.schools.filter(active=True).order_by("name"))
    initial = GoalForm.initial_for(goal) if goal else {}
    data = request.POST if request.method == "POST" else None
    form = GoalForm(data, initial=initial, schools=schools, district_id=district.pk)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_goal(district=district, actor=user, goal=goal, **form.service_kwargs())
        except Invalid as exc:  # beside the field, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Saved “%(title)s”. Its figures appear after tonight's rollup.") % {"title": saved.title},
            )
            return redirect("leaders-goals", district.pk)
    context = {"district": district, "form": form, "goal": goal, "measures": measures.all_measures()}
    return render(request, "leaders/goal_form.html", context, status=400 if form.errors else 200)
