"""The class view's table: which students and competencies to show, in which order. Reads a ClassState and
the page's query parameters; knows nothing about HTTP beyond a plain mapping of strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import User
from cairn.curriculum.models import Competency
from cairn.engine.release import Status
from cairn.insights import selectors
from cairn.insights.state import Cell, ClassState, Concern, StudentSummary

SHOW = {
    "all": _("Everyone"),
    "stuck": _("Stuck"),
    "inactive": _("Not active for a week"),
    "checking": _("Showing what they know"),
}
SORTS = {
    "name": _("Student"),
    "mastered": _("Mastered"),
    "mastery": _("Mean mastery"),
    "active": _("Last active"),
}


@dataclass(frozen=True)
class GridRow:
    student: User
    summary: StudentSummary
    cells: list[tuple[Competency, Cell]]


@dataclass(frozen=True)
class Grid:
    rows: list[GridRow]
    competencies: list[Competency]
    domains: list[str]
    domain: str
    show: str
    sort: str
    descending: bool
    q: str
    total_students: int


def _key(sort: str, state: ClassState, student: User) -> tuple[float | str, ...]:
    summary = state.summaries[student.pk]
    name = (student.last_name.lower(), student.first_name.lower())
    if sort == "mastered":
        return (summary.mastered, *name)
    if sort == "mastery":
        return (summary.mean_mastery, *name)
    if sort == "active":
        when = summary.last_active.timestamp() if summary.last_active else 0.0
        return (when, *name)
    if sort.startswith("c") and sort[1:].isdigit():
        cell = state.cell(student.pk, int(sort[1:]))
        order = {Status.LOCKED: 0, Status.READY: 1, Status.IN_PROGRESS: 2, Status.MASTERED: 3}
        return (order[cell.status], cell.mastery, *name)
    return name


def build(state: ClassState, params: Mapping[str, str]) -> Grid:
    domains = sorted({c.domain for c in state.competencies if c.domain})
    domain = params.get("domain", "")
    if domain not in domains:
        domain = ""
    competencies = [c for c in state.competencies if not domain or c.domain == domain]
    show = params.get("show", "all")
    if show not in SHOW:
        show = "all"
    sort = params.get("sort", "name")
    valid_columns = {f"c{c.pk}" for c in competencies}
    if sort not in SORTS and sort not in valid_columns:
        sort = "name"
    descending = params.get("dir", "") == "desc"
    q = params.get("q", "").strip().lower()[:60]
    since = selectors.school_days_before(state.today, selectors.INACTIVE_SCHOOL_DAYS)
    cutoff = timezone.make_aware(dt.datetime.combine(since, dt.time.min))

    def shown(student: User) -> bool:
        summary = state.summaries[student.pk]
        if q and q not in student.display_name.lower() and q not in student.username.lower():
            return False
        if show == "stuck":
            return bool(summary.stuck) or any(
                state.cell(student.pk, c.pk).state == Concern.STUCK for c in competencies
            )
        if show == "inactive":
            return summary.last_active is None or summary.last_active < cutoff
        if show == "checking":
            return any(state.cell(student.pk, c.pk).state == Concern.CHECKING for c in competencies)
        return True

    students = sorted(
        (s for s in state.students if shown(s)), key=lambda s: _key(sort, state, s), reverse=descending
    )
    rows = [
        GridRow(s, state.summaries[s.pk], [(c, state.cell(s.pk, c.pk)) for c in competencies])
        for s in students
    ]
    return Grid(
        rows=rows,
        competencies=competencies,
        domains=domains,
        domain=domain,
        show=show,
        sort=sort,
        descending=descending,
        q=q,
        total_students=len(state.students),
    )


def distribution(state: ClassState, competencies: list[Competency]) -> list[tuple[str, dict[str, int]]]:
    """Per competency, how many students are at each state (for the stacked-bar chart)."""
    out = []
    for c in competencies:
        counts: dict[str, int] = {}
        for s in state.students:
            status = state.cell(s.pk, c.pk).status
            counts[status] = counts.get(status, 0) + 1
        out.append((c.code, counts))
    return out


def mastered_histogram(state: ClassState) -> list[tuple[str, int]]:
    """Students by share of the path mastered, in bins of 10%."""
    total = max(len(state.competencies), 1)
    bins = [0] * 10
    for s in state.students:
        share = state.summaries[s.pk].mastered / total
        bins[min(int(share * 10), 9)] += 1
    return [(f"{i * 10}–{i * 10 + 10}%", k) for i, k in enumerate(bins)]
