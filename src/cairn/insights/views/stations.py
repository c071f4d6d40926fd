"""Station rotations: plan one (Cairn forms the groups and the schedule) and read a plan as a timetable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cairn.accounts.access import person
from cairn.accounts.models import Section, User
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.insights import access, lesson_plans, selectors
from cairn.insights.forms import STATION_KINDS, StationPlanForm, StationRow, station_rows
from cairn.insights.models import StationPlan
from cairn.insights.services.stations import plan_stations
from cairn.insights.views.pages import page_context, section_view


@section_view
def stations(request: HttpRequest, section: Section) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = StationPlanForm(posted, initial={"lesson_date": selectors.next_school_day(timezone.localdate())})
    rows = station_rows(posted)
    if posted is not None and form.is_valid():
        given = [row for row in rows if row.name.strip()]  # an empty name drops the station
        data = form.cleaned_data
        try:
            plan = plan_stations(
                person(request),
                section,
                title=data["title"],
                lesson_date=data["lesson_date"],
                block_minutes=data["block_minutes"],
                rotations=data["rotations"],
                stations=[row.as_input() for row in given],
            )
        except Invalid as exc:  # shown beside the field, with what the teacher typed kept
            _place_error(form, given, exc)
        else:
            return redirect("insights-station-plan", plan.pk)
    context = page_context(
        request,
        section,
        "stations",
        plans=lesson_plans.recent_station_plans(section),
        form=form,
        rows=rows,
        kinds=STATION_KINDS,
    )
    return render(request, "insights/stations.html", context, status=400 if posted is not None else 200)


def _place_error(form: StationPlanForm, given: list[StationRow], error: Invalid) -> None:
    """A service refusal beside its field: a station's on its row ("station 2 name" is the second station
    given), a period setting's beside it, the rest (e.g. too few stations) above the stations."""
    rest = {}
    for name, message in error.fields.items():
        number = name.split()[1] if name.startswith("station ") else ""
        if number.isdigit() and 0 < int(number) <= len(given):
            given[int(number) - 1].error = message
        else:
            rest[name] = message
    if rest or not error.fields:
        add_to_form(form, Invalid(error.message, fields=rest))


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
