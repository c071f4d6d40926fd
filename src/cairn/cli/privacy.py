"""``cairn privacy export USERNAME --out DIR`` and ``cairn privacy erase USERNAME --yes``: a family's data
rights from the command line (district admins also have pages for them, under /privacy/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "privacy",
        help="export or erase everything Cairn holds about one person",
        description="A family's data rights: write out everything about a person, or erase them.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write everything about a person: JSON per part, and a README")
    export.add_argument("username")
    export.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write the export in"
    )
    erase = actions.add_parser(
        "erase", help="erase a person: their own data deleted, what districts count kept without their name"
    )
    erase.add_argument("username")
    erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "erase" and not args.yes:
        print(
            f"cairn privacy erase: erasing {args.username} cannot be undone; add --yes to do it.",
            file=sys.stderr,
        )
        return 2
    from cairn.cli.django_setup import setup_django

    setup_django(migrate=True, verbosity=0)
    from cairn.core.errors import CairnError
    from cairn.privacy.services.erasure import erase_person
    from cairn.privacy.services.export import export_person, person_by_username

    try:
        person = person_by_username(args.username)
        if args.action == "export":
            folder = export_person(person, out_dir=args.out)
            print(f"Wrote everything about {args.username} to {folder} (start with README.txt).")
        else:
            erase_person(person, reason="command")
            print(f"Erased {args.username}: nothing names them any more.")
    except CairnError as exc:
        print(f"cairn privacy {args.action}: {exc.message}", file=sys.stderr)
        return 1
    return 0
