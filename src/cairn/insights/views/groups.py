"""Small groups: the suggestions for the next lesson, saving one, a saved group's page (edit, regroup, mark
taught, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Section
from cairn.core import audit
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.insights import access, lesson_plans, selectors
from cairn.insights.forms import GroupEditForm
from cairn.insights.services.groups import delete_group, finish_group, regroup, save_group, update_group
from cairn.insights.views.inputs import date_or_none, int_or_none, ints
from cairn.insights.views.pages import page_context, section_view
from cairn.learning.models import PathOverride


@section_view
def groups(request: HttpRequest, section: Section) -> HttpResponse:
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    state = selectors.class_state(section)
    saved = [lesson_plans.saved_group(state, g) for g in lesson_plans.open_groups(section)]
    suggestion = lesson_plans.lesson_suggestions(
        state, {s.group.pk: [m.student.pk for m in s.members] for s in saved}
    )
    student_of = {s.pk: s for s in state.students}
    suggested = [
        {
            "group": s.group,
            "competency": state.by_code[s.group.competency],
            "students": [student_of[i] for i in s.group.students],
            "activity": s.activity,
        }
        for s in suggestion.groups
    ]
    context = page_context(
        request,
        section,
        "groups",
        suggested=suggested,
        ungrouped=[student_of[i] for i in suggestion.ungrouped],
        also_need=[
            (state.by_code[code], [student_of[i] for i in ids]) for code, ids in suggestion.also_need.items()
        ],
        saved=saved,
    )
    return render(request, "insights/groups.html", context)


@section_view
@require_POST
def group_save(request: HttpRequest, section: Section) -> HttpResponse:
    group = save_group(
        person(request),
        section,
        student_ids=ints(request, "student"),
        competency_id=int_or_none(request, "competency"),
        activity_id=int_or_none(request, "activity"),
        name=request.POST.get("name", ""),
        note=request.POST.get("note", ""),
        for_date=date_or_none(request, "for_date"),
    )
    count = group.students.count()
    messages.success(
        request,
        ngettext("Saved “%(name)s” with %(n)d student.", "Saved “%(name)s” with %(n)d students.", count)
        % {"name": group.name, "n": count},
    )
    return redirect("insights-group", group.pk)


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = lesson_plans.small_group(group_id)
    section = access.section_for(person(request), group.section_id)
    # The edit form (it has a name) is checked here and kept on a refusal; a Remove button posts alone.
    edit = GroupEditForm(request.POST) if request.method == "POST" and "name" in request.POST else None
    if request.method == "POST" and (edit is None or edit.is_valid()):
        typed = edit.cleaned_data if edit is not None else {}
        try:
            update_group(
                person(request),
                group,
                add=ints(request, "add"),
                remove=ints(request, "remove"),
                activity_id=int_or_none(request, "activity"),
                clear_activity=request.POST.get("activity") == "",
                name=typed.get("name"),
                note=typed.get("note"),
                for_date=typed.get("for_date"),
            )
        except Invalid as exc:
            if edit is None:
                raise
            add_to_form(edit, exc)
        else:
            messages.success(request, _("Group updated."))
            return redirect("insights-group", group.pk)
    if edit is None:
        edit = GroupEditForm(initial={"name": group.name, "for_date": group.for_date, "note": group.note})
    state = selectors.class_state(section)
    saved = lesson_plans.saved_group(state, group)
    member_ids = {m.student.pk for m in saved.members}
    context = page_context(
        request,
        section,
        "groups",
        group=group,
        saved=saved,
        others=[s for s in state.students if s.pk not in member_ids],
        activity_options=lesson_plans.group_activity_options(
            group.competency_id, district_id=section.school.district_id
        ),
        competencies=state.competencies,
        actions=PathOverride.Action.choices,
        edit=edit,
    )
    return render(request, "insights/group.html", context, status=400 if edit.errors else 200)


@login_required
@require_POST
def group_command(request: HttpRequest, group_id: int, command: str) -> HttpResponse:
    group = lesson_plans.small_group(group_id)
    section = access.section_for(person(request), group.section_id)
    teacher = person(request)
    if command == "regroup":
        regroup(teacher, group)
        messages.success(request, _("Regrouped from today's data."))
        return redirect("insights-group", group.pk)
    if command == "done":
        finish_group(teacher, group)
        messages.success(request, _("“%(name)s” marked taught.") % {"name": group.name})
    elif command == "delete":
        delete_group(teacher, group)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": group.name})
    else:
        raise Http404("No such command.")
    return redirect("insights-groups", section.pk)
