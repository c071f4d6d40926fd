"""Background work for learning: refitting the learner model from the platform's own answers."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="cairn.learning.refit_learner_model")
def refit_learner_model() -> dict[str, Any]:
    """Refit the app's learner model on every first-try answer, keeping the candidate that validates best
    on held-out students (scheduled nightly with beat; ``cairn manage refit_learner_model`` runs it now)."""
    from cairn.learning import learner

    return learner.refit()
