"""``apply_roster``: write a roster into a district, all of it or nothing, and say what happened.

The passes run in ``source.ENTITIES`` order, each streaming its rows in chunks with the lookups it needs
preloaded, so memory follows the district (its schools, classes and the sourced ids of its people), not the
file. A row that refers to something missing is skipped and listed, and the rest imports; a structural
problem (``Invalid`` from the source) or more than 10% of a file's rows skipped (unless ``force``) refuses
the whole package and writes nothing. A dry run does it all and rolls back. New people with an email are
invited to set a password once the import commits (never in a dry run)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, User
from cairn.accounts.rosters import enrolments, invitations, people, places
from cairn.accounts.rosters.context import Context, Progress
from cairn.accounts.rosters.report import RosterReport
from cairn.accounts.rosters.source import RosterSource
from cairn.core.errors import Invalid


def apply_roster(
    district: District,
    source: RosterSource,
    *,
    dry_run: bool = False,
    force: bool = False,
    by: User | None = None,
    progress: Progress | None = None,
) -> RosterReport:
    report = RosterReport(source=source.name, version=source.version, dry_run=dry_run)
    ctx = Context(district, source, report, today=timezone.localdate(), by=by, progress=progress)
    try:
        with transaction.atomic():
            _apply(ctx)
            refusal = "" if force else report.too_many_skipped()
            if refusal:
                report.refuse(refusal)
            if report.refused or dry_run:
                transaction.set_rollback(True)
            elif ctx.new_people:
                transaction.on_commit(partial(_invite, list(ctx.new_people)))
    except Invalid as refused:  # a structural problem met while reading: the transaction rolled back
        report.refuse(str(refused))
    report.notes[:0] = source.notes
    report.invited = len(ctx.new_people) if not report.refused else 0
    return report


def _apply(ctx: Context) -> None:
    places.apply_orgs(ctx)
    places.read_terms(ctx)
    places.read_courses(ctx)
    ended = places.apply_classes(ctx)
    enrolments.end_classes_enrolments(ctx, ended)
    people.apply_users(ctx)
    people.apply_roles(ctx)
    people.link_guardians(ctx)
    enrolments.apply_enrolments(ctx)
    demographics = sum(1 for _ in ctx.rows("demographics"))
    if demographics:
        ctx.report.notes.append(f"demographics.csv: {demographics} rows read; Cairn keeps no demographics")


def _invite(user_ids: list[int]) -> None:
    """After commit, in this process: on the page the import already runs as a background task, and the
    command and the nightly sync are background work themselves."""
    for start in range(0, len(user_ids), 500):
        invitations.send_invitations(user_ids[start : start + 500])
