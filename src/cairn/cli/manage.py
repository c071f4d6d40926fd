"""``cairn manage ...``: Django's management commands (migrate, createsuperuser, shell, ...)."""

from __future__ import annotations

import argparse
import os


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "manage", help="run a Django management command (e.g. migrate, createsuperuser)", add_help=False
    )
    p.set_defaults(func=run, accepts_extra=True)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cairn manage", *args.extra])
    return 0
