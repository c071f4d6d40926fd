"""``cairn import case|competencies|content|qti PATH``: import standards, content and items.

Works on a fresh install (creates and migrates the database first). An import is all-or-nothing: on any
problem nothing is written, every problem is listed (file, row or path, field) and the exit status is 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up only once the command runs
    from cairn.accounts.models import User
    from cairn.curriculum.importers import ImportReport

KINDS = {
    "case": "a CASE 1.0 CFPackage (JSON): framework, competencies, hierarchy, prerequisites and links",
    "competencies": "competencies from CSV (framework, code, statement, grades, parent, prerequisites)",
    "content": "library content from CSV (identifier, title, kind, url/body, competencies, ...)",
    "qti": "QTI 2.1 or 3.0 items: one XML file, a folder or a zip (choice and text-entry interactions)",
}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="import standards (CASE, CSV), content (CSV) or items (QTI)",
        description="Import into the curriculum library. Nothing is written unless the whole file is valid; "
        "importing the same file again updates in place.",
    )
    p.add_argument("kind", choices=sorted(KINDS), help="; ".join(f"{k}: {v}" for k, v in KINDS.items()))
    p.add_argument("path", type=Path, help="the file (or, for qti, a folder or zip)")
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
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.exists():
        print(f"cairn import: no such file or folder: {path}", file=sys.stderr)
        return 2
    from cairn.cli.django_setup import setup_django

    setup_django(migrate=True, verbosity=0)
    from cairn.accounts.models import User
    from cairn.core.errors import CairnError

    owner = None
    if args.owner:
        owner = User.objects.filter(username=args.owner).first()
        if owner is None:
            print(f"cairn import: no user named {args.owner!r}", file=sys.stderr)
            return 2
    try:
        report = _import(args, owner)
    except CairnError as refused:  # a refused import names every problem and has written nothing
        print(f"cairn import {args.kind}: {refused}", file=sys.stderr)
        return 1
    _print_report(path, report)
    return 0


def _import(args: argparse.Namespace, owner: User | None) -> ImportReport:
    """Run the import the command names, with a progress bar on stderr unless asked not to."""
    from tqdm import tqdm

    from cairn.curriculum.services import frameworks, imports

    def progress(iterable: Iterable[Any], description: str, total: int) -> Iterable[Any]:
        if args.no_progress:
            return iterable
        return tqdm(iterable, desc=description, total=total, unit=" rows", file=sys.stderr, leave=False)

    if args.kind == "case":
        return frameworks.import_case(args.path, progress=progress)
    if args.kind == "competencies":
        return frameworks.import_competencies_csv(args.path, progress=progress)
    if args.kind == "content":
        return imports.import_content_csv(args.path, owner=owner, approve=args.approve, progress=progress)
    return imports.import_qti(
        args.path, competencies=args.competency, approve=args.approve, owner=owner, progress=progress
    )


def _print_report(path: Path, report: ImportReport) -> None:
    print(f"Imported {path.name}:")
    for kind in sorted(set(report.created) | set(report.updated)):
        new, seen = report.created.get(kind, 0), report.updated.get(kind, 0)
        print(f"  {kind}: {new} new, {seen} already there (updated)")
    if report.skipped:
        print(f"  skipped {len(report.skipped)} item(s):")
        for line in report.skipped:
            print(f"    {line}")
