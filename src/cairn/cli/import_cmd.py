"""``cairn import case|competencies|content|qti|oneroster PATH``: standards, content, items and rosters.

Works on a fresh install (creates and migrates the database first). A content import is all-or-nothing: on
any problem nothing is written, every problem is listed (file, row or path, field) and the exit status is 1.
A roster (``oneroster``, see ``cairn.cli.import_roster``) skips and lists rows that refer to missing records
and refuses only a structurally broken package. ``--dry-run`` does the whole import and writes nothing.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up only once the command runs
    from cairn.accounts.models import District, User
    from cairn.curriculum.importers import ImportReport

KINDS = {
    "case": "a CASE 1.0 CFPackage (JSON): framework, competencies, hierarchy, prerequisites and links",
    "competencies": "competencies from CSV (framework, code, statement, grades, parent, prerequisites)",
    "content": "library content from CSV (identifier, title, kind, url/body, competencies, ...)",
    "qti": "QTI 2.1 or 3.0 items: one XML file, a folder or a zip (choice and text-entry interactions)",
    "oneroster": "a OneRoster 1.1 or 1.2 CSV package (zip or folder), bulk or delta, for --district",
    "scores": "outside test scores, CSV (student, assessment, window/date, subject, score), for --district",
    "demographics": "students' demographics: OneRoster demographics.csv (+ frl, ell, iep, 504), --district",
}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="import standards (CASE, CSV), content (CSV), items (QTI) or rosters (OneRoster)",
        description="Import into the curriculum library. Nothing is written unless the whole file is valid; "
        "importing the same file again updates in place.",
    )
    p.add_argument("kind", choices=sorted(KINDS), help="; ".join(f"{k}: {v}" for k, v in KINDS.items()))
    p.add_argument(
        "path",
        type=_path_or_url,
        help="the file (or, for qti, a folder or zip; for case, also a provider's …/CFPackages/{id} URL)",
    )
    p.add_argument(
        "--approve",
        action="store_true",
        help="content and qti: approve new entries (a trusted source) instead of sending them to review",
    )
    p.add_argument("--owner", help="content and qti: username of the person who owns the new entries")
    p.add_argument(
        "--competency",
        action="append",
        default=[],
        metavar="CODE",
        help="qti: align every imported item to this competency (code or identifier); repeatable",
    )
    p.add_argument("--district", help="the district (slug or name) the import is for; needed for oneroster")
    p.add_argument("--dry-run", action="store_true", help="do the whole import, report it, write nothing")
    p.add_argument(
        "--force",
        action="store_true",
        help="oneroster: import even when over 10%% of a file's rows are skipped",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def _path_or_url(text: str) -> Path | str:
    """A URL stays text (a Path would fold its '//'); anything else is a path."""
    return text if text.startswith(("http://", "https://")) else Path(text)


def run(args: argparse.Namespace) -> int:
    path: Path | str = args.path
    if isinstance(path, str) and args.kind != "case":
        print(f"cairn import {args.kind}: a URL is accepted only for case", file=sys.stderr)
        return 2
    if isinstance(path, Path) and not path.exists():
        print(f"cairn import: no such file or folder: {path}", file=sys.stderr)
        return 2
    from cairn.cli.django_setup import setup_django

    setup_django(migrate=True, verbosity=0)
    from django.db import transaction

    from cairn.accounts.models import User
    from cairn.core.errors import CairnError

    district = find_district(args.district) if args.district else None
    if args.kind == "oneroster":
        from cairn.cli import import_roster

        return import_roster.run(args, district)
    if args.district and district is None:
        print(f"cairn import: no district with the slug or name {args.district!r}", file=sys.stderr)
        return 2
    owner = None
    if args.owner:
        owner = User.objects.filter(username=args.owner).first()
        if owner is None:
            print(f"cairn import: no user named {args.owner!r}", file=sys.stderr)
            return 2
    try:
        with transaction.atomic():  # a dry run does it all, then rolls back
            report = _import(args, owner, district)
            transaction.set_rollback(args.dry_run)
    except CairnError as refused:  # a refused import names every problem and has written nothing
        print(f"cairn import {args.kind}: {refused}", file=sys.stderr)
        return 1
    _print_report(path, report, dry_run=args.dry_run)
    return 0


def find_district(name: str) -> District | None:
    from cairn.accounts.models import District

    return District.objects.filter(slug=name).first() or District.objects.filter(name__iexact=name).first()


def _for_district(
    function: Callable[..., ImportReport], district: District | None
) -> Callable[..., ImportReport]:
    """The import, told the district when it takes one (content belongs to a district once owned)."""
    if district is not None and "district" in inspect.signature(function).parameters:
        return functools.partial(function, district=district)
    if district is not None:
        print(f"note: {function.__name__} imports into the shared library (no district)", file=sys.stderr)
    return function


def _import(args: argparse.Namespace, owner: User | None, district: District | None) -> ImportReport:
    """Run the import the command names, with a progress bar on stderr unless asked not to."""
    from tqdm import tqdm

    from cairn.curriculum.services import frameworks, imports

    def progress(iterable: Iterable[Any], description: str, total: int) -> Iterable[Any]:
        if args.no_progress:
            return iterable
        return tqdm(iterable, desc=description, total=total, unit=" rows", file=sys.stderr, leave=False)

    if args.kind == "case":
        return _for_district(frameworks.import_case, district)(args.path, progress=progress)
    if args.kind == "competencies":
        return _for_district(frameworks.import_competencies_csv, district)(args.path, progress=progress)
    if args.kind == "content":
        content = _for_district(imports.import_content_csv, district)
        return content(args.path, owner=owner, approve=args.approve, progress=progress)
    if args.kind == "scores":  # all-or-nothing, for one district
        from cairn.core.errors import Invalid
        from cairn.leaders.importers.scores import import_scores

        if district is None:
            raise Invalid("scores are imported for a district: add --district NAME")
        return import_scores(args.path, district=district)
    if args.kind == "demographics":  # leaders only; all-or-nothing, for one district
        from cairn.core.errors import Invalid
        from cairn.leaders.importers.demographics import import_demographics

        if district is None:
            raise Invalid("demographics are imported for a district: add --district NAME")
        return import_demographics(args.path, district=district)
    return _for_district(imports.import_qti, district)(
        args.path, competencies=args.competency, approve=args.approve, owner=owner, progress=progress
    )


def _print_report(path: Path | str, report: ImportReport, *, dry_run: bool = False) -> None:
    verb = "Would import (dry run, nothing written)" if dry_run else "Imported"
    print(f"{verb} {path.name if isinstance(path, Path) else path}:")
    for kind in sorted(set(report.created) | set(report.updated)):
        new, seen = report.created.get(kind, 0), report.updated.get(kind, 0)
        print(f"  {kind}: {new} new, {seen} already there (updated)")
    if report.skipped:
        print(f"  skipped {len(report.skipped)} item(s):")
        for line in report.skipped:
            print(f"    {line}")
