"""``cairn manage sync_roster [--district NAME] [--dry-run]``: pull each active OneRoster REST provider once
and apply its roster (what the nightly beat task does).

Readable lines per district, then, as the last line of stdout, one JSON object like ``cairn import
oneroster``'s (``refused``, ``reason`` when refused, ``skipped``, and ``orgs``/``users``/``classes``/
``enrollments`` counts); with several districts, ``{"refused": any, "districts": {slug: that object}}``. Exit
status 1 when any district's sync was refused or its pull partial."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.rosters import sync


class Command(BaseCommand):
    help = "Pull each active OneRoster REST provider (or one district's) and apply its roster."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--district", default="", help="only this district (name or slug)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, change nothing")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        found = sync.providers(options["district"])
        if not found:
            which = f" for {options['district']!r}" if options["district"] else ""
            raise CommandError(f"No active roster provider{which}.")
        results = {}
        for provider in found:
            report = sync.sync_provider(provider, dry_run=options["dry_run"])
            self.stdout.write(f"{provider.district.name}:")
            for line in report.lines():
                self.stdout.write(line)
            results[provider.district.slug] = report.as_json()
        refused = any(r["refused"] for r in results.values())
        last = (
            next(iter(results.values())) if len(results) == 1 else {"refused": refused, "districts": results}
        )
        self.stdout.write(json.dumps(last))
        if refused:
            raise SystemExit(1)
