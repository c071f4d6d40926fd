"""Start Django from the command line, creating and migrating the database on first use."""

from __future__ import annotations

import os


def setup_django(*, migrate: bool = True, verbosity: int = 0) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.project.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", interactive=False, verbosity=verbosity)
