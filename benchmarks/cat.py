"""Benchmark: Cairn's computerized adaptive test against the best fixed form from the same bank.

A simulated, calibrated 2PL bank of 300 items (a ~ LogNormal(0, 0.25), b ~ N(0, 1)) and 1,000 simulated
students with θ ~ N(0, 1). Cairn's CAT runs to SE ≤ 0.3 with exposure control on. The fixed form is the
best fixed selection from the same bank: items ranked by their information averaged over N(0, 1), scored
with the same EAP estimator; we find the shortest such form whose ability RMSE is no worse than the CAT's.
Both see the same simulated answers (each student has one pre-drawn answer to every item).

Item selection time is measured separately on a 10,000-item bank.

For scale, the benchmark also solves a clairvoyant bound: a linear program that knows every student's true θ
and gives each the fewest items whose information at that θ reaches 1/0.3² - 1 (the posterior precision an
SE of 0.3 needs, less the prior's), with and without the exposure cap. No CAT whose SE tracks test
information can average fewer items than that bound.

Placement on the competency graph: simulated students of the grade-4 unit (benchmarks/sequencing.py's
``load_unit``, 13 competencies) with a hidden knowledge state drawn as cairn.engine.simulate draws it
(a competency is known with the learner's p_init once its prerequisites are; population p_init 0.5, so
about half the unit's frontier is known), their own guess and slip, and items that name their competency.
The diagnostic is cairn.engine.placement (the rule the app's placement runs): it asks the item that most
lowers the expected number of misplaced competencies and stops when it expects ≥ 95% placed right (or at
30 items); placement_accuracy is the share of the unit's competencies whose placed status (mastered or not)
matches the hidden truth, placement_items the mean number of items asked. A second population
(p_init 0.7, the rule's prior left at 0.5) shows the cost of a wrong prior.

    python benchmarks/cat.py [--students 1000] [--items 300] [--seed 7] [--placement-students 1000]

Last line: JSON with keys mean_length, fixed_length_same_rmse, rmse_cat, max_exposure, select_ms, the
bounds oracle_length_capped and oracle_length_uncapped, cat_over_bound (mean_length ÷ the capped bound),
placement_accuracy, placement_items, placement_prior_only_accuracy (no items asked),
placement_mismatched_accuracy and placement_mismatched_items.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
from scipy import optimize, sparse
from tqdm import tqdm

from cairn.engine.cat import AdaptiveTest, CatConfig, CatState, ItemBank
from cairn.engine.irt import GRID, LOG_PRIOR, information
from cairn.engine.placement import KnowledgeGraph, Probe, run_diagnostic
from cairn.engine.simulate import PopulationParams, make_population


def run_cat(bank: ItemBank, config: CatConfig, theta: np.ndarray, answers: np.ndarray, seed: int):
    test = AdaptiveTest(bank, config)
    rng = np.random.default_rng(seed)
    shown = np.zeros(len(bank))
    lengths, estimates = [], []
    for student in tqdm(range(len(theta)), desc="CAT", unit="student", leave=False):
        rate = shown / max(student, 1)
        state = CatState()
        while True:
            state, item = test.next_item(state, rng, rate)
            if item is None:
                break
            shown[item] += 1
            state = test.answer(state, item, bool(answers[student, item]))
            if state.finished:
                break
        lengths.append(len(state.administered))
        estimates.append(state.theta)
    rmse = float(np.sqrt(np.mean((np.asarray(estimates) - theta) ** 2)))
    return float(np.mean(lengths)), rmse, float(shown.max() / len(theta)), lengths


def fixed_form_rmse_by_length(bank: ItemBank, theta: np.ndarray, answers: np.ndarray) -> np.ndarray:
    """RMSE of EAP scores on the best fixed form of every length 1..n."""
    weights = np.exp(LOG_PRIOR) / np.exp(LOG_PRIOR).sum()
    expected_info = (information(GRID, bank.a, bank.b, bank.c) * weights[:, None]).sum(axis=0)
    order = np.argsort(-expected_info)
    log_post = np.tile(LOG_PRIOR, (len(theta), 1))
    rmses = np.empty(len(order))
    for length, item in enumerate(order, start=1):
        p = np.clip(
            bank.c[item] + (1 - bank.c[item]) / (1 + np.exp(-bank.a[item] * (GRID - bank.b[item]))),
            1e-9,
            1 - 1e-9,
        )
        y = answers[:, item][:, None]
        log_post += y * np.log(p) + (1 - y) * np.log(1 - p)
        post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
        rmses[length - 1] = np.sqrt(np.mean((post @ GRID - theta) ** 2))
    return rmses


def oracle_mean_length(bank: ItemBank, theta: np.ndarray, se_target: float, max_exposure: float) -> float:
    """Fewest items per student on average (LP relaxation) if every θ were known and each student needs
    test information 1/se² - 1 at their θ, with no item given to more than ``max_exposure`` of them."""
    n, k = len(theta), len(bank)
    info = information(theta, bank.a, bank.b, bank.c)  # students × items
    need = np.minimum(1 / se_target**2 - 1, info.sum(axis=1))
    cols = np.arange(n * k)
    rows = sparse.vstack(
        [
            sparse.csr_matrix((-info.ravel(), (np.repeat(np.arange(n), k), cols)), shape=(n, n * k)),
            sparse.csr_matrix((np.ones(n * k), (np.tile(np.arange(k), n), cols)), shape=(k, n * k)),
        ]
    ).tocsr()
    result = optimize.linprog(
        np.ones(n * k),
        A_ub=rows,
        b_ub=np.concatenate([-need, np.full(k, max_exposure * n)]),
        bounds=(0, 1),
        method="highs",
    )
    return float(result.fun / n)


def selection_ms(n_items: int, seed: int, steps: int = 40, tests: int = 25) -> float:
    rng = np.random.default_rng(seed)
    bank = ItemBank.from_params(
        rng.lognormal(0, 0.25, n_items), rng.normal(0, 1, n_items), area=rng.integers(0, 8, n_items)
    )
    test = AdaptiveTest(bank, CatConfig(max_items=steps, se_target=0.0))
    exposure = rng.random(n_items) * 0.3
    times = []
    for _ in range(tests):
        state = CatState()
        theta = rng.normal()
        for _ in range(steps):
            start = time.perf_counter()
            state, item = test.next_item(state, rng, exposure)
            times.append((time.perf_counter() - start) * 1000)
            assert item is not None
            p = 1 / (1 + np.exp(-bank.a[item] * (theta - bank.b[item])))
            state = test.answer(state, item, bool(rng.random() < p))
    return statistics.median(times)


def placement_run(students: int, seed: int, p_init: float) -> tuple[float, float, float]:
    """Mean placement accuracy, mean items asked, and the accuracy of the prior alone (no items)."""
    from sequencing import load_unit  # a sibling script: the same unit the sequencing benchmark uses

    unit = load_unit("4")
    learners = make_population(
        unit.codes, unit.prerequisites, students, seed=seed, params=PopulationParams(p_init=p_init)
    )
    model = KnowledgeGraph(unit.codes, unit.prerequisites)
    probes = [Probe((code,)) for code in unit.codes for _ in range(6)]  # six items per competency
    prior_only = model.place([])
    rng = np.random.default_rng(seed)
    accuracy, items, prior_accuracy = [], [], []
    for learner in tqdm(learners, desc="placement", unit="student", leave=False):
        truth = set(learner.known)

        def respond(index: int, learner: object = learner) -> bool:
            # The true chance of a right answer, without the learning that practice would bring.
            return bool(rng.random() < learner.p_correct(probes[index].competencies[0]))  # type: ignore[attr-defined]

        placed, asked = run_diagnostic(model, probes, respond, max_items=30, target_accuracy=0.95)
        accuracy.append(np.mean([(c in placed.mastered) == (c in truth) for c in unit.codes]))
        prior_accuracy.append(np.mean([(c in prior_only.mastered) == (c in truth) for c in unit.codes]))
        items.append(len(asked))
    return float(np.mean(accuracy)), float(np.mean(items)), float(np.mean(prior_accuracy))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-exposure", type=float, default=0.25)
    parser.add_argument("--randomesque", type=int, default=3)
    parser.add_argument("--placement-students", type=int, default=1000)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    bank = ItemBank.from_params(rng.lognormal(0, 0.25, args.items), rng.normal(0, 1, args.items))
    theta = rng.normal(0, 1, args.students)
    p = 1 / (1 + np.exp(-bank.a * (theta[:, None] - bank.b)))
    answers = (rng.random(p.shape) < p).astype(np.float64)

    config = CatConfig(
        se_target=0.3, max_items=60, randomesque=args.randomesque, max_exposure=args.max_exposure
    )
    mean_length, rmse_cat, max_exposure, lengths = run_cat(bank, config, theta, answers, args.seed)
    rmses = fixed_form_rmse_by_length(bank, theta, answers)
    reaching = np.nonzero(rmses <= rmse_cat)[0]
    fixed_length = int(reaching[0] + 1) if len(reaching) else None
    select_ms = selection_ms(10_000, args.seed)
    oracle_capped = oracle_mean_length(bank, theta, 0.3, args.max_exposure)
    oracle_uncapped = oracle_mean_length(bank, theta, 0.3, 1.0)

    print(
        f"bank: {args.items} items (2PL), students: {args.students}, SE target 0.3, "
        f"exposure cap {args.max_exposure}, randomesque {args.randomesque}"
    )
    print(
        f"CAT: mean length {mean_length:.1f} (p90 {np.percentile(lengths, 90):.0f}, max {max(lengths)}), "
        f"RMSE {rmse_cat:.3f}, max exposure {max_exposure:.1%}"
    )
    if fixed_length is None:
        print(f"no fixed form from this bank reaches RMSE {rmse_cat:.3f} (full bank: {rmses[-1]:.3f})")
    else:
        saving = 1 - mean_length / fixed_length
        print(f"best fixed form reaching the same RMSE: {fixed_length} items -> CAT uses {saving:.0%} fewer")
    print(
        f"clairvoyant bound (true θ, information ≥ 1/0.3² - 1): {oracle_capped:.1f} items with the "
        f"{args.max_exposure:.0%} cap, {oracle_uncapped:.1f} without"
    )
    print(f"item selection on a 10,000-item bank: median {select_ms:.3f} ms per step")
    cat_over_bound = mean_length / oracle_capped
    print(f"CAT length / capped bound: {cat_over_bound:.3f}")
    accuracy, items, prior_accuracy = placement_run(args.placement_students, args.seed, 0.5)
    mis_accuracy, mis_items, _ = placement_run(args.placement_students, args.seed + 1, 0.7)
    print(
        f"placement on the grade-4 graph: {accuracy:.1%} of competencies placed right after {items:.1f} "
        f"items (prior alone: {prior_accuracy:.1%}); population with p_init 0.7 under the 0.5 prior: "
        f"{mis_accuracy:.1%} after {mis_items:.1f} items"
    )
    print(
        json.dumps(
            {
                "mean_length": round(mean_length, 2),
                "fixed_length_same_rmse": fixed_length,
                "rmse_cat": round(rmse_cat, 4),
                "max_exposure": round(max_exposure, 4),
                "select_ms": round(select_ms, 4),
                "oracle_length_capped": round(oracle_capped, 2),
                "oracle_length_uncapped": round(oracle_uncapped, 2),
                "cat_over_bound": round(cat_over_bound, 4),
                "placement_accuracy": round(accuracy, 4),
                "placement_items": round(items, 2),
                "placement_prior_only_accuracy": round(prior_accuracy, 4),
                "placement_mismatched_accuracy": round(mis_accuracy, 4),
                "placement_mismatched_items": round(mis_items, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
