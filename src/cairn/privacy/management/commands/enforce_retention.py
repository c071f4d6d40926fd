"""``cairn manage enforce_retention``: the nightly retention run, for deployments that use cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cairn.privacy.services.retention import enforce_retention


class Command(BaseCommand):
    help = "Erase students whose classes all ended longer ago than their district keeps data."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = enforce_retention()
        self.stdout.write(
            f"Erased {counts['erased']} students; deleted {counts['exports_deleted']} expired exports."
        )
