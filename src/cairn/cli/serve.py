"""``cairn serve``: a production-style server (gunicorn, several worker processes)."""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "serve",
        help="serve with gunicorn worker processes (production style; run `cairn manage migrate` first)",
    )
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2 + 1))
    p.add_argument("--threads", type=int, default=1)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.project.settings")
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "cairn.project.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        "-",
    ]
    os.execv(sys.executable, argv)
    return 0  # not reached
