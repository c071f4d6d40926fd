"""Tiered tasks: one task at three levels, each student on the level their mastery says (or the teacher's
choice)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cairn.accounts.access import person
from cairn.accounts.models import Section
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.insights import access, lesson_plans
from cairn.insights.forms import TieredTaskForm
from cairn.insights.models import Tier, TieredAssignment, TieredTask
from cairn.insights.services.tiered import create_tiered_task, move_to_tier, retier
from cairn.insights.views.inputs import int_or_none
from cairn.insights.views.pages import page_context, section_view
from cairn.learning.selectors.path import for_section


@section_view
def tiered(request: HttpRequest, section: Section) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = TieredTaskForm(posted, competencies=for_section(section))
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            task = create_tiered_task(
                person(request),
                section,
                competency_id=int(data["competency"]),
                title=data["title"],
                support=data["support"],
                core=data["core"],
                extend=data["extend"],
            )
        except Invalid as exc:  # beside the field, with what the teacher typed kept
            add_to_form(form, exc)
        else:
            return redirect("insights-tiered-task", task.pk)
    tasks = lesson_plans.tiered_tasks(section)
    context = page_context(request, section, "tiered", tasks=tasks, form=form)
    return render(request, "insights/tiered.html", context, status=400 if form.errors else 200)


@login_required
def tiered_task(request: HttpRequest, task_id: int) -> HttpResponse:
    task = lesson_plans.tiered_task(task_id)
    section = access.section_for(person(request), task.section_id)
    if request.method == "POST":
        if request.POST.get("command") == "retier":
            retier(person(request), task)
            messages.success(request, _("Levels re-assigned from mastery now."))
        else:
            student_id = int_or_none(request, "student")
            move_to_tier(person(request), task, student_id, request.POST.get("tier", ""))
            messages.success(request, _("Moved."))
        return redirect("insights-tiered-task", task.pk)
    assignments = lesson_plans.tier_assignments(task)
    context = page_context(
        request,
        section,
        "tiered",
        task=task,
        levels=_levels(task, assignments),
        tiers=Tier.choices,
        placed_by=_placed_by(assignments),
    )
    return render(request, "insights/tiered_task.html", context)


_PLACED_BY = {
    "prerequisites": "Placed by prerequisites: nobody has started this topic, so each student's level comes "
    "from their mastery of the competencies it builds on.",
    "diagnostic": "Placed by the diagnostic: nobody has started this topic and it has no prerequisites, so "
    "each student's level comes from their latest diagnostic.",
    "none": "Nobody has started this topic and there is nothing else to go on yet: everybody starts at Core.",
}


def _placed_by(assignments: list[TieredAssignment]) -> str:
    """A line for the page when nobody's level comes from their own answers on the topic."""
    bases = {a.basis for a in assignments if not a.moved_by_teacher}
    if not bases or "topic" in bases:
        return ""
    for basis in ("prerequisites", "diagnostic", "none"):
        if basis in bases:
            return _PLACED_BY[basis]
    return ""


def _levels(task: TieredTask, assignments: list[TieredAssignment]) -> list[dict[str, object]]:
    """Each level's text and the students on it, support first."""
    return [
        {
            "tier": value,
            "label": label,
            "text": task.text_for(value),
            "students": [a for a in assignments if a.tier == value],
        }
        for value, label in Tier.choices
    ]
