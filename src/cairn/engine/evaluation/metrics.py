"""Metrics for probabilistic predictions of binary answers. NumPy/SciPy only (no scikit-learn)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_CLIP = 1e-7


def _check(y: npt.ArrayLike, p: npt.ArrayLike) -> tuple[IntArray, FloatArray]:
    ya = np.asarray(y, dtype=np.int64).ravel()
    pa = np.asarray(p, dtype=np.float64).ravel()
    if ya.shape != pa.shape:
        raise ValueError(f"{ya.size} outcomes but {pa.size} predictions")
    if ya.size == 0:
        raise ValueError("no predictions to score")
    return ya, pa


def auc(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half; NaN when one class is absent."""
    ya, pa = _check(y, p)
    n1 = int(ya.sum())
    n0 = ya.size - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(pa)
    return float((ranks[ya == 1].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def accuracy(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    ya, pa = _check(y, p)
    return float(((pa >= 0.5) == (ya == 1)).mean())


def rmse(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    ya, pa = _check(y, p)
    return float(np.sqrt(((pa - ya) ** 2).mean()))


def log_loss(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    ya, pa = _check(y, p)
    pc = np.clip(pa, _CLIP, 1 - _CLIP)
    return float(-(ya * np.log(pc) + (1 - ya) * np.log(1 - pc)).mean())


@dataclass(frozen=True)
class Reliability:
    """Equal-width bins of predicted probability: their edges, count, mean prediction and observed rate."""

    edges: FloatArray
    count: IntArray
    mean_predicted: FloatArray
    observed: FloatArray

    @property
    def ece(self) -> float:
        """Expected calibration error: |observed - predicted| averaged over bins, weighted by count."""
        used = self.count > 0
        w = self.count[used] / self.count.sum()
        return float((w * np.abs(self.observed[used] - self.mean_predicted[used])).sum())


def reliability(y: npt.ArrayLike, p: npt.ArrayLike, bins: int = 10) -> Reliability:
    ya, pa = _check(y, p)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(pa, edges[1:-1], right=False), 0, bins - 1)
    count = np.bincount(which, minlength=bins).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(which, pa, bins) / count
        obs = np.bincount(which, ya.astype(np.float64), bins) / count
    return Reliability(edges, count, mean_p, obs)


def ece(y: npt.ArrayLike, p: npt.ArrayLike, bins: int = 10) -> float:
    """Expected calibration error over ``bins`` equal-width bins, weighted by bin count."""
    return reliability(y, p, bins).ece


def all_metrics(y: npt.ArrayLike, p: npt.ArrayLike) -> dict[str, float]:
    return {
        "auc": auc(y, p),
        "accuracy": accuracy(y, p),
        "rmse": rmse(y, p),
        "logloss": log_loss(y, p),
        "ece": ece(y, p),
    }
