"""``cairn evaluate``: offline evaluation of a learner model on a knowledge-tracing dataset.

Reads the three-line format (see :mod:`cairn.engine.kt.data`), fits on ``--train``, predicts every
answer of ``--test`` from that student's earlier answers only, and prints the figures. The last line of
output is one JSON object with them, so scripts and benchmarks can read it. Needs no database.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from cairn.engine.kt.registry import DEFAULT_MODEL, MODELS

    p = subparsers.add_parser(
        "evaluate",
        help="evaluate a learner model on a knowledge-tracing dataset (AUC, calibration, speed)",
        description="Fit a learner model on TRAIN and predict every answer in TEST from that student's "
        "earlier answers only. Prints AUC, accuracy, RMSE, log loss, ECE, fit time and the time of "
        "one online update; the last line is the same as one JSON object.",
    )
    p.add_argument("--train", type=Path, required=True, help="training file, three-line format")
    p.add_argument("--test", type=Path, required=True, help="test file, three-line format")
    p.add_argument(
        "--model",
        choices=list(MODELS),
        default=DEFAULT_MODEL,
        help=f"learner model (default {DEFAULT_MODEL}: the one proposed for production). "
        "dkt: LSTM knowledge tracing (training needs PyTorch, inference NumPy only); logistic: PFA with "
        "all-practice and related-skill counts; bkt: Bayesian Knowledge Tracing by EM",
    )
    p.add_argument(
        "--report",
        type=Path,
        help="also write the figures, per-skill metrics and learning curve to this JSON file, and a "
        "reliability diagram beside it (same name, .png)",
    )
    p.add_argument("--save-model", type=Path, help="save the fitted model to this .npz file")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cairn.engine.evaluation.protocol import evaluate, learning_curve, metrics_by_skill
    from cairn.engine.kt.data import DataFormatError, read_three_line
    from cairn.engine.kt.registry import make_model

    for what, path in (("--train", args.train), ("--test", args.test)):
        if not path.is_file():
            print(f"cairn evaluate: {what}: no such file: {path}", file=sys.stderr)
            return 2
    try:
        train = read_three_line(args.train)
        test = read_three_line(args.test)
    except DataFormatError as exc:
        print(f"cairn evaluate: {exc}", file=sys.stderr)
        return 2
    model = make_model(args.model, args.seed)
    print(
        f"{args.model}: training on {len(train)} students ({sum(len(s) for s in train)} answers), "
        f"testing on {len(test)} ({sum(len(s) for s in test)} answers)",
        file=sys.stderr,
        flush=True,
    )
    try:
        result = evaluate(model, train, test, progress=not args.no_progress)
    except ImportError as exc:
        print(f"cairn evaluate: {exc}", file=sys.stderr)
        return 2
    summary = result.summary()
    for key in ("auc", "accuracy", "rmse", "logloss", "ece"):
        print(f"{key:>18}  {summary[key]:.4f}")
    print(f"{'fit':>18}  {result.fit_s:.1f} s")
    print(f"{'update median':>18}  {result.update_ms_median:.4f} ms")
    print(f"{'update p99':>18}  {result.update_ms_p99:.4f} ms")
    if args.save_model:
        from cairn.engine.kt.persist import save_model

        save_model(model, args.save_model)
        print(f"model saved to {args.save_model}")
    if args.report:
        from cairn.engine.evaluation.plots import reliability_diagram

        rel = result.reliability()
        curve = learning_curve(result.y, result.p, result.opportunity)
        report = {
            **summary,
            "train": str(args.train),
            "test": str(args.test),
            "reliability": {
                "edges": rel.edges.tolist(),
                "count": rel.count.tolist(),
                "mean_predicted": _nan_to_none(rel.mean_predicted.tolist()),
                "observed": _nan_to_none(rel.observed.tolist()),
            },
            "learning_curve": {
                "opportunity": curve.opportunity.tolist(),
                "count": curve.count.tolist(),
                "observed": _nan_to_none(curve.observed.tolist()),
                "predicted": _nan_to_none(curve.predicted.tolist()),
            },
            "by_skill": {
                str(k): {m: (None if v != v else v) for m, v in row.items()}
                for k, row in metrics_by_skill(result.y, result.p, result.skills).items()
            },
            "history": getattr(model, "history_", None),
        }
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        png = args.report.with_suffix(".png")
        reliability_diagram(rel, png, title=f"{args.model} on {args.test.name}", curve=curve)
        print(f"report: {args.report} and {png}")
    print(json.dumps(summary))
    return 0


def _nan_to_none(values: list[float]) -> list[float | None]:
    return [None if v != v else v for v in values]
