"""Bayesian Knowledge Tracing (Corbett & Anderson, 1995), fitted per skill by EM.

Each skill is a two-state hidden Markov model: the student does not know it (0) or knows it (1).
Parameters per skill: ``prior`` P(known before the first answer), ``learn`` P(unknown → known after an
answer), ``guess`` P(right | unknown) and ``slip`` P(wrong | known); no forgetting.

Why hand-written: pyBKT 1.4.3, the reference implementation, fails at import with current scikit-learn,
and pinning an old scikit-learn for one import would hold back every other package. The forward-backward
EM here runs on NumPy over all (student, skill) sequences of all skills at once: sequences are sorted
by length, so at step t the still-running ones are a prefix of the batch and one loop over time serves
every skill. Guess and slip are capped (0.3 and 0.3, as pyBKT and most BKT papers do) so the two states
keep their meaning, and weak Beta priors (MAP-EM) keep skills with few answers sensible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Self

import numpy as np
from tqdm import tqdm

from cairn.engine.kt.base import (
    AnyArray,
    FloatArray,
    IntArray,
    KTState,
    LearnerModel,
    Mastery,
    Response,
    SkillIndex,
)
from cairn.engine.kt.data import StudentSequence

_EPS = 1e-6


class _Ragged:
    """All (student, skill) sequences, time-major: the rows alive at step t are rows [0, alive[t])."""

    def __init__(self, rows: list[tuple[int, IntArray]]) -> None:
        rows.sort(key=lambda r: -len(r[1]))
        lengths = np.array([len(r[1]) for r in rows])
        self.skill: IntArray = np.array([r[0] for r in rows], dtype=np.int64)
        t_max = int(lengths[0]) if len(rows) else 0
        self.alive: IntArray = np.array([(lengths > t).sum() for t in range(t_max)], dtype=np.int64)
        self.offsets: IntArray = np.concatenate([[0], np.cumsum(self.alive)]).astype(np.int64)
        self.obs = np.empty(int(self.offsets[-1]))
        self.flat_skill: IntArray = np.empty(int(self.offsets[-1]), dtype=np.int64)
        for t in range(t_max):
            n = int(self.alive[t])
            lo = int(self.offsets[t])
            self.obs[lo : lo + n] = [r[1][t] for r in rows[:n]]
            self.flat_skill[lo : lo + n] = self.skill[:n]
        self.first = np.zeros(self.obs.size, dtype=bool)
        self.first[: int(self.alive[0]) if t_max else 0] = True
        # has_next[i]: the row at flat position i has another answer after this one.
        self.has_next = np.zeros(self.obs.size, dtype=bool)
        for t in range(t_max - 1):
            lo = int(self.offsets[t])
            self.has_next[lo : lo + int(self.alive[t + 1])] = True

    def block(self, t: int) -> slice:
        return slice(int(self.offsets[t]), int(self.offsets[t + 1]))


def _ragged_from(sequences: Sequence[StudentSequence], skills: SkillIndex) -> _Ragged:
    rows: list[tuple[int, IntArray]] = []
    for seq in sequences:
        idx = skills.encode(seq.skills)
        order = np.argsort(idx, kind="stable")
        sorted_idx = idx[order]
        cuts = np.flatnonzero(np.diff(sorted_idx)) + 1
        for part in np.split(order, cuts):
            rows.append((int(idx[part[0]]), seq.correct[part]))
    return _Ragged(rows)


def _emission(obs: FloatArray, guess: FloatArray, slip: FloatArray) -> tuple[FloatArray, FloatArray]:
    """P(observation | unknown), P(observation | known)."""
    e0 = np.where(obs > 0.5, guess, 1.0 - guess)
    e1 = np.where(obs > 0.5, 1.0 - slip, slip)
    return e0, e1


def _e_step(
    data: _Ragged, prior: FloatArray, learn: FloatArray, guess: FloatArray, slip: FloatArray
) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Forward-backward; returns log-likelihood and per-position P(known), P(known | next step) stats."""
    n = data.obs.size
    sk = data.flat_skill
    e0, e1 = _emission(data.obs, guess[sk], slip[sk])
    lr = learn[sk]
    post = np.empty(n)  # filtered P(known | answers up to t)
    scale = np.empty(n)  # P(answer t | answers before t)
    for t in range(data.alive.size):
        b = data.block(t)
        m = b.stop - b.start
        if t == 0:
            k = prior[data.skill[:m]]
        else:
            pb = data.block(t - 1)
            prev = post[pb.start : pb.start + m]
            k = prev + (1.0 - prev) * lr[pb.start : pb.start + m]
        num1 = k * e1[b]
        c = num1 + (1.0 - k) * e0[b]
        scale[b] = c
        post[b] = num1 / c
    loglik = float(np.log(scale).sum())
    # Backward pass, scaled by the forward normalisers (Rabiner's scaling).
    beta0 = np.ones(n)
    beta1 = np.ones(n)
    xi01 = np.zeros(n)  # expected unknown→known transitions out of position t
    for t in range(data.alive.size - 2, -1, -1):
        b = data.block(t)
        nb = data.block(t + 1)
        m = nb.stop - nb.start
        cur = slice(b.start, b.start + m)
        l_ = lr[cur]
        w1 = e1[nb] * beta1[nb] / scale[nb]
        w0 = e0[nb] * beta0[nb] / scale[nb]
        beta1[cur] = w1
        beta0[cur] = (1.0 - l_) * w0 + l_ * w1
        xi01[cur] = (1.0 - post[cur]) * l_ * w1
    gamma1 = post * beta1
    gamma1 = np.clip(gamma1, 0.0, 1.0)
    return loglik, gamma1, xi01, e0, e1


class BKT(LearnerModel):
    """Per-skill BKT by MAP-EM. ``mastery`` is P(known) with its Bernoulli SD."""

    name = "bkt"

    def __init__(
        self,
        max_iter: int = 100,
        tol: float = 1e-4,
        max_guess: float = 0.3,
        max_slip: float = 0.3,
        prior_strength: float = 2.0,
    ) -> None:
        self.max_iter = max_iter
        self.tol = tol
        self.max_guess = max_guess
        self.max_slip = max_slip
        self.prior_strength = prior_strength

    def fit(self, sequences: Sequence[StudentSequence], *, progress: bool = False) -> Self:
        self.skills_ = SkillIndex.from_sequences(sequences)
        data = _ragged_from(sequences, self.skills_)
        k = self.skills_.size
        prior = np.full(k, 0.4)
        learn = np.full(k, 0.1)
        guess = np.full(k, 0.2)
        slip = np.full(k, 0.1)
        # Weak Beta priors as pseudo-counts centred on the starting values (MAP-EM).
        a = self.prior_strength
        sk = data.flat_skill
        bar = tqdm(range(self.max_iter), desc="bkt EM", disable=not progress, leave=False)
        last = -np.inf
        per_answer = max(data.obs.size, 1)
        for _ in bar:
            ll, g1, xi, _, _ = _e_step(data, prior, learn, guess, slip)
            g0 = 1.0 - g1
            first = data.first
            prior = (np.bincount(sk[first], g1[first], k) + a * 0.4) / (np.bincount(sk[first], None, k) + a)
            nxt = data.has_next
            learn = (np.bincount(sk[nxt], xi[nxt], k) + a * 0.1) / (np.bincount(sk[nxt], g0[nxt], k) + a)
            right = data.obs > 0.5
            guess = (np.bincount(sk[right], g0[right], k) + a * 0.2) / (np.bincount(sk, g0, k) + a)
            slip = (np.bincount(sk[~right], g1[~right], k) + a * 0.1) / (np.bincount(sk, g1, k) + a)
            prior = np.clip(prior, _EPS, 1 - _EPS)
            learn = np.clip(learn, _EPS, 1 - _EPS)
            guess = np.clip(guess, _EPS, self.max_guess)
            slip = np.clip(slip, _EPS, self.max_slip)
            bar.set_postfix(loglik=f"{ll / per_answer:.4f}")
            if ll - last < self.tol * per_answer * 1e-2:
                break
            last = ll
        # The unknown-skill slot gets the answer-weighted mean of the fitted skills.
        counts = np.bincount(sk, None, k)
        counts[0] = 0
        w = counts / max(counts.sum(), 1)
        for arr in (prior, learn, guess, slip):
            arr[0] = float((arr * w).sum()) if counts.sum() else arr[0]
        self.prior_, self.learn_, self.guess_, self.slip_ = prior, learn, guess, slip
        return self

    # --- online ---------------------------------------------------------------------------------------
    def initial_state(self) -> KTState:
        self._check_fitted()
        return KTState(
            self.name,
            {"known": self.prior_.astype(np.float32), "n": np.zeros(self.skills_.size, dtype=np.uint16)},
        )

    def update(self, state: KTState, response: Response) -> KTState:
        i = self.skills_.index(response.skill)
        known = state["known"].copy()
        n = state["n"].copy()
        known[i] = posterior_known(
            float(known[i]),
            response.correct,
            float(self.learn_[i]),
            float(self.guess_[i]),
            float(self.slip_[i]),
        )
        n[i] = min(int(n[i]) + 1, np.iinfo(np.uint16).max)
        return KTState(self.name, {"known": known, "n": n})

    def predict_indices(self, state: KTState, idx: IntArray) -> FloatArray:
        k = state["known"][idx].astype(np.float64)
        p: FloatArray = k * (1.0 - self.slip_[idx]) + (1.0 - k) * self.guess_[idx]
        return p

    def mastery(self, state: KTState) -> dict[int, Mastery]:
        k = state["known"].astype(np.float64)
        n = state["n"]
        return {
            int(s): Mastery(float(k[i]), float(np.sqrt(k[i] * (1 - k[i]))), int(n[i]))
            for i, s in enumerate(self.skills_.ids, start=1)
        }

    def predict_sequences(self, sequences: Sequence[StudentSequence]) -> list[FloatArray]:
        self._check_fitted()
        out = []
        for seq in sequences:
            idx = self.skills_.encode(seq.skills)
            known = self.prior_.copy()
            preds = np.empty(len(seq))
            for t, (i, c) in enumerate(zip(idx.tolist(), seq.correct.tolist(), strict=True)):
                k = known[i]
                preds[t] = k * (1.0 - self.slip_[i]) + (1.0 - k) * self.guess_[i]
                known[i] = posterior_known(k, c, self.learn_[i], self.guess_[i], self.slip_[i])
            out.append(preds)
        return out

    # --- persistence ----------------------------------------------------------------------------------
    def _arrays(self) -> dict[str, AnyArray]:
        return {"prior": self.prior_, "learn": self.learn_, "guess": self.guess_, "slip": self.slip_}

    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        self.prior_, self.learn_ = arrays["prior"], arrays["learn"]
        self.guess_, self.slip_ = arrays["guess"], arrays["slip"]

    def parameters(self) -> dict[int, dict[str, float]]:
        """The fitted parameters per skill id, for people to read."""
        self._check_fitted()
        return {
            int(s): {
                "prior": float(self.prior_[i]),
                "learn": float(self.learn_[i]),
                "guess": float(self.guess_[i]),
                "slip": float(self.slip_[i]),
            }
            for i, s in enumerate(self.skills_.ids, start=1)
        }


def posterior_known(known: float, correct: int, learn: float, guess: float, slip: float) -> float:
    """P(known) before the next answer, from P(known) before this one and this answer (the BKT update)."""
    if correct:
        num = known * (1.0 - slip)
        post = num / (num + (1.0 - known) * guess)
    else:
        num = known * slip
        post = num / (num + (1.0 - known) * (1.0 - guess))
    return post + (1.0 - post) * learn
