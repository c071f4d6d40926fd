"""``cairn manage check_links``: check every content link now (for cron, where Celery beat isn't used)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cairn.curriculum.tasks import check_links


class Command(BaseCommand):
    help = (
        "Check every external content link (or the given content's): record each result, flag broken "
        "content and tell its owner. Run it nightly from cron, or schedule the cairn.curriculum.check_links "
        "Celery task."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content", type=int, action="append", metavar="ID", help="only this content")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = check_links(options["content"], timeout=options["timeout"])
        self.stdout.write(
            f"Checked {counts['checked']} link(s): {counts['ok']} working, {counts['broken']} broken."
        )
