"""Background work for privacy: the nightly retention run."""

from __future__ import annotations

from celery import shared_task

from cairn.privacy.services.retention import enforce_retention as enforce


@shared_task(name="cairn.privacy.enforce_retention")
def enforce_retention() -> dict[str, int]:
    """Erase students past their district's retention limit and delete expired export downloads."""
    return enforce()
