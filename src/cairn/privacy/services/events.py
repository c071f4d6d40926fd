"""The one call site for privacy's audit events (requests logged, approved, fulfilled; exports; erasures;
staff leaving): each becomes a row of the append-only audit trail (cairn.core.audit)."""

from __future__ import annotations

from typing import Any

from cairn.accounts.models import User
from cairn.core import audit
from cairn.core.models import AuditAction

_ACTIONS = {
    "export": AuditAction.EXPORTED,
    "export_downloaded": AuditAction.EXPORTED,
    "offboard_staff": AuditAction.ROLE_CHANGED,
}


def _audit(step: str, *, actor: User | None, subject_id: int | None, **details: Any) -> None:
    """Record a privacy step: who (actor) did what (step) about whom (subject, by id). Never a name: the
    subject may be about to be erased, and the trail outlives them."""
    district = details.pop("district_id", None)
    audit.record(
        _ACTIONS.get(step, AuditAction.PRIVACY_REQUEST),
        actor=actor,
        student=subject_id,
        district=district,
        detail={"step": step, **details},
    )
