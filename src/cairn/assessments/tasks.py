"""Background work for diagnostics: recalibrating item parameters from the recorded answers."""

from __future__ import annotations

from celery import shared_task

from cairn.assessments.services.calibration import calibrate


@shared_task(name="cairn.assessments.calibrate_items")
def calibrate_items(model: str = "2PL", min_responses: int = 50) -> dict[str, object]:
    """Refit item parameters from every finished sitting (schedule it nightly or after each window)."""
    summary = calibrate(model=model, min_responses=min_responses)
    return {
        "run": summary.run.pk if summary.run else None,
        "message": summary.message,
        "flagged": [identifier for identifier, _ in summary.flagged],
    }
