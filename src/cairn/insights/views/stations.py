"""Station rotations: plan one (Cairn forms the groups and the schedule) and read a plan as a timetable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cairn.accounts.access import person
from cairn.accounts.models import Section, User
from cairn.engine.grouping import StationKind
from cairn.insights import access, lesson_plans, selectors
from cairn.insights.models import StationPlan
from cairn.insights.services.stations import StationInput, plan_stations
from cairn.insights.views.inputs import date_or_none, int_or_none
from cairn.insights.views.pages import page_context, section_view

STATION_DEFAULTS = [
    ("Teacher table", StationKind.TEACHER_LED, "Mini-lesson for the group's need"),
    ("Online practice", StationKind.ONLINE, "Practice from each student's board"),
    ("Partner work", StationKind.COLLABORATIVE, "Game or problem with a partner"),
    ("Hands-on", StationKind.OFFLINE, "Manipulatives or a worksheet"),
]


@section_view
def stations(request: HttpRequest, section: Section) -> HttpResponse:
    if request.method == "POST":
        names, kinds, activities = (
            request.POST.getlist(k) for k in ("station_name", "station_kind", "station_activity")
        )
        inputs = [
            StationInput(name, kind, activity)
            for name, kind, activity in zip(names, kinds, activities, strict=False)
            if name.strip()
        ]
        plan = plan_stations(
            person(request),
            section,
            title=request.POST.get("title", ""),
            lesson_date=date_or_none(request, "lesson_date") or timezone.localdate(),
            block_minutes=int_or_none(request, "block_minutes") or 0,
            rotations=int_or_none(request, "rotations") or len(inputs),
            stations=inputs,
        )
        return redirect("insights-station-plan", plan.pk)
    context = page_context(
        request,
        section,
        "stations",
        plans=lesson_plans.recent_station_plans(section),
        defaults=STATION_DEFAULTS,
        kinds=[(k.value, k.value.replace("_", " ").capitalize()) for k in StationKind],
        today=selectors.next_school_day(timezone.localdate()),
    )
    return render(request, "insights/stations.html", context)


@login_required
def station_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = lesson_plans.station_plan(plan_id)
    section = access.section_for(person(request), plan.section_id)
    student_of = {s.pk: s for s in selectors.section_students(section)}
    context = page_context(
        request, section, "stations", plan=plan, blocks=_blocks(plan), groups=_groups(plan, student_of)
    )
    return render(request, "insights/station_plan.html", context)


def _blocks(plan: StationPlan) -> list[dict[str, object]]:
    """The timetable's rows: each block's minutes and, for each station, the group there."""
    return [
        {
            "number": b + 1,
            "start": b * plan.block_minutes,
            "end": (b + 1) * plan.block_minutes,
            # block[group] = station; the table wants, for each station, the group there.
            "cells": [block.index(i) + 1 if i in block else None for i in range(len(plan.stations))],
        }
        for b, block in enumerate(plan.schedule)
    ]


def _groups(plan: StationPlan, student_of: dict[int, User]) -> list[dict[str, object]]:
    """Each rotation group's focus and members (students who left the class since are counted apart)."""
    return [
        {
            "number": g + 1,
            "focus": plan.focus[g] if g < len(plan.focus) else None,
            "students": [student_of[i] for i in members if i in student_of],
            "left": sum(1 for i in members if i not in student_of),
        }
        for g, members in enumerate(plan.groups)
    ]
