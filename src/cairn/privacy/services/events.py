"""The one call site for privacy's audit events (requests logged, approved, fulfilled; exports; erasures).

The audit trail (``cairn.core.audit``) is being built beside this app; until it lands, events go to the
structured log, and this function is the single place to switch to ``audit.record(...)``."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("cairn.privacy")


def _audit(action: str, *, actor_id: int | None, subject_id: int | None, **details: Any) -> None:
    """Record a privacy event: who (actor) did what (action) about whom (subject). Never a name: the
    subject may be about to be erased, and the trail outlives them."""
    log.info("privacy %s", action, extra={"actor_id": actor_id, "subject_id": subject_id, **details})
