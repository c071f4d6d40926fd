"""The next-answer protocol: fit on training students, predict every test answer from that student's
earlier answers only, score the predictions, and time the online update.

Also the offline views reused elsewhere: metrics by skill and learning curves (observed and predicted
correctness by practice opportunity).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cairn.engine.evaluation.metrics import FloatArray, IntArray, Reliability, all_metrics, auc, reliability
from cairn.engine.kt.base import LearnerModel, Response
from cairn.engine.kt.data import StudentSequence
from cairn.engine.kt.features import prior_counts


@dataclass
class Evaluation:
    """Everything one run of the protocol measured."""

    model: str
    metrics: dict[str, float]
    fit_s: float
    update_ms_median: float
    update_ms_p99: float
    n_train_students: int
    n_test_students: int
    n_test_answers: int
    y: IntArray = field(repr=False)
    p: FloatArray = field(repr=False)
    skills: IntArray = field(repr=False)
    opportunity: IntArray = field(repr=False)

    def summary(self) -> dict[str, Any]:
        """The flat figures: what ``cairn evaluate`` prints as its last line."""
        return {
            "model": self.model,
            **{k: round(v, 6) for k, v in self.metrics.items()},
            "fit_s": round(self.fit_s, 3),
            "update_ms_median": round(self.update_ms_median, 6),
            "update_ms_p99": round(self.update_ms_p99, 6),
            "n_train_students": self.n_train_students,
            "n_test_students": self.n_test_students,
            "n_test_answers": self.n_test_answers,
        }

    def reliability(self, bins: int = 10) -> Reliability:
        return reliability(self.y, self.p, bins)


def time_updates(
    model: LearnerModel, sequences: Sequence[StudentSequence], max_updates: int = 20_000
) -> tuple[float, float]:
    """Median and p99 wall time (ms) of one :meth:`LearnerModel.update`, over real answer sequences."""
    times: list[float] = []
    clock = time.perf_counter
    for seq in sequences:
        state = model.initial_state()
        for s, c in zip(seq.skills.tolist(), seq.correct.tolist(), strict=True):
            response = Response(s, c)
            t0 = clock()
            state = model.update(state, response)
            times.append(clock() - t0)
            if len(times) >= max_updates:
                break
        if len(times) >= max_updates:
            break
    if not times:
        return float("nan"), float("nan")
    ms = np.asarray(times) * 1000.0
    return float(np.median(ms)), float(np.percentile(ms, 99))


def evaluate(
    model: LearnerModel,
    train: Sequence[StudentSequence],
    test: Sequence[StudentSequence],
    *,
    progress: bool = False,
) -> Evaluation:
    """Fit ``model`` on ``train`` and score it on ``test`` by the next-answer protocol."""
    t0 = time.perf_counter()
    model.fit(train, progress=progress)
    fit_s = time.perf_counter() - t0
    preds = model.predict_sequences(test)
    y = np.concatenate([s.correct for s in test]).astype(np.int64)
    p = np.concatenate(preds).astype(np.float64)
    skills = np.concatenate([s.skills for s in test]).astype(np.int64)
    opportunity = np.concatenate([sum(prior_counts(s.skills, s.correct)) for s in test]).astype(np.int64)
    median_ms, p99_ms = time_updates(model, test)
    return Evaluation(
        model=model.name,
        metrics=all_metrics(y, p),
        fit_s=fit_s,
        update_ms_median=median_ms,
        update_ms_p99=p99_ms,
        n_train_students=len(train),
        n_test_students=len(test),
        n_test_answers=int(y.size),
        y=y,
        p=p,
        skills=skills,
        opportunity=opportunity,
    )


def metrics_by_skill(
    y: IntArray, p: FloatArray, skills: IntArray, min_answers: int = 50
) -> dict[int, dict[str, float]]:
    """AUC, ECE, mean prediction and observed rate per skill with at least ``min_answers`` answers."""
    out: dict[int, dict[str, float]] = {}
    for s in np.unique(skills).tolist():
        m = skills == s
        if int(m.sum()) < min_answers:
            continue
        out[int(s)] = {
            "n": int(m.sum()),
            "auc": auc(y[m], p[m]),
            "ece": reliability(y[m], p[m]).ece,
            "predicted": float(p[m].mean()),
            "observed": float(y[m].mean()),
        }
    return out


@dataclass(frozen=True)
class LearningCurve:
    """Correctness by practice opportunity (0 = first answer on a skill): observed and predicted."""

    opportunity: IntArray
    count: IntArray
    observed: FloatArray
    predicted: FloatArray


def learning_curve(
    y: IntArray, p: FloatArray, opportunity: IntArray, max_opportunity: int = 20
) -> LearningCurve:
    """Averages over all answers at each opportunity count up to ``max_opportunity``."""
    op = np.minimum(opportunity, max_opportunity)
    count = np.bincount(op, minlength=max_opportunity + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.bincount(op, y.astype(np.float64), max_opportunity + 1) / count
        predicted = np.bincount(op, p, max_opportunity + 1) / count
    return LearningCurve(np.arange(max_opportunity + 1), count.astype(np.int64), observed, predicted)
