"""Classroom walkthroughs: a school leader or district admin records a short visit to a class, with each of
the district's look-fors (cairn.leaders.lookfors) marked seen or not. ``record`` writes; the reads below
give the leader's list and the roll-up (share of look-fors seen per school per month) that the fidelity
measure ``lookfors_seen`` also computes for goals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cairn.accounts.models import Enrolment, School, Section, User
from cairn.core.errors import Invalid
from cairn.leaders import access, lookfors
from cairn.leaders.models.walkthroughs import Walkthrough, WalkthroughMark


@transaction.atomic
def record(
    *,
    observer: User,
    school_id: int,
    section_id: int | None,
    seen: Collection[str],
    notes: str = "",
    at: dt.datetime | None = None,
) -> Walkthrough:
    """Store one visit with every look-for of the school's district marked (seen if its key is in ``seen``).
    The observer must lead the school (else NotFound); the class must be in it."""
    school = access.school_for_leader(observer, school_id)
    section = None
    if section_id is not None:
        section = Section.objects.filter(pk=section_id, school=school).first()
        if section is None:
            raise Invalid("Choose a class in this school.", field="section")
    looks = lookfors.for_district(school.district)
    unknown = set(seen) - {look.key for look in looks}
    if unknown:
        raise Invalid(f"Unknown look-fors: {', '.join(sorted(unknown))}.", field="seen")
    visit = Walkthrough.objects.create(
        school=school,
        section=section,
        teacher=_teacher_of(section),
        observer=observer,
        at=at or timezone.now(),
        notes=notes.strip()[:2000],
    )
    WalkthroughMark.objects.bulk_create(
        WalkthroughMark(walkthrough=visit, look_for=look.key, pillar=look.pillar, seen=look.key in seen)
        for look in looks
    )
    return visit


def _teacher_of(section: Section | None) -> User | None:
    if section is None:
        return None
    row = (
        Enrolment.objects.current()
        .filter(section=section, kind=Enrolment.Kind.TEACHER)
        .select_related("user")
        .order_by("start_date", "pk")
        .first()
    )
    return row.user if row else None


# --- reads -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitRow:
    walkthrough: Walkthrough
    seen: int
    marked: int


def recent(schools: Sequence[School], limit: int = 50) -> list[VisitRow]:
    """The latest visits to these schools, each with how many look-fors were seen of those marked."""
    visits = (
        Walkthrough.objects.filter(school__in=schools)
        .select_related("school", "section", "teacher", "observer")
        .annotate(n_seen=Count("marks", filter=Q(marks__seen=True)), n_marked=Count("marks"))[:limit]
    )
    return [VisitRow(v, v.n_seen, v.n_marked) for v in visits]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MonthCell:
    month: dt.date
    visits: int
    percent_seen: float | None


def monthly(
    schools: Sequence[School], months: int = 6, today: dt.date | None = None
) -> dict[int, list[MonthCell]]:
    """Per school id: for each of the last ``months`` months, visits and the share of look-fors seen."""
    first = _month_start(today or timezone.localdate(), months - 1)
    rows = (
        WalkthroughMark.objects.filter(walkthrough__school__in=schools, walkthrough__at__date__gte=first)
        .annotate(month=TruncMonth("walkthrough__at"))
        .values("walkthrough__school_id", "month")
        .annotate(
            visits=Count("walkthrough_id", distinct=True),
            seen=Count("pk", filter=Q(seen=True)),
            marked=Count("pk"),
        )
    )
    found = {(r["walkthrough__school_id"], _as_date(r["month"])): r for r in rows}
    out: dict[int, list[MonthCell]] = {}
    for school in schools:
        cells = []
        for k in range(months - 1, -1, -1):
            month = _month_start(today or timezone.localdate(), k)
            r = found.get((school.pk, month))
            cells.append(
                MonthCell(month, r["visits"], 100.0 * r["seen"] / r["marked"])
                if r and r["marked"]
                else MonthCell(month, 0, None)
            )
        out[school.pk] = cells
    return out


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
