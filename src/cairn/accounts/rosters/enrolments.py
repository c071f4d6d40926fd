"""The roster's enrolments: who is in or teaches which class, from when to when. ``tobedeleted`` ends an
enrolment (its end date set), never deletes it: what the student did in the class stays theirs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from cairn.accounts.models import Enrolment
from cairn.accounts.rosters.context import Context, chunks
from cairn.accounts.rosters.people import end_enrolments, lookup_people
from cairn.accounts.rosters.source import RosterRow
from cairn.accounts.rosters.values import parse_date

KINDS = {"student": Enrolment.Kind.STUDENT, "teacher": Enrolment.Kind.TEACHER, "aide": Enrolment.Kind.TEACHER}
_FIELDS = ("section_id", "user_id", "kind", "start_date", "end_date")


def apply_enrolments(ctx: Context) -> None:
    ignored: dict[str, int] = {}
    for batch in chunks(ctx.rows("enrollments"), 2000):
        _batch(ctx, batch, ignored)
    if ignored:
        roles = ", ".join(f"{role or '(blank)'} ({n})" for role, n in sorted(ignored.items()))
        ctx.report.notes.append(f"enrollments.csv: roles Cairn does not enrol, ignored: {roles}")


def _values(ctx: Context, row: RosterRow) -> dict[str, object] | None:
    section = ctx.sections.get(row.get("classSourcedId"))
    user = ctx.users.get(row.get("userSourcedId"))
    if section is None:
        ctx.skip(row, f"class {row.get('classSourcedId') or '(blank)'} is not in classes")
        return None
    if user is None:
        ctx.skip(row, f"user {row.get('userSourcedId') or '(blank)'} is not in users")
        return None
    try:
        start = parse_date(row.get("beginDate")) or section[1]
        end = parse_date(row.get("endDate"))
    except ValueError as bad:
        ctx.skip(row, str(bad))
        return None
    if end is not None and end < start:
        ctx.skip(row, "endDate is before beginDate")
        return None
    return {"section_id": section[0], "user_id": user, "start_date": start, "end_date": end}


def _ended(ctx: Context, start: dt.date, end: dt.date | None) -> dt.date | None:
    """The end date a tobedeleted enrolment gets: its own if already past, else yesterday (or its start)."""
    if end is not None and end <= ctx.yesterday:
        return end
    return max(start, ctx.yesterday)


def _batch(ctx: Context, batch: list[RosterRow], ignored: dict[str, int]) -> None:
    counts = ctx.report.counts["enrollments"]
    lookup_people(ctx, [row.get("userSourcedId") for row in batch])
    sids = [row.sourced_id for row in batch if row.sourced_id]
    existing = {
        e.sourced_id: e
        for e in Enrolment.objects.filter(sourced_id__in=sids, section__school__district=ctx.district)
    }
    new: list[Enrolment] = []
    changed: list[Enrolment] = []
    for row in batch:
        kind = KINDS.get(row.get("role").lower())
        if kind is None:
            ignored[row.get("role").lower()] = ignored.get(row.get("role").lower(), 0) + 1
            continue
        values = _values(ctx, row)
        if values is None:
            continue
        values["kind"] = kind
        enrolment = existing.get(row.sourced_id) if row.sourced_id else None
        if row.deleted:
            values["end_date"] = _ended(ctx, values["start_date"], values["end_date"])  # type: ignore[arg-type]
        if enrolment is None:
            if row.deleted:
                continue  # ended before Cairn knew it
            new.append(Enrolment(sourced_id=row.sourced_id, **values))
            continue
        before = {f: getattr(enrolment, f) for f in _FIELDS}
        if before == values:
            counts.unchanged += 1
            continue
        for name, value in values.items():
            setattr(enrolment, name, value)
        changed.append(enrolment)
        if row.deleted:
            counts.ended += 1
        else:
            counts.updated += 1
    # ignore_conflicts: two rows for the same person, class, role and start are one enrolment
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    Enrolment.objects.bulk_update(changed, list(_FIELDS))
    counts.created += len(new)


def end_classes_enrolments(ctx: Context, section_ids: list[int]) -> None:
    """A class marked tobedeleted ends with its enrolments."""
    if section_ids:
        end_enrolments(ctx, Q(section_id__in=section_ids))
