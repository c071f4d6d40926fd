"""Fitting the app model's mastery layer: BKT by EM with every parameter kept in a plausible range.

Why bounded: unbounded EM happily returns degenerate BKT fits (guess above 0.5, slip near 0.5, a prior near
1), in which "known" no longer means knowing and a single answer swings the estimate across the mastery
threshold (issue 16: one hinted right answer took a competency from 0 to 92%). The mastery-learning
literature bounds the emission parameters (Corbett & Anderson, 1995; Baker, Corbett & Aleven, 2008, who
call fits with guess > 0.3 or slip > 0.1 implausible); we do the same in every M-step, and also bound them
from below (no answer is proof: a careless slip happens on ~5% of items a student knows; a right answer
happens by chance, a near miss or a lucky method on ~10% of those they don't), bound the prior (before any
evidence a student is not presumed more likely to know a skill than not) and the learning rate (the
literature's fitted learn rates sit in 0.01-0.3). Within these bounds, one answer from a fresh start stays
below 0.934 and one wrong answer after six right ones above 0.816 (``tests/engine/test_kt_app.py`` checks
every corner of the box).

The forward-backward pass is :mod:`cairn.engine.kt.bkt`'s (one implementation of the E-step); the M-step
here adds the bounds and returns the answer counts per skill, for the cold-start rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cairn.engine.kt.base import AnyArray, FloatArray, IntArray, SkillIndex
from cairn.engine.kt.bkt import _e_step, _ragged_from
from cairn.engine.kt.data import StudentSequence

# (low, high) per parameter; see the module docstring for why.
BOUNDS: dict[str, tuple[float, float]] = {
    "prior": (0.05, 0.5),
    "learn": (0.01, 0.3),
    "guess": (0.1, 0.3),
    "slip": (0.05, 0.1),
}
# Literature defaults (the app's priors so far): what a skill with no data of its own runs on, and the
# centre of the weak Beta priors of the MAP-EM.
DEFAULTS: dict[str, float] = {"prior": 0.2, "learn": 0.15, "guess": 0.2, "slip": 0.1}
PARAMS = ("prior", "learn", "guess", "slip")
BoolArray = npt.NDArray[np.bool_]


@dataclass
class LayerFit:
    """Per-slot parameters (slot 0: the population), the answers per slot and whether a slot uses its own."""

    params: dict[str, FloatArray]
    counts: IntArray
    own: BoolArray


def fit_layer(
    sequences: Sequence[StudentSequence],
    skills: SkillIndex,
    *,
    min_answers: int,
    max_iter: int = 100,
    strength: float = 2.0,
) -> LayerFit:
    """Bounded MAP-EM per skill; skills with fewer than ``min_answers`` answers run on population values.

    The population values (slot 0, used by cold skills and by skills the fit never saw) are the
    answer-weighted means over the skills that have enough answers, or :data:`DEFAULTS` when none has.
    """
    k = skills.size
    params = {name: np.full(k, DEFAULTS[name]) for name in PARAMS}
    counts = np.zeros(k, dtype=np.int64)
    answers = sum(len(s) for s in sequences)
    if answers:
        data = _ragged_from(sequences, skills)
        sk = data.flat_skill
        counts = np.bincount(sk, None, k).astype(np.int64)
        a = strength
        last = -np.inf
        prior, learn, guess, slip = (params[n] for n in PARAMS)
        for _ in range(max_iter):
            ll, g1, xi, _, _ = _e_step(data, prior, learn, guess, slip)
            g0 = 1.0 - g1
            first, nxt, right = data.first, data.has_next, data.obs > 0.5
            prior = _bounded(
                "prior", np.bincount(sk[first], g1[first], k), np.bincount(sk[first], None, k), a
            )
            learn = _bounded("learn", np.bincount(sk[nxt], xi[nxt], k), np.bincount(sk[nxt], g0[nxt], k), a)
            guess = _bounded("guess", np.bincount(sk[right], g0[right], k), np.bincount(sk, g0, k), a)
            slip = _bounded("slip", np.bincount(sk[~right], g1[~right], k), np.bincount(sk, g1, k), a)
            if ll - last < 1e-6 * answers:
                break
            last = ll
        params = {"prior": prior, "learn": learn, "guess": guess, "slip": slip}
    own = counts >= min_answers
    own[0] = False
    if own.any():
        w = np.where(own, counts, 0).astype(np.float64)
        w /= w.sum()
        for name in PARAMS:
            params[name][0] = float((params[name] * w).sum())
    else:
        for name in PARAMS:
            params[name][0] = DEFAULTS[name]
    return LayerFit(params, counts, own)


def _bounded(name: str, num: AnyArray, den: AnyArray, strength: float) -> FloatArray:
    lo, hi = BOUNDS[name]
    out: FloatArray = np.clip((num + strength * DEFAULTS[name]) / (den + strength), lo, hi)
    return out
