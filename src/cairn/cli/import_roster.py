"""``cairn import oneroster PATH --district NAME [--dry-run] [--force]``: a district's roster from its SIS.

Readable lines first, then, as the last line of stdout, one JSON object (``refused``, ``reason`` when
refused, ``skipped``, and ``orgs``/``users``/``classes``/``enrollments`` each with created, updated,
unchanged and ended). Exit status 0 when imported (or, in a dry run, importable), 1 when refused."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cairn.accounts.models import District
    from cairn.accounts.rosters.report import RosterReport


def run(args: argparse.Namespace, district: District | None) -> int:
    """Import for ``district``; a district not there yet (a first install) is created with the roster, and
    not kept when the import is refused or only a dry run."""
    from django.db import transaction
    from django.utils.text import slugify

    from cairn.accounts.models import District

    if not args.district:
        print("cairn import oneroster: say which district with --district NAME", file=sys.stderr)
        return 2
    with transaction.atomic():
        if district is None:
            slug = slugify(args.district)[:80] or "district"
            district = District.objects.create(name=args.district, slug=slug)
            print(f"New district {district.name} ({district.slug}), kept if the roster imports")
        report = _import(args, district)
        transaction.set_rollback(args.dry_run or report.refused)
    for line in report.lines():
        print(line)
    print(json.dumps(report.as_json()))
    return 1 if report.refused else 0


def _import(args: argparse.Namespace, district: District) -> RosterReport:
    from tqdm import tqdm

    from cairn.accounts.rosters.apply import apply_roster
    from cairn.accounts.rosters.csv_package import CsvPackage
    from cairn.accounts.rosters.report import RosterReport
    from cairn.core.errors import Invalid

    try:
        package = CsvPackage(args.path)
    except Invalid as refused:
        report = RosterReport(source=args.path.name, dry_run=args.dry_run)
        report.refuse(str(refused))
        return report
    bars: dict[str, tqdm] = {}  # type: ignore[type-arg]

    def progress(entity: str, done: int, total: int | None) -> None:
        if args.no_progress:
            return
        bar = bars.get(entity)
        if bar is None:
            bar = bars[entity] = tqdm(desc=entity, total=total, unit=" rows", file=sys.stderr, leave=False)
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    try:
        return apply_roster(district, package, dry_run=args.dry_run, force=args.force, progress=progress)
    finally:
        package.close()
        for bar in bars.values():
            bar.close()
