"""Teacher pages: Today, the class view (live), a student's drill-down, small groups, tiered tasks, station
plans, overrides and the grade-book export. Thin: reads in selectors, rules in services and the engine,
who-may-what in cairn.insights.access. Leaders who may see a section read the same pages without forms."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import Section
from cairn.agency.pace import pace
from cairn.curriculum.models import Competency, Content
from cairn.engine.grouping import StationKind
from cairn.insights import access, charts, grid, selectors, services
from cairn.insights.models import SmallGroup, StationPlan, Tier, TieredTask
from cairn.insights.today import today_actions
from cairn.learning import overrides, policy
from cairn.learning.models import PathOverride
from cairn.learning.path import path_competencies, student_path

View = Callable[..., HttpResponseBase]


def _section_view(view: View) -> View:
    """Resolve ``section_id`` to a section the person may see (404 otherwise) and pass it on."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, section_id: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        section = access.section_for(person(request), section_id)
        return view(request, section, *args, **kwargs)

    return wrapped


def _context(request: HttpRequest, section: Section, tab: str, **extra: Any) -> dict[str, Any]:
    return {
        "section": section,
        "tab": tab,
        "can_teach": access.can_teach(person(request), section),
        **extra,
    }


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _ints(request: HttpRequest, name: str) -> list[int]:
    try:
        return [int(v) for v in request.POST.getlist(name) if v.strip()]
    except ValueError as exc:
        raise services.InsightsError(name, f"{name}: whole numbers only.") from exc


def _int_or_none(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise services.InsightsError(name, f"{name}: a whole number.") from exc


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise services.InsightsError(name, f"{name}: a date like 2026-11-24.") from exc


# ---------------------------------------------------------------------------------------------- Today
@_section_view
def today(request: HttpRequest, section: Section) -> HttpResponse:
    state = selectors.class_state(section)
    context = _context(request, section, "today", actions=today_actions(state), state=state)
    return render(request, "insights/today.html", context)


def section_home(request: HttpRequest, section_id: int) -> HttpResponse:
    return redirect("insights-today", section_id)


# ------------------------------------------------------------------------------------------ class view
@_section_view
def class_view(request: HttpRequest, section: Section) -> HttpResponse:
    version = selectors.version(section)
    partial = request.GET.get("partial") == "1" and request.headers.get("HX-Request") == "true"
    if partial and request.GET.get("since") == version:
        return HttpResponse(status=204)  # nothing changed: htmx keeps the table as it is
    state = selectors.class_state(section)
    params = {k: str(request.GET.get(k, "")) for k in request.GET if k not in ("partial", "since")}
    table = grid.build(state, params)
    poll = f"{request.path}?{urlencode({**params, 'partial': '1', 'since': version})}"
    context = _context(
        request,
        section,
        "class",
        grid=table,
        params=params,
        poll_url=poll,
        updated=timezone.localtime(),
        sort_links=(links := _sort_links(request.path, params, table)),
        headers=[(c, links[f"c{c.pk}"], table.sort == f"c{c.pk}") for c in table.competencies],
        fixed_headers=[(key, label, links[key], table.sort == key) for key, label in grid.SORTS.items()],
    )
    if partial:
        return render(request, "insights/_class_grid.html", context)
    distribution = charts.stacked_bars(
        grid.distribution(state, table.competencies),
        order=["mastered", "in_progress", "ready", "locked"],
        total=len(state.students),
        labels={"in_progress": "in progress"},
    )
    weekly = selectors.mastered_by_week(state)
    over_time = charts.line_chart(
        {"Mastered": [(i, v) for i, (_, v) in enumerate(weekly)]},
        x_ticks=[(i, d.strftime("%-d %b")) for i, (d, _) in enumerate(weekly)],
        y_range=(0, max([v for _, v in weekly] + [1.0])),
        y_format="{:.1f}",
    )
    context.update(
        distribution=distribution,
        histogram=charts.histogram(grid.mastered_histogram(state)),
        histogram_rows=grid.mastered_histogram(state),
        over_time=over_time,
        weekly=weekly,
        competencies=state.competencies,
        actions=PathOverride.Action.choices,
        show_choices=grid.SHOW.items(),
        proficiency_help=PROFICIENCY_HELP,
    )
    return render(request, "insights/class.html", context)


def _sort_links(path: str, params: dict[str, str], table: grid.Grid) -> dict[str, str]:
    """The URL each column header links to: sort by it, or flip the direction if it is the current sort."""
    links = {}
    keys = [*grid.SORTS, *(f"c{c.pk}" for c in table.competencies)]
    for key in keys:
        flip = table.sort == key and not table.descending
        links[key] = f"{path}?{urlencode({**params, 'sort': key, 'dir': 'desc' if flip else 'asc'})}"
    return links


# ----------------------------------------------------------------------------------------- drill-down
@_section_view
def student(request: HttpRequest, section: Section, student_id: int) -> HttpResponse:
    learner = selectors.student_in_section(section, student_id)
    if learner is None:
        raise Http404("No such student in this class.")
    detail = selectors.student_detail(learner)
    trajectories = selectors.mastery_trajectories(learner)
    start = min((points[0][0] for points in trajectories.values()), default=timezone.now())
    end = max((points[-1][0] for points in trajectories.values()), default=timezone.now())
    span = max(charts.days_since(start, end), 1.0)
    chart = charts.line_chart(
        {
            code: [(charts.days_since(start, t), m) for t, m in points]
            for code, points in trajectories.items()
        },
        x_ticks=[
            (span * k / 4, timezone.localtime(start + dt.timedelta(days=span * k / 4)).strftime("%-d %b"))
            for k in range(5)
        ],
        y_range=(0.0, 1.0),
        y_format="{:.0%}",
        guide=(policy.for_student(learner).mastery.threshold, "mastery"),
    )
    path = student_path(learner)
    context = _context(
        request,
        section,
        "class",
        learner=learner,
        detail=detail,
        path=path,
        counts=path.counts(),
        pace=pace(learner),
        chart=chart,
        trajectories=trajectories,
        actions=PathOverride.Action.choices,
        path_competencies=path_competencies(),
    )
    return render(request, "insights/student.html", context)


# --------------------------------------------------------------------------------------------- groups
@_section_view
def groups(request: HttpRequest, section: Section) -> HttpResponse:
    state = selectors.class_state(section)
    suggestion = selectors.suggested_groups(state)
    activities = selectors.teacher_led_activities(section, {g.competency for g in suggestion.groups})
    student_of = {s.pk: s for s in state.students}
    suggested = [
        {
            "group": g,
            "competency": state.by_code[g.competency],
            "students": [student_of[i] for i in g.students],
            "activity": activities.get(g.competency),
        }
        for g in suggestion.groups
    ]
    saved = SmallGroup.objects.filter(section=section, done_at__isnull=True).prefetch_related("students")
    context = _context(
        request,
        section,
        "groups",
        suggested=suggested,
        ungrouped=[student_of[i] for i in suggestion.ungrouped],
        saved=[_saved_group(state, g) for g in saved.select_related("competency", "activity")],
    )
    return render(request, "insights/groups.html", context)


def _saved_group(state: selectors.ClassState, group: SmallGroup) -> dict[str, Any]:
    """A saved group with what changed since it was made: members who mastered it since."""
    members = []
    for s in group.students.all():
        cell = state.cell(s.pk, group.competency_id) if group.competency_id else None
        then = group.snapshot.get(str(s.pk))
        members.append({"student": s, "cell": cell, "then": then})
    moved_on = [m for m in members if m["cell"] is not None and m["cell"].status == "mastered"]
    return {"group": group, "members": members, "moved_on": moved_on}


@_section_view
@require_POST
def group_save(request: HttpRequest, section: Section) -> HttpResponse:
    try:
        group = services.save_group(
            person(request),
            section,
            student_ids=_ints(request, "student"),
            competency_id=_int_or_none(request.POST.get("competency"), "competency"),
            activity_id=_int_or_none(request.POST.get("activity"), "activity"),
            name=request.POST.get("name", ""),
            note=request.POST.get("note", ""),
            for_date=_date(request.POST.get("for_date"), "for_date"),
        )
    except services.InsightsError as exc:
        messages.error(request, str(exc))
        return _back(request, reverse("insights-groups", args=[section.pk]))
    messages.success(request, f"Saved “{group.name}” with {group.students.count()} students.")
    return redirect("insights-group", group.pk)


def _group_for(request: HttpRequest, group_id: int) -> tuple[SmallGroup, Section]:
    group = get_object_or_404(
        SmallGroup.objects.select_related("section", "competency", "activity"), pk=group_id
    )
    section = access.section_for(person(request), group.section_id)
    return group, section


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group, section = _group_for(request, group_id)
    if request.method == "POST":
        try:
            services.update_group(
                person(request),
                group,
                add=_ints(request, "add"),
                remove=_ints(request, "remove"),
                activity_id=_int_or_none(request.POST.get("activity"), "activity"),
                clear_activity=request.POST.get("activity") == "",
                name=request.POST.get("name"),
                note=request.POST.get("note"),
                for_date=_date(request.POST.get("for_date"), "for_date"),
            )
            messages.success(request, "Group updated.")
        except services.InsightsError as exc:
            messages.error(request, str(exc))
        return redirect("insights-group", group.pk)
    state = selectors.class_state(section)
    member_ids = set(group.students.values_list("pk", flat=True))
    options = []
    if group.competency_id:
        options = list(
            Content.objects.filter(competencies=group.competency_id, status="approved")
            .exclude(kind=Content.Kind.PRACTICE)
            .order_by("kind", "title")
        )
    context = _context(
        request,
        section,
        "groups",
        group=group,
        saved=_saved_group(state, group),
        others=[s for s in state.students if s.pk not in member_ids],
        activity_options=options,
        competencies=state.competencies,
        actions=PathOverride.Action.choices,
    )
    return render(request, "insights/group.html", context)


@login_required
@require_POST
def group_command(request: HttpRequest, group_id: int, command: str) -> HttpResponse:
    group, section = _group_for(request, group_id)
    teacher = person(request)
    try:
        if command == "regroup":
            services.regroup(teacher, group)
            messages.success(request, "Regrouped from today's data.")
        elif command == "done":
            services.finish_group(teacher, group)
            messages.success(request, f"“{group.name}” marked taught.")
            return redirect("insights-groups", section.pk)
        elif command == "delete":
            services.delete_group(teacher, group)
            messages.success(request, f"Deleted “{group.name}”.")
            return redirect("insights-groups", section.pk)
        else:
            raise Http404("No such command.")
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    return redirect("insights-group", group.pk)


# ------------------------------------------------------------------------------------------ overrides
@_section_view
@require_POST
def override(request: HttpRequest, section: Section) -> HttpResponse:
    group = None
    try:
        group_id = _int_or_none(request.POST.get("group"), "group")
        if group_id is not None:
            group = get_object_or_404(SmallGroup, pk=group_id, section=section)
        competency_id = _int_or_none(request.POST.get("competency"), "competency")
        if competency_id is None:
            raise services.InsightsError("competency", "Choose a competency.")
        result = services.override(
            person(request),
            section,
            competency_id=competency_id,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            student_ids=_ints(request, "student"),
            group=group,
            whole_section=request.POST.get("scope") == "section",
        )
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    else:
        competency = Competency.objects.get(pk=competency_id)
        action = PathOverride.Action(request.POST["action"]).label
        messages.success(request, f"{action} {competency.code}: {result.summary}.")
    return _back(request, reverse("insights-overrides", args=[section.pk]))


@_section_view
def override_log(request: HttpRequest, section: Section) -> HttpResponse:
    entries = overrides.history(selectors.section_students(section), limit=300)
    return render(
        request, "insights/overrides.html", _context(request, section, "overrides", entries=entries)
    )


# ------------------------------------------------------------------------------------- one-click steps
@_section_view
@require_POST
def alerts_resolve(request: HttpRequest, section: Section) -> HttpResponse:
    try:
        n = services.resolve_alerts(person(request), section, _ints(request, "alert"))
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{n} alert{'s' if n != 1 else ''} marked as seen to.")
    return _back(request, reverse("insights-today", args=[section.pk]))


@_section_view
@require_POST
def assign_challenges(request: HttpRequest, section: Section) -> HttpResponse:
    try:
        results = services.assign_challenges(
            person(request),
            section,
            _ints(request, "student"),
            request.POST.get("reason", "") or "Ready for a challenge",
        )
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    else:
        assigned = [f"{o.student.display_name}: {o.competency.code}" for r in results for o in r.created]
        messages.success(request, "Assigned — " + "; ".join(assigned) + ".")
    return _back(request, reverse("insights-today", args=[section.pk]))


@_section_view
@require_POST
def content_hide(request: HttpRequest, section: Section, content_id: int) -> HttpResponse:
    content = get_object_or_404(Content, pk=content_id)
    try:
        services.hide_content(person(request), section, content)
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{content.title}” is hidden for {section.name}.")
    return _back(request, reverse("insights-today", args=[section.pk]))


# --------------------------------------------------------------------------------------- tiered tasks
@_section_view
def tiered(request: HttpRequest, section: Section) -> HttpResponse:
    if request.method == "POST":
        try:
            competency_id = _int_or_none(request.POST.get("competency"), "competency")
            if competency_id is None:
                raise services.InsightsError("competency", "Choose a competency.")
            task = services.create_tiered_task(
                person(request),
                section,
                competency_id=competency_id,
                title=request.POST.get("title", ""),
                support=request.POST.get("support", ""),
                core=request.POST.get("core", ""),
                extend=request.POST.get("extend", ""),
            )
        except services.InsightsError as exc:
            messages.error(request, str(exc))
            return redirect("insights-tiered", section.pk)
        return redirect("insights-tiered-task", task.pk)
    tasks = TieredTask.objects.filter(section=section).select_related("competency")
    context = _context(request, section, "tiered", tasks=tasks, competencies=path_competencies())
    return render(request, "insights/tiered.html", context)


@login_required
def tiered_task(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(TieredTask.objects.select_related("section", "competency"), pk=task_id)
    section = access.section_for(person(request), task.section_id)
    if request.method == "POST":
        try:
            if request.POST.get("command") == "retier":
                services.retier(person(request), task)
                messages.success(request, "Levels re-assigned from mastery now.")
            else:
                student_id = _int_or_none(request.POST.get("student"), "student")
                if student_id is None:
                    raise services.InsightsError("student", "Choose a student.")
                services.move_to_tier(person(request), task, student_id, request.POST.get("tier", ""))
                messages.success(request, "Moved.")
        except services.InsightsError as exc:
            messages.error(request, str(exc))
        return redirect("insights-tiered-task", task.pk)
    assignments = task.assignments.select_related("student").order_by(
        "student__last_name", "student__first_name"
    )
    levels = [
        {
            "tier": value,
            "label": label,
            "text": task.text_for(value),
            "students": [a for a in assignments if a.tier == value],
        }
        for value, label in Tier.choices
    ]
    context = _context(request, section, "tiered", task=task, levels=levels, tiers=Tier.choices)
    return render(request, "insights/tiered_task.html", context)


# ------------------------------------------------------------------------------------------- stations
STATION_DEFAULTS = [
    ("Teacher table", StationKind.TEACHER_LED, "Mini-lesson for the group's need"),
    ("Online practice", StationKind.ONLINE, "Practice from each student's board"),
    ("Partner work", StationKind.COLLABORATIVE, "Game or problem with a partner"),
    ("Hands-on", StationKind.OFFLINE, "Manipulatives or a worksheet"),
]


@_section_view
def stations(request: HttpRequest, section: Section) -> HttpResponse:
    if request.method == "POST":
        names, kinds, activities = (
            request.POST.getlist(k) for k in ("station_name", "station_kind", "station_activity")
        )
        inputs = [
            services.StationInput(name, kind, activity)
            for name, kind, activity in zip(names, kinds, activities, strict=False)
            if name.strip()
        ]
        try:
            plan = services.plan_stations(
                person(request),
                section,
                title=request.POST.get("title", ""),
                lesson_date=_date(request.POST.get("lesson_date"), "lesson_date") or timezone.localdate(),
                block_minutes=_int_or_none(request.POST.get("block_minutes"), "block_minutes") or 0,
                rotations=_int_or_none(request.POST.get("rotations"), "rotations") or len(inputs),
                stations=inputs,
            )
        except services.InsightsError as exc:
            messages.error(request, str(exc))
            return redirect("insights-stations", section.pk)
        return redirect("insights-station-plan", plan.pk)
    plans = StationPlan.objects.filter(section=section)[:20]
    context = _context(
        request,
        section,
        "stations",
        plans=plans,
        defaults=STATION_DEFAULTS,
        kinds=[(k.value, k.value.replace("_", " ").capitalize()) for k in StationKind],
        today=services.next_school_day(timezone.localdate()),
    )
    return render(request, "insights/stations.html", context)


@login_required
def station_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(StationPlan.objects.select_related("section"), pk=plan_id)
    section = access.section_for(person(request), plan.section_id)
    student_of = {s.pk: s for s in selectors.section_students(section)}
    blocks = [
        {
            "number": b + 1,
            "start": b * plan.block_minutes,
            "end": (b + 1) * plan.block_minutes,
            # block[group] = station; the table wants, for each station, the group there.
            "cells": [block.index(i) + 1 if i in block else None for i in range(len(plan.stations))],
        }
        for b, block in enumerate(plan.schedule)
    ]
    groups = [
        {
            "number": g + 1,
            "focus": plan.focus[g] if g < len(plan.focus) else None,
            "students": [student_of[i] for i in members if i in student_of],
            "left": sum(1 for i in members if i not in student_of),
        }
        for g, members in enumerate(plan.groups)
    ]
    context = _context(request, section, "stations", plan=plan, blocks=blocks, groups=groups)
    return render(request, "insights/station_plan.html", context)


# --------------------------------------------------------------------------------------------- export
def _cell_value(value: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: quote it."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


PROFICIENCY_HELP = "4 mastered · 3 mastery ≥ 80% · 2 ≥ 50% · 1 started · blank not started"


def proficiency(cell: selectors.Cell) -> str:
    """A 0–4 grade-book level (standards-based grading's usual scale) from the stored state."""
    if cell.status == "mastered" and cell.teacher_action != PathOverride.Action.SKIP:
        return "4"
    if cell.attempts == 0:
        return ""
    if cell.mastery >= 0.8:
        return "3"
    return "2" if cell.mastery >= 0.5 else "1"


@_section_view
def export_csv(request: HttpRequest, section: Section) -> HttpResponse:
    """Mastery by standard for the grade book: one row per student and a 0–4 column per standard, or
    (``?layout=long``) one row per student and standard with status, mastery and dates."""
    state = selectors.class_state(section)
    layout = request.GET.get("layout", "wide")
    if layout not in ("wide", "long"):
        return HttpResponseBadRequest("layout must be wide or long", content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = state.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="{section.code}-mastery-{layout}-{stamp}.csv"'
    writer = csv.writer(response)
    rows = selectors.mastery_rows(state)
    if layout == "wide":
        writer.writerow(
            [
                "student_id",
                "username",
                "last_name",
                "first_name",
                "mastered",
                *[c.code for c in state.competencies],
            ]
        )
        for s, cells in rows:
            writer.writerow(
                [
                    s.pk,
                    _cell_value(s.username),
                    _cell_value(s.last_name),
                    _cell_value(s.first_name),
                    state.summaries[s.pk].mastered,
                    *[proficiency(c) for c in cells],
                ]
            )
        return response
    writer.writerow(
        [
            "student_id",
            "username",
            "name",
            "standard",
            "statement",
            "status",
            "mastery",
            "confidence",
            "answers",
            "level",
        ]
    )
    for s, cells in rows:
        for competency, cell in zip(state.competencies, cells, strict=True):
            writer.writerow(
                [
                    s.pk,
                    _cell_value(s.username),
                    _cell_value(s.display_name),
                    competency.code,
                    _cell_value(competency.statement),
                    cell.state,
                    f"{cell.mastery:.2f}" if cell.attempts else "",
                    cell.confidence,
                    cell.attempts,
                    proficiency(cell),
                ]
            )
    return response
