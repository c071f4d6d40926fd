"""Background work for learning: refitting the learner model from the platform's own answers."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="cairn.learning.refit_learner_model")
def refit_learner_model() -> dict[str, int]:
    """Refit per-competency BKT parameters from all first-try answers (schedule it nightly with beat)."""
    from cairn.learning import learner

    return learner.refit()
