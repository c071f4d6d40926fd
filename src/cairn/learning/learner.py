"""The learner model as the web app uses it: a thin adapter over the engine's :class:`AppModel`.

Everything a student or teacher sees about what a student knows (mastery and its uncertainty, the board's
"about right" difficulty, the mastery policy's threshold) comes from the engine's ``"app"`` model, through
the same methods ``cairn evaluate --model app`` calls: :meth:`AppModel.predict` before an answer,
:meth:`AppModel.update` with it, :meth:`AppModel.skill_mastery` after. This module only maps the app's
rows onto the engine's plain data:

* a competency is a skill, by its primary key;
* the model in use is the newest :class:`LearnerModelFit` of ``"app"`` (the engine's saved model, written
  by :func:`refit`, the nightly task), or, before any refit, the engine's cold-start model on its priors;
  each process re-reads the newest fit at most every ``REFRESH_S`` seconds, with the curriculum's
  prerequisite edges (the model's transfer between competencies), so an answer costs no query for it;
* a student's state is the engine's :class:`KTState`, stored as ``{"app": <base64 of its bytes>}`` in
  ``LearnerState.state``. States of the earlier per-competency BKT (``{"p": {code: P(known)}, "n": {code:
  answers}}``), and the ``"p"`` entries the diagnostic's placement wrote beside a state before it seeded the
  model itself, are read by seeding those competencies' P(known): a lazy conversion, folded into the stored
  state by the next write.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import math
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from cairn.engine.kt.app import AppModel
from cairn.engine.kt.base import Evidence, KTState, Mastery, Response
from cairn.engine.kt.data import StudentSequence
from cairn.engine.kt.persist import model_from_bytes, model_to_bytes
from cairn.engine.kt.registry import make_model

MODEL_NAME = "app"
_STATE_KEY = "app"
# Parameters change only when a refit lands; each process re-reads the newest fit at most every 30 s.
REFRESH_S = 30.0
_cache: dict[str, Any] = {"fit_id": None, "model": None, "checked": -math.inf}


def model_name() -> str:
    return MODEL_NAME


# -- the model in use ---------------------------------------------------------------------------------------
def _new_model() -> AppModel:
    """The model ``cairn evaluate --model app`` fits: the registry's, with its default parameters."""
    model = make_model(MODEL_NAME)
    assert isinstance(model, AppModel)
    return model


def prerequisite_graph() -> dict[int, list[int]]:
    """Competency id → its prerequisites' ids: the curriculum's edges, for the model's transfer."""
    from cairn.curriculum.models import Prerequisite

    graph: dict[int, list[int]] = {}
    for competency, prerequisite in Prerequisite.objects.values_list("competency_id", "prerequisite_id"):
        graph.setdefault(competency, []).append(prerequisite)
    return graph


def refresh(force: bool = False) -> None:
    """Load the newest fit (or the cold-start model) when it changed, and the prerequisite edges."""
    from cairn.learning.models import LearnerModelFit

    now = time.monotonic()
    if not force and now - _cache["checked"] < REFRESH_S and _cache["model"] is not None:
        return
    fit = LearnerModelFit.objects.filter(model_name=MODEL_NAME).only("pk").first()
    fit_id = fit.pk if fit else None
    model: AppModel | None = _cache["model"]
    if model is None or _cache["fit_id"] != fit_id:
        blob = None
        if fit_id is not None:
            blob = LearnerModelFit.objects.filter(pk=fit_id).values_list("model", flat=True).first()
        loaded = model_from_bytes(bytes(blob), AppModel) if blob else _new_model().fit([])
        assert isinstance(loaded, AppModel)
        model = loaded
        _cache.update(fit_id=fit_id)
        _decode.cache_clear()
    model.set_prerequisites(prerequisite_graph())
    _cache.update(model=model, checked=now)


def reset() -> None:
    """Forget the loaded model and edges (tests: each starts from the database as it is)."""
    _cache.update(fit_id=None, model=None, checked=-math.inf)
    _decode.cache_clear()


def current_model() -> AppModel:
    """The model the answer loop runs now."""
    refresh()
    model: AppModel = _cache["model"]
    return model


# -- states -------------------------------------------------------------------------------------------------
def initial_state() -> dict[str, Any]:
    """A student with no evidence (stored as JSON in ``LearnerState.state``)."""
    return {}


@functools.lru_cache(maxsize=256)
def _decode(text: str, fit_id: int | None) -> KTState:
    """A stored state, made valid for the fit in use (:meth:`AppModel.adopt`: a predictor's state from an
    earlier fit restarts, the mastery arrays are kept). Cached by its text and the fit: states are treated
    as immutable (the engine returns new ones), so a decoded one can be shared."""
    model = current_model()
    return model.adopt(model.state_from_bytes(base64.b64decode(text)))


def engine_state(state: Mapping[str, Any] | None) -> KTState:
    """The engine's state of a stored one (see the module docstring for the older forms it reads)."""
    state = state or {}
    text = state.get(_STATE_KEY)
    model = current_model()
    kt = _decode(text, _cache["fit_id"]) if isinstance(text, str) else model.initial_state()
    seeded = state.get("p")
    if isinstance(seeded, dict) and seeded:
        kt = _seed_codes(kt, seeded, state.get("n") or {})
    return kt


def stored(kt: KTState) -> dict[str, Any]:
    text = base64.b64encode(current_model().state_to_bytes(kt)).decode("ascii")
    return {_STATE_KEY: text}


def _seed_codes(kt: KTState, known: Mapping[str, Any], answers: Mapping[str, Any]) -> KTState:
    """Seed P(known) of competencies named by code (old BKT states, placement): one query, rare."""
    from cairn.curriculum.models import Competency

    ids: dict[str, list[int]] = {}
    for pk, code in Competency.objects.filter(code__in=list(known)).values_list("pk", "code"):
        ids.setdefault(code, []).append(pk)
    for code, p in known.items():
        for pk in ids.get(code, []):
            kt = current_model().set_known(kt, pk, float(p), n=int(answers.get(code, 0) or 0))
    return kt


def forget(state: Mapping[str, Any], competency_id: int) -> dict[str, Any]:
    """The state without any evidence on one competency (a teacher's reset). The engine has no "remove a
    skill" of its own: the per-skill arrays are those its state documents (skills, known, ev, n, at)."""
    kt = engine_state(state)
    keep = kt["skills"] != competency_id
    arrays = dict(kt.arrays)
    for name in ("skills", "known", "ev", "n", "at"):
        arrays[name] = arrays[name][keep]
    return stored(KTState(kt.model, arrays))


# -- what the app asks ---------------------------------------------------------------------------------------
def _seconds(at: dt.datetime | None) -> float | None:
    return at.timestamp() if at is not None else None


def predict(
    state: Mapping[str, Any] | None,
    competency_id: int,
    *,
    item: int | None = None,
    at: dt.datetime | None = None,
) -> float:
    """P(right) on the next answer to the competency (on ``item``, at time ``at``, when given)."""
    return current_model().predict(engine_state(state), competency_id, item=item, now=_seconds(at))


def evidence(
    competency_id: int,
    correct: float,
    *,
    source: str = "answer",
    weight: float = 1.0,
    at: dt.datetime | None = None,
    item: int | None = None,
    hinted: bool = False,
) -> Evidence:
    """The engine's one evidence type for a competency (raises ValueError on values out of range)."""
    return Evidence(
        competency_id, float(correct), weight=weight, source=source, at=_seconds(at), item=item, hinted=hinted
    )


def apply(state: Mapping[str, Any] | None, piece: Evidence | Response) -> dict[str, Any]:
    """The stored state after one piece of evidence (:meth:`AppModel.update`)."""
    return stored(current_model().update(engine_state(state), piece))


def update(
    state: Mapping[str, Any] | None,
    competency_id: int,
    correct: bool,
    *,
    hinted: bool = False,
    at: dt.datetime | None = None,
    item: int | None = None,
) -> dict[str, Any]:
    """The state after an answer to a Cairn item (after a hint it counts as weaker evidence)."""
    return apply(state, evidence(competency_id, float(correct), at=at, item=item, hinted=hinted))


def skill_mastery(
    state: Mapping[str, Any] | None, competency_id: int, *, at: dt.datetime | None = None
) -> Mastery:
    return current_model().skill_mastery(engine_state(state), competency_id, now=_seconds(at))


def mastery(
    state: Mapping[str, Any] | None, competency_id: int, *, at: dt.datetime | None = None
) -> tuple[float, float]:
    """P(known) and its SD from the evidence (a Beta posterior over the weighted right and wrong answers:
    it shrinks with consistent evidence and grows with inconsistent), not from how close P is to 0 or 1."""
    found = skill_mastery(state, competency_id, at=at)
    return found.p, found.sd


# -- the nightly refit ---------------------------------------------------------------------------------------
def training_sequences() -> list[StudentSequence]:
    """Every student's first tries, in the order answered: what the refit fits. An answer given after a
    hint is a wrong answer here, as in the research logs the models are built on (ASSISTments scores a
    first-attempt hint request as incorrect); the answer loop counts it as weaker evidence instead."""
    from cairn.learning.models import Attempt

    rows = (
        Attempt.objects.filter(try_number=1)
        .order_by("student_id", "created_at", "pk")
        .values_list("student_id", "competency_id", "correct", "hints_used")
    )
    skills: dict[int, list[int]] = {}
    correct: dict[int, list[int]] = {}
    for student, competency, right, hints in rows.iterator():
        skills.setdefault(student, []).append(competency)
        correct.setdefault(student, []).append(int(right and not hints))
    return [StudentSequence.of(str(s), skills[s], correct[s]) for s in skills]


def refit() -> dict[str, Any]:
    """Fit the app model on every student's first tries (exactly what ``cairn evaluate --model app`` fits
    from a train file; the engine compares its candidates on held-out students inside ``fit``), store it
    with the figures of that choice, and make it the model in use."""
    from cairn.learning.models import LearnerModelFit

    sequences = training_sequences()
    if not sequences:
        return {"competencies": 0, "answers": 0}
    model = _new_model().fit(sequences)
    answers = sum(len(s) for s in sequences)
    own = sum(1 for row in model.parameters().values() if row["own"])
    LearnerModelFit.objects.create(
        model_name=MODEL_NAME,
        params={"competencies_with_own_parameters": own},
        model=model_to_bytes(model),
        selection=_jsonable(model.selection_),
        n_attempts=answers,
        n_students=len(sequences),
    )
    refresh(force=True)
    return {"competencies": own, "answers": answers, "chosen": model.chosen_}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
