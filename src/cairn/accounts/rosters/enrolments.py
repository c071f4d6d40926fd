"""The roster's enrolments: who is in or teaches which class, from when to when. ``tobedeleted`` ends an
enrolment (its end date set), never deletes it: what the student did in the class stays theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Q

from cairn.accounts.models import Enrolment
from cairn.accounts.rosters.context import Context, chunks
from cairn.accounts.rosters.people import end_enrolments, lookup_people
from cairn.accounts.rosters.source import RosterRow
from cairn.accounts.rosters.values import parse_date

KINDS = {"student": Enrolment.Kind.STUDENT, "teacher": Enrolment.Kind.TEACHER, "aide": Enrolment.Kind.TEACHER}
#: A new enrolment: sourced_id, section id, user id, kind, start, end.
NewRow = tuple[str, int, int, str, dt.date, dt.date | None]
_FIELDS = ("section_id", "user_id", "kind", "start_date", "end_date")


def apply_enrolments(ctx: Context) -> None:
    ignored: dict[str, int] = {}
    for batch in chunks(ctx.rows("enrollments"), 2000):
        _batch(ctx, batch, ignored)
    if ignored:
        roles = ", ".join(f"{role or '(blank)'} ({n})" for role, n in sorted(ignored.items()))
        ctx.report.notes.append(f"enrollments.csv: roles Cairn does not enrol, ignored: {roles}")


def _values(ctx: Context, row: RosterRow) -> dict[str, Any] | None:
    section = ctx.sections.get(row.get("classSourcedId"))
    user = ctx.users.get(row.get("userSourcedId"))
    if section is None:
        ctx.skip(row, f"class {row.get('classSourcedId') or '(blank)'} is not in classes")
        return None
    if user is None and row.get("userSourcedId") in ctx.erased:
        ctx.skip(row, "the person was erased on request")
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
    """One chunk: compared as tuples with what is there, new ones inserted in one statement (the ORM's
    per-object work dominates at 300,000 enrolments)."""
    counts = ctx.report.counts["enrollments"]
    lookup_people(ctx, [row.get("userSourcedId") for row in batch])
    sids = [row.sourced_id for row in batch if row.sourced_id]
    there = Enrolment.objects.filter(sourced_id__in=sids, section__school__district=ctx.district)
    existing = {sid: (pk, tuple(rest)) for sid, pk, *rest in there.values_list("sourced_id", "pk", *_FIELDS)}
    new: list[NewRow] = []
    changed: list[Enrolment] = []
    for row in batch:
        role = row.get("role").lower()
        kind = KINDS.get(role)
        if kind is None:
            ignored[role] = ignored.get(role, 0) + 1
            continue
        values = _values(ctx, row)
        if values is None:
            continue
        if row.deleted:
            values["end_date"] = _ended(ctx, values["start_date"], values["end_date"])
        wanted = (
            values["section_id"],
            values["user_id"],
            kind.value,
            values["start_date"],
            values["end_date"],
        )
        found = existing.get(row.sourced_id) if row.sourced_id else None
        if found is None:
            if not row.deleted:  # one to be deleted that Cairn never had: nothing to do
                new.append((row.sourced_id, *wanted))
            continue
        if found[1] == wanted:
            counts.unchanged += 1
            continue
        changed.append(Enrolment(pk=found[0], **dict(zip(_FIELDS, wanted, strict=True))))
        if row.deleted:
            counts.ended += 1
        else:
            counts.updated += 1
    _insert(new)
    Enrolment.objects.bulk_update(changed, list(_FIELDS))
    counts.created += len(new)


def _insert(rows: list[NewRow]) -> None:
    """Insert enrolments (sourced_id, *_FIELDS); a second row for the same person, class, role and start
    is the same enrolment and is left out (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL)."""
    if not rows:
        return
    qn, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    columns = ", ".join(qn(c) for c in ("sourced_id", *_FIELDS))
    marks = ", ".join(["%s"] * (len(_FIELDS) + 1))
    sql = f"INSERT INTO {qn(Enrolment._meta.db_table)} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"
    params: list[tuple[Any, ...]] = [
        (sid, section, user, kind, adapt(start), adapt(end)) for sid, section, user, kind, start, end in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def end_classes_enrolments(ctx: Context, section_ids: list[int]) -> None:
    """A class marked tobedeleted ends with its enrolments."""
    if section_ids:
        end_enrolments(ctx, Q(section_id__in=section_ids))
