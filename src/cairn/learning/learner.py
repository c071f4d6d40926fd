"""The learner model as the web app uses it: one compact JSON state per student, updated in O(1) per answer.

The app needs a per-competency mastery estimate with its uncertainty (the district's mastery policy is a
threshold on it), a prediction of the next answer (the board aims at 70–85% success) and parameters fitted
from the platform's own answers. Bayesian Knowledge Tracing gives exactly that, per competency: P(known),
learn, guess, slip, with the update math of :mod:`cairn.engine.kt.bkt` (one place for it). Parameters come
from the newest LearnerModelFit, written by :func:`refit` (a background task, also run after the demo
loads); competencies it doesn't cover use population priors until they have answers of their own.

State: {"p": {code: P(known)}, "n": {code: answers}}.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

from cairn.engine.kt.bkt import BKT, posterior_known
from cairn.engine.kt.data import sequences_from_records

MODEL_NAME = "bkt"


@dataclass(frozen=True)
class SkillParams:
    p_init: float = 0.2
    p_learn: float = 0.15
    p_guess: float = 0.2
    p_slip: float = 0.1


PRIOR = SkillParams()
# A competency needs this many first-try answers before its own fitted parameters replace the priors.
MIN_ANSWERS_TO_FIT = 30
# Parameters change only when a refit lands; each process re-reads the newest fit at most every 30 s.
REFRESH_S = 30.0
_cache: dict[str, Any] = {"fit_id": None, "params": {}, "checked": -math.inf}


def model_name() -> str:
    return MODEL_NAME


def refresh(force: bool = False) -> None:
    from cairn.learning.models import LearnerModelFit

    now = time.monotonic()
    if not force and now - _cache["checked"] < REFRESH_S:
        return
    fit = LearnerModelFit.objects.filter(model_name=MODEL_NAME).only("pk").first()
    fit_id = fit.pk if fit else None
    if _cache["fit_id"] != fit_id:
        params = LearnerModelFit.objects.get(pk=fit_id).params if fit_id else {}
        _cache.update(fit_id=fit_id, params={k: SkillParams(**v) for k, v in params.items()})
    _cache["checked"] = now


def _params(code: str) -> SkillParams:
    refresh()
    found: SkillParams = _cache["params"].get(code, PRIOR)
    return found


def initial_state() -> dict[str, Any]:
    return {"p": {}, "n": {}}


def _known(state: dict[str, Any], code: str) -> float:
    return float(state.get("p", {}).get(code, _params(code).p_init))


def predict(state: dict[str, Any], code: str) -> float:
    prm = _params(code)
    known = _known(state, code)
    return known * (1 - prm.p_slip) + (1 - known) * prm.p_guess


def update(state: dict[str, Any], code: str, correct: bool) -> dict[str, Any]:
    prm = _params(code)
    after = posterior_known(_known(state, code), int(correct), prm.p_learn, prm.p_guess, prm.p_slip)
    p = dict(state.get("p", {}))
    n = dict(state.get("n", {}))
    p[code] = round(after, 6)
    n[code] = int(n.get(code, 0)) + 1
    return {"p": p, "n": n}


def mastery(state: dict[str, Any], code: str) -> tuple[float, float]:
    """P(known) and its standard deviation as a Bernoulli (the model's own uncertainty about the state)."""
    known = _known(state, code)
    return known, math.sqrt(known * (1 - known))


def refit() -> dict[str, int]:
    """Fit BKT per competency on every student's first tries, in the order answered, and make it the
    model in use. Competencies with fewer than MIN_ANSWERS_TO_FIT answers keep the priors."""
    from django.db.models import Count

    from cairn.learning.models import Attempt, LearnerModelFit

    first_tries = Attempt.objects.filter(try_number=1)
    codes = dict(first_tries.values_list("competency_id", "competency__code").distinct())
    counts = dict(
        first_tries.values("competency_id").annotate(n=Count("id")).values_list("competency_id", "n")
    )
    records = first_tries.order_by("created_at", "pk").values_list(
        "student_id", "competency_id", "correct", "created_at"
    )
    sequences = sequences_from_records((s, c, int(y), t.timestamp()) for s, c, y, t in records.iterator())
    if not sequences:
        return {"competencies": 0, "answers": 0}
    model = BKT().fit(sequences)
    params = {
        codes[skill]: asdict(SkillParams(p["prior"], p["learn"], p["guess"], p["slip"]))
        for skill, p in model.parameters().items()
        if counts.get(skill, 0) >= MIN_ANSWERS_TO_FIT
    }
    n = sum(counts.values())
    LearnerModelFit.objects.create(model_name=MODEL_NAME, params=params, n_attempts=n)
    refresh(force=True)
    return {"competencies": len(params), "answers": n}
