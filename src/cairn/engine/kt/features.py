"""Per-answer count features shared by the models: what a student had done on the same skill before."""

from __future__ import annotations

import numpy as np

from cairn.engine.kt.base import IntArray


def prior_counts(idx: IntArray, correct: IntArray) -> tuple[IntArray, IntArray]:
    """For each answer t: right and wrong answers on the same skill strictly before t (PFA's counts)."""
    n = idx.size
    right = np.zeros(n, dtype=np.int64)
    wrong = np.zeros(n, dtype=np.int64)
    if n == 0:
        return right, wrong
    order = np.argsort(idx, kind="stable")
    s = idx[order]
    c = correct[order].astype(np.int64)
    starts = np.r_[True, s[1:] != s[:-1]]
    group = np.cumsum(starts) - 1
    cum_c = np.cumsum(c)
    pos = np.arange(n)
    first_pos = pos[starts][group]
    before_c = cum_c - c  # rights up to but excluding this one, over the whole sorted array
    base_c = (cum_c - c)[starts][group]
    r = before_c - base_c
    w = (pos - first_pos) - r
    right[order] = r
    wrong[order] = w
    return right, wrong
