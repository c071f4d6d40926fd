"""A logistic knowledge-tracing model: Performance Factors Analysis with transfer between related skills.

P(correct on skill q) = σ(β_q + γ_q·log(1 + r_q) + ρ_q·log(1 + w_q)                  # PFA, per skill
                          + a·log(1 + R) + b·log(1 + W)                                # all practice
                          + c·Σ_s T[q, s]·log(1 + r_s) + d·Σ_s T[q, s]·log(1 + w_s)    # related skills
                          + e·last_q)                                                  # last answer on q

where r_s and w_s count the student's earlier right and wrong answers on skill s, R and W all of them, and
``last_q`` is +1/-1 for a right/wrong last answer on q (0 before the first). Logarithmic counts follow the
"Best-LR" family (Gervet et al., 2020), which found such count features make logistic models competitive
with deep ones on several datasets.

``T`` says how much practice on skill s informs skill q (each row sums to 1, no self-weight). Given to
``__init__`` (the web app passes its prerequisite graph), it is used as is; left out, it is learned from
the training data as the first-order transition frequencies between distinct skills within students (which
skill was practised just before q), which is how curricula reveal relatedness in logs with no graph.

Fitted with scikit-learn's L2-regularised logistic regression; the regularisation strength is chosen on a
validation split of the training students, then the model is refitted on all of them. The state is the
per-skill right and wrong counts and the last answer per skill; an update changes three numbers.
``mastery`` is P(correct) on the skill's next answer with the evidence-count uncertainty of
:func:`cairn.engine.kt.base.beta_mastery`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Self

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from cairn.engine.evaluation.metrics import log_loss
from cairn.engine.kt.base import (
    AnyArray,
    FloatArray,
    IntArray,
    KTState,
    LearnerModel,
    Mastery,
    Response,
    SkillIndex,
    beta_mastery,
)
from cairn.engine.kt.data import StudentSequence, split_by_student
from cairn.engine.kt.features import prior_counts

_U16_MAX = int(np.iinfo(np.uint16).max)
_SHARED = 5  # R, W, related rights, related wrongs, last answer on the skill


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def transitions(sequences: Sequence[StudentSequence], skills: SkillIndex) -> FloatArray:
    """Row-normalised counts of (skill practised just before a different skill q) → T[q, s]."""
    k = skills.size
    counts = np.zeros((k, k))
    for seq in sequences:
        idx = skills.encode(seq.skills)
        if idx.size < 2:
            continue
        prev, cur = idx[:-1], idx[1:]
        moved = prev != cur
        np.add.at(counts, (cur[moved], prev[moved]), 1.0)
    np.fill_diagonal(counts, 0.0)
    rows = counts.sum(axis=1, keepdims=True)
    t: FloatArray = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    return t


class LogisticKT(LearnerModel):
    """PFA with all-practice and related-skill counts; see the module docstring."""

    name = "logistic"

    def __init__(
        self,
        c_grid: Sequence[float] = (0.01, 0.1, 1.0, 10.0),
        validation_fraction: float = 0.2,
        max_iter: int = 500,
        seed: int = 0,
        related: Sequence[Sequence[float]] | None = None,
        related_skills: Sequence[int] | None = None,
    ) -> None:
        self.c_grid = tuple(float(c) for c in c_grid)
        self.validation_fraction = validation_fraction
        self.max_iter = max_iter
        self.seed = seed
        # A given relatedness matrix, rows and columns in the order of ``related_skills`` (skill ids).
        self.related = related
        self.related_skills = related_skills

    # --- features -------------------------------------------------------------------------------------
    def _relatedness(self, sequences: Sequence[StudentSequence]) -> FloatArray:
        k = self.skills_.size
        if self.related is None:
            return transitions(sequences, self.skills_)
        given = np.asarray(self.related, dtype=np.float64)
        ids = list(self.related_skills or [])
        if given.shape != (len(ids), len(ids)):
            raise ValueError("related must be a square matrix over related_skills")
        t = np.zeros((k, k))
        pos = self.skills_.encode(np.asarray(ids, dtype=np.int64))
        t[np.ix_(pos, pos)] = given
        np.fill_diagonal(t, 0.0)
        rows = t.sum(axis=1, keepdims=True)
        out: FloatArray = np.divide(t, rows, out=np.zeros_like(t), where=rows > 0)
        return out

    def _design(self, sequences: Sequence[StudentSequence]) -> tuple[sp.csr_matrix, IntArray]:
        """One row per answer: features from that student's earlier answers only."""
        k = self.skills_.size
        rows_q, rows_r, rows_w, shared, ys = [], [], [], [], []
        for seq in sequences:
            idx = self.skills_.encode(seq.skills)
            n = idx.size
            if n == 0:
                continue
            c = seq.correct
            r, w = prior_counts(idx, c)
            lr, lw = np.log1p(r), np.log1p(w)
            total_r = np.concatenate([[0], np.cumsum(c)[:-1]])
            total_w = np.arange(n) - total_r
            # Related counts need every skill's counts before each answer: keep them running (O(k) memory)
            # and read T[q] · log-counts per answer, rather than materialising an (n, k) history.
            cnt_r = np.zeros(k)
            cnt_w = np.zeros(k)
            cur_r = np.zeros(k)  # log1p(cnt_r)
            cur_w = np.zeros(k)
            last = np.zeros(k)
            rel_r = np.empty(n)
            rel_w = np.empty(n)
            last_q = np.empty(n)
            for t, (q, y) in enumerate(zip(idx.tolist(), c.tolist(), strict=True)):
                row = self.transfer_[q]
                rel_r[t] = row @ cur_r
                rel_w[t] = row @ cur_w
                last_q[t] = last[q]
                if y:
                    cnt_r[q] += 1.0
                    cur_r[q] = np.log1p(cnt_r[q])
                else:
                    cnt_w[q] += 1.0
                    cur_w[q] = np.log1p(cnt_w[q])
                last[q] = 1.0 if y else -1.0
            rows_q.append(idx)
            rows_r.append(lr)
            rows_w.append(lw)
            shared.append(np.stack([np.log1p(total_r), np.log1p(total_w), rel_r, rel_w, last_q], axis=1))
            ys.append(c)
        q = np.concatenate(rows_q)
        m = q.size
        ar = np.arange(m)
        ones = np.ones(m)
        blocks = [
            sp.csr_matrix((ones, (ar, q)), shape=(m, k)),
            sp.csr_matrix((np.concatenate(rows_r), (ar, q)), shape=(m, k)),
            sp.csr_matrix((np.concatenate(rows_w), (ar, q)), shape=(m, k)),
            sp.csr_matrix(np.concatenate(shared)),
        ]
        return sp.hstack(blocks, format="csr"), np.concatenate(ys)

    # --- learning -------------------------------------------------------------------------------------
    def fit(self, sequences: Sequence[StudentSequence], *, progress: bool = False) -> Self:
        from sklearn.linear_model import LogisticRegression

        self.skills_ = SkillIndex.from_sequences(sequences)
        self.transfer_ = self._relatedness(sequences)
        train, valid = (
            split_by_student(sequences, self.validation_fraction, self.seed)
            if len(sequences) >= 10 and len(self.c_grid) > 1
            else (list(sequences), [])
        )
        steps = len(self.c_grid) + 1 if valid else 1
        bar = tqdm(total=steps, desc="logistic", disable=not progress, unit="fit", leave=False)
        best_c = self.c_grid[len(self.c_grid) // 2]
        if valid:
            x_tr, y_tr = self._design(train)
            x_va, y_va = self._design(valid)
            best = np.inf
            for c in self.c_grid:
                clf = LogisticRegression(C=c, max_iter=self.max_iter, solver="lbfgs")
                clf.fit(x_tr, y_tr)
                loss = log_loss(y_va, clf.predict_proba(x_va)[:, 1])
                if loss < best:
                    best, best_c = loss, c
                bar.update(1)
        x, y = self._design(sequences)
        clf = LogisticRegression(C=best_c, max_iter=self.max_iter, solver="lbfgs").fit(x, y)
        bar.update(1)
        bar.close()
        self.c_ = best_c
        k = self.skills_.size
        coef = clf.coef_[0]
        self.beta_ = coef[:k] + clf.intercept_[0]
        self.gamma_ = coef[k : 2 * k]
        self.rho_ = coef[2 * k : 3 * k]
        self.shared_ = coef[3 * k :]
        return self

    # --- online ---------------------------------------------------------------------------------------
    def initial_state(self) -> KTState:
        self._check_fitted()
        k = self.skills_.size
        return KTState(
            self.name,
            {
                "right": np.zeros(k, dtype=np.uint16),
                "wrong": np.zeros(k, dtype=np.uint16),
                "last": np.zeros(k, dtype=np.int8),
            },
        )

    def update(self, state: KTState, response: Response) -> KTState:
        i = self.skills_.index(response.skill)
        right, wrong, last = state["right"].copy(), state["wrong"].copy(), state["last"].copy()
        if response.correct:
            right[i] = min(int(right[i]) + 1, _U16_MAX)
        else:
            wrong[i] = min(int(wrong[i]) + 1, _U16_MAX)
        last[i] = 1 if response.correct else -1
        return KTState(self.name, {"right": right, "wrong": wrong, "last": last})

    def predict_indices(self, state: KTState, idx: IntArray) -> FloatArray:
        right = state["right"].astype(np.float64)
        wrong = state["wrong"].astype(np.float64)
        lr, lw = np.log1p(right), np.log1p(wrong)
        rel = self.transfer_[idx]
        shared = np.stack(
            [
                np.full(idx.size, np.log1p(right.sum())),
                np.full(idx.size, np.log1p(wrong.sum())),
                rel @ lr,
                rel @ lw,
                state["last"][idx].astype(np.float64),
            ],
            axis=-1,
        )
        z = self.beta_[idx] + self.gamma_[idx] * lr[idx] + self.rho_[idx] * lw[idx] + shared @ self.shared_
        return _sigmoid(z)

    def mastery(self, state: KTState) -> dict[int, Mastery]:
        idx = np.arange(1, self.skills_.size)
        p = self.predict_indices(state, idx)
        n = state["right"].astype(np.int64) + state["wrong"]
        return {int(s): beta_mastery(float(p[j]), int(n[j + 1])) for j, s in enumerate(self.skills_.ids)}

    def predict_sequences(self, sequences: Sequence[StudentSequence]) -> list[FloatArray]:
        """Vectorised through the training design matrix; agrees with walking :meth:`update`."""
        self._check_fitted()
        out: list[FloatArray] = []
        coef = np.concatenate([self.beta_, self.gamma_, self.rho_, self.shared_])
        for seq in sequences:
            if len(seq) == 0:
                out.append(np.empty(0))
                continue
            x, _ = self._design([seq])
            out.append(_sigmoid(np.asarray(x @ coef, dtype=np.float64)))
        return out

    # --- persistence ----------------------------------------------------------------------------------
    def _arrays(self) -> dict[str, AnyArray]:
        return {
            "beta": self.beta_, "gamma": self.gamma_, "rho": self.rho_, "shared": self.shared_,
            "transfer": self.transfer_,
        }  # fmt: skip

    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        self.beta_, self.gamma_, self.rho_ = arrays["beta"], arrays["gamma"], arrays["rho"]
        self.shared_, self.transfer_ = arrays["shared"], arrays["transfer"]
