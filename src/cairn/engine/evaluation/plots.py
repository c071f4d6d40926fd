"""Charts of an evaluation, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from pathlib import Path

from cairn.engine.evaluation.metrics import Reliability
from cairn.engine.evaluation.protocol import LearningCurve


def reliability_diagram(
    rel: Reliability, path: str | Path, *, title: str, curve: LearningCurve | None = None
) -> None:
    """Save a reliability diagram (predicted vs observed, with bin counts), and the learning curve beside
    it when one is given, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = 2 if curve is not None else 1
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 5), squeeze=False)
    ax = axes[0][0]
    used = rel.count > 0
    centers = (rel.edges[:-1] + rel.edges[1:]) / 2
    ax.plot([0, 1], [0, 1], linestyle="--", color="#888888", label="perfect calibration")
    ax.bar(
        centers[used], rel.observed[used], width=(rel.edges[1] - rel.edges[0]) * 0.9, alpha=0.35,
        color="#2b6cb0", label="observed rate per bin",
    )  # fmt: skip
    ax.plot(rel.mean_predicted[used], rel.observed[used], marker="o", color="#2b6cb0", label="model")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("predicted P(correct)")
    ax.set_ylabel("observed fraction correct")
    ax.set_title(f"{title}\nECE {rel.ece:.4f}")
    ax.legend(loc="upper left", fontsize=8)
    share = ax.twinx()
    share.plot(centers[used], rel.count[used] / rel.count.sum(), color="#c05621", alpha=0.6, marker=".")
    share.set_ylabel("share of answers", color="#c05621")
    if curve is not None:
        lc = axes[0][1]
        has = curve.count > 0
        lc.plot(curve.opportunity[has], curve.observed[has], marker="o", label="observed")
        lc.plot(curve.opportunity[has], curve.predicted[has], marker="x", linestyle="--", label="predicted")
        lc.set_xlabel("earlier answers on the same skill (last point: that many or more)")
        lc.set_ylabel("fraction correct")
        lc.set_ylim(0, 1)
        lc.set_title("Learning curve")
        lc.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
