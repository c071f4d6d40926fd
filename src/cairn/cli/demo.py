"""``cairn demo``: migrate, load the demo district, print its logins and serve it on localhost."""

from __future__ import annotations

import argparse
import os


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "demo",
        help="set up the demo district and serve it (SQLite, no server to install)",
        description="Create and migrate the database, load the demo district, print the demo logins and "
        "serve Cairn on http://HOST:PORT.",
    )
    p.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--no-serve", action="store_true", help="set up and load the demo, then exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The demo is a local, single-person install: debug pages and plain-HTTP cookies are what it needs.
    os.environ.setdefault("DEBUG", "1")
    from cairn.cli.django_setup import setup_django

    print("Preparing the database…", flush=True)
    setup_django(migrate=True, verbosity=0)
    from django.core.management import call_command

    call_command("load_demo")
    if args.no_serve:
        return 0
    print(f"\nOpen http://{args.host}:{args.port}/ and log in with one of the accounts above.", flush=True)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0
