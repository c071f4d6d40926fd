"""A student's drill-down: their path, pace, recent work and the learner model's estimate over time, with
the form to change their path."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

from cairn.accounts.models import Section
from cairn.agency.selectors import pace
from cairn.core import audit
from cairn.insights import charts, drilldown, selectors
from cairn.insights.views.pages import page_context, section_view
from cairn.learning.models import PathOverride
from cairn.learning.selectors import policy
from cairn.learning.selectors.path import path_competencies, student_path
from cairn.learning.selectors.scope import section_scope


@section_view
def student(request: HttpRequest, section: Section, student_id: int) -> HttpResponse:
    learner = selectors.student_in_section(section, student_id)
    if learner is None:
        raise Http404("No such student in this class.")
    audit.record(
        audit.AuditAction.VIEWED_STUDENT,
        actor=request.user,
        student=learner,
        section=section,
        request=request,
    )
    trajectories = drilldown.mastery_trajectories(learner)
    scope = section_scope(section)  # the student's path in this class: the class's course
    path = student_path(learner, scope=scope)
    context = page_context(
        request,
        section,
        "class",
        learner=learner,
        detail=drilldown.student_detail(learner),
        path=path,
        counts=path.counts(),
        pace=pace(learner),
        chart=_trajectory_chart(trajectories, threshold=policy.for_student(learner).mastery.threshold),
        trajectories=trajectories,
        actions=PathOverride.Action.choices,
        path_competencies=path_competencies(scope, districts=section.school.district_id),
        path_course=scope.name,  # the class's course (or the fitting courses); "" for every competency
    )
    return render(request, "insights/student.html", context)


def _trajectory_chart(
    trajectories: dict[str, list[tuple[dt.datetime, float]]], *, threshold: float
) -> charts.LineChart:
    """Mastery after each answer, one line per competency, over the days they span."""
    start = min((points[0][0] for points in trajectories.values()), default=timezone.now())
    end = max((points[-1][0] for points in trajectories.values()), default=timezone.now())
    span = max(charts.days_since(start, end), 1.0)
    return charts.line_chart(
        {
            code: [(charts.days_since(start, t), m) for t, m in points]
            for code, points in trajectories.items()
        },
        x_ticks=[
            (span * k / 4, date_format(timezone.localtime(start + dt.timedelta(days=span * k / 4)), "j M"))
            for k in range(5)
        ],
        y_range=(0.0, 1.0),
        y_format="{:.0%}",
        guide=(threshold, "mastery"),
    )
