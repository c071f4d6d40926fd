"""The class view: students × competencies from stored state, sortable and filterable, polled live (an
unchanged class answers 204), with the charts of where the class stands and how mastery grew."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cairn.accounts.models import Section
from cairn.core import audit
from cairn.engine.release import Status
from cairn.insights import charts, grid, selectors
from cairn.insights.state import ClassState
from cairn.insights.views.pages import page_context, section_view
from cairn.learning.models import PathOverride
from cairn.learning.selectors import proficiency


@section_view
def class_view(request: HttpRequest, section: Section) -> HttpResponse:
    version = selectors.version(section)
    partial = request.GET.get("partial") == "1" and request.headers.get("HX-Request") == "true"
    if partial and request.GET.get("since") == version:
        return HttpResponse(status=204)  # nothing changed: htmx keeps the table as it is
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    state = selectors.class_state(section)
    params = {k: str(request.GET.get(k, "")) for k in request.GET if k not in ("partial", "since")}
    table = grid.build(state, params)
    poll = f"{request.path}?{urlencode({**params, 'partial': '1', 'since': version})}"
    context = page_context(
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
    context.update(
        _charts(state, table),
        competencies=state.competencies,
        actions=PathOverride.Action.choices,
        show_choices=grid.SHOW.items(),
        proficiency_help=proficiency.for_section(section).help,
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


def _charts(state: ClassState, table: grid.Grid) -> dict[str, object]:
    """Where the class stands per competency, students by share mastered, and mastery week by week."""
    distribution = charts.stacked_bars(
        grid.distribution(state, table.competencies),
        order=list(Status),
        total=len(state.students),
        labels={
            Status.MASTERED: _("mastered"),
            Status.IN_PROGRESS: _("in progress"),
            Status.READY: _("ready"),
            Status.LOCKED: _("locked"),
        },
    )
    weekly = selectors.mastered_by_week(state)
    over_time = charts.line_chart(
        {_("Mastered"): [(i, v) for i, (_day, v) in enumerate(weekly)]},
        x_ticks=[(i, date_format(d, "j M")) for i, (d, _value) in enumerate(weekly)],
        y_range=(0, max([v for _day, v in weekly] + [1.0])),
        y_format="{:.1f}",
    )
    return {
        "distribution": distribution,
        "histogram": charts.histogram(grid.mastered_histogram(state)),
        "histogram_rows": grid.mastered_histogram(state),
        "over_time": over_time,
        "weekly": weekly,
    }
