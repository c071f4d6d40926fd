"""Background work for xAPI: draining the outbox to the district's LRS (beat runs it every minute)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import shared_task


@shared_task(name="cairn.xapi.send_outbox")
def send_outbox() -> dict[str, Any]:
    """Send the statements waiting in the outbox; those the LRS did not take wait for the next run."""
    from cairn.xapi import outbox

    return asdict(outbox.send_pending())
