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


def demo_environment(host: str) -> None:
    """Settings for a demo on plain HTTP, unless the environment already says otherwise. DEBUG stays off:
    students and teachers try the demo, and they get Cairn's error pages, never Django's debug page (URL
    patterns and all). Cookies may travel over plain HTTP, or the browser would drop the session cookie on
    http://localhost; mail (password resets) is printed to the console; logs are lines a person reads."""
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    os.environ.setdefault("LOG_FORMAT", "text")
    # Without DEBUG Django answers only the hosts it is told; --host 0.0.0.0 shows the demo to the network,
    # where it is reached by whatever name or address the machine has.
    hosts = "*" if host in {"0.0.0.0", "::", ""} else f"localhost,127.0.0.1,[::1],{host}"
    os.environ.setdefault("ALLOWED_HOSTS", hosts)


def run(args: argparse.Namespace) -> int:
    demo_environment(args.host)
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
