"""Benchmark: every learner model on the knowledge-tracing datasets, by the next-answer protocol.

For each dataset folder (holding train.csv and test.csv in the three-line format) and each model, this runs
exactly what ``cairn evaluate --train DIR/train.csv --test DIR/test.csv --model NAME`` runs: fit on train
(hyper-parameters chosen on a validation split carved from train), predict every test answer from that
student's earlier answers only, and score. Figures are compared with the published ones in
``../shared/datasets/README.md``. ``app`` is the web app's own model (:mod:`cairn.engine.kt.app`): its fit
is the nightly refit (mastery layer, candidates scored on held-out students, the winner kept), and its
predictions walk the same ``predict``/``update`` the answer loop calls.

    python benchmarks/kt.py [--datasets ../shared/datasets/kt] [--only assist2009] [--models dkt,bkt]

Last line: JSON {dataset: {model: {auc, accuracy, rmse, logloss, ece, fit_s, update_ms_median, ...}}}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

from cairn.engine.evaluation.protocol import evaluate
from cairn.engine.kt.data import read_three_line
from cairn.engine.kt.registry import MODELS, make_model

DEFAULT_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "kt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--only", action="append", default=[], help="dataset folder name (repeatable)")
    parser.add_argument("--models", default=",".join(MODELS), help=f"comma-separated, from {list(MODELS)}")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folders = sorted(p for p in args.datasets.iterdir() if (p / "train.csv").is_file())
    if args.only:
        folders = [p for p in folders if p.name in args.only]
    if not folders:
        print(f"no dataset folders with train.csv under {args.datasets}", file=sys.stderr)
        return 2
    names = [m for m in args.models.split(",") if m]
    print(f"# {platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}", file=sys.stderr)
    results: dict[str, dict[str, dict[str, object]]] = {}
    for folder in folders:
        train = read_three_line(folder / "train.csv")
        test = read_three_line(folder / "test.csv")
        for name in names:
            model = make_model(name, args.seed)
            print(f"{folder.name} / {name} …", file=sys.stderr, flush=True)
            summary = evaluate(model, train, test, progress=True).summary()
            results.setdefault(folder.name, {})[name] = summary
            print(
                f"{folder.name:<12} {name:<9} AUC {summary['auc']:.4f}  acc {summary['accuracy']:.4f}  "
                f"RMSE {summary['rmse']:.4f}  logloss {summary['logloss']:.4f}  ECE {summary['ece']:.4f}  "
                f"fit {summary['fit_s']:.1f} s  update {summary['update_ms_median']:.4f} ms "
                f"(p99 {summary['update_ms_p99']:.4f})",
                flush=True,
            )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
