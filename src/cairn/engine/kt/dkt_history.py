"""DKT's history features: what a student's earlier answers say about the next one, exactly.

An LSTM blurs exact counts and recency over long sequences, so the net is also given, per answer and from
answers strictly before it: log(1 + rights) and log(1 + wrongs) on the queried skill, the last answer on it
(+1 right, -1 wrong, 0 none), log(1 + answers since then), whether it was seen, and recent form: the
exponentially decayed sums of ±1 outcomes over all answers (two decays) and over the answers on the skill.
Training computes them for whole sequences here; inference keeps them up to date in the student's state.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from cairn.engine.kt.base import Float32Array, FloatArray, IntArray, KTState
from cairn.engine.kt.features import prior_counts

# Recency: exponentially decayed sums of ±1 outcomes, over all answers (two decays, per answer) and over
# the answers on the queried skill (per answer on that skill); each is scaled by (1 - decay) into [-1, 1].
GLOBAL_DECAYS = (0.7, 0.95)
SKILL_DECAY = 0.7
# Per-query history features: log1p rights, log1p wrongs, last answer (+1/-1/0), log1p gap, seen, the two
# global recency sums, the recency sum on the skill.
N_HISTORY = 8


def _decayed_before(v: FloatArray, decay: float) -> FloatArray:
    """e[t] = Σ_{j<t} decay^(t-1-j)·v[j]: the decayed sum of the values strictly before t."""
    if v.size == 0:
        return np.zeros(0)
    y = np.asarray(lfilter([1.0], [1.0, -decay], v), dtype=np.float64)
    out: FloatArray = np.r_[0.0, y[:-1]]
    return out


def history_features(idx: IntArray, correct: IntArray) -> tuple[Float32Array, Float32Array]:
    """Per answer t, from answers strictly before t: the (T, 8) history features, and t's memory weight.

    Features (see ``N_HISTORY``) describe the student's past on t's skill and their recent form overall.
    The memory weight is how much answer t adds to its (skill, right/wrong) count's log1p:
    log(2 + n) - log(1 + n), n the earlier answers of the same kind on the same skill.
    """
    n = idx.size
    right, wrong = prior_counts(idx, correct)
    outcome: FloatArray = 2.0 * correct.astype(np.float64) - 1.0
    last = np.zeros(n)
    gap = np.zeros(n)
    seen = np.zeros(n)
    on_skill = np.zeros(n)
    if n:
        order = np.argsort(idx, kind="stable")
        s = idx[order]
        repeat = np.r_[False, s[1:] == s[:-1]]  # sorted position j has an earlier answer on its skill
        cur, before = order[1:][repeat[1:]], order[:-1][repeat[1:]]
        last[cur] = outcome[before]
        gap[cur] = np.log1p(cur - before)
        seen[cur] = 1.0
        # The decayed sum within each skill's answers: one filter over the skill-sorted answers, minus
        # what it carried over from the previous skill's group.
        y = lfilter([1.0], [1.0, -SKILL_DECAY], outcome[order])
        pos = np.arange(n)
        group_start = np.maximum.accumulate(np.where(repeat, 0, pos))
        carried = np.where(group_start > 0, y[np.maximum(group_start - 1, 0)], 0.0)
        y = y - carried * SKILL_DECAY ** (pos - group_start + 1)
        on_skill[order[1:]] = np.where(repeat[1:], y[:-1], 0.0)
    glob = [(1.0 - d) * _decayed_before(outcome, d) for d in GLOBAL_DECAYS]
    feats = np.stack(
        [np.log1p(right), np.log1p(wrong), last, gap, seen, *glob, (1.0 - SKILL_DECAY) * on_skill], axis=1
    ).astype(np.float32)
    same_kind = np.where(correct == 1, right, wrong)
    weight = (np.log1p(same_kind + 1.0) - np.log1p(same_kind)).astype(np.float32)
    return feats, weight


def state_history_features(state: KTState, idx: IntArray) -> Float32Array:
    """The same features for queries on skill slots ``idx``, read from a student's DKT state (Q, 8)."""
    when = state["when"][idx].astype(np.float32)
    seen = (when > 0).astype(np.float32)
    gap = np.log1p(np.where(seen > 0, float(state["n"][0]) + 1.0 - when, 0.0))
    q = idx.size
    glob = (1.0 - np.asarray(GLOBAL_DECAYS, dtype=np.float32)) * state["recent"]
    feats: Float32Array = np.stack(
        [
            np.log1p(state["right"][idx].astype(np.float32)),
            np.log1p(state["wrong"][idx].astype(np.float32)),
            state["last"][idx].astype(np.float32),
            gap.astype(np.float32),
            seen,
            *(np.full(q, g, dtype=np.float32) for g in glob),
            np.float32(1.0 - SKILL_DECAY) * state["skill_recent"][idx],
        ],
        axis=-1,
    )
    return feats
