"""The app's learner model: believable steps, bounds, weighted evidence, uncertainty, forgetting, transfer,
cold start, ability and item difficulty, selection, persistence, and ``cairn evaluate --model app``."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cairn.engine.evaluation.protocol import evaluate
from cairn.engine.kt.app import AppModel, tempered_step
from cairn.engine.kt.app_fit import BOUNDS
from cairn.engine.kt.base import Evidence, Response
from cairn.engine.kt.data import StudentSequence
from cairn.engine.kt.persist import load_model, model_from_bytes, model_to_bytes, save_model

DAY = 86_400.0
MASTERED = 0.95


def bkt_students(
    n: int, seed: int, *, skills: int = 4, length: int = 30, guess: float = 0.2, slip: float = 0.1
) -> list[StudentSequence]:
    """BKT learners with a per-student ability shift; skill 1 is answered far more often than the others."""
    rng = np.random.default_rng(seed)
    weights = np.r_[4.0, np.ones(skills - 1)]
    weights /= weights.sum()
    out = []
    for i in range(n):
        ability = rng.normal()
        known = rng.random(skills) < 1 / (1 + np.exp(-(ability - 0.8)))
        learn = 0.15 / (1 + np.exp(-ability)) * 2
        s_list, c_list = [], []
        for _ in range(length):
            s = int(rng.choice(skills, p=weights))
            p = 1 - slip if known[s] else guess
            s_list.append(s + 1)
            c_list.append(int(rng.random() < p))
            if not known[s] and rng.random() < learn:
                known[s] = True
        out.append(StudentSequence.of(f"s{i}", s_list, c_list))
    return out


TRAIN = bkt_students(100, seed=1)
TEST = bkt_students(20, seed=2)


@pytest.fixture(scope="module")
def layer_model() -> AppModel:
    return AppModel(candidates=("bkt",)).fit(TRAIN)


@pytest.fixture(scope="module")
def logistic_model() -> AppModel:
    """Predictions by the logistic candidate, the only one offered."""
    return AppModel(candidates=("logistic",)).fit(TRAIN)


# --- believable steps (issue 16, item 5) ----------------------------------------------------------------
def test_no_parameters_within_the_bounds_let_one_answer_cross_mastery_or_one_slip_undo_it() -> None:
    corners = itertools.product(*(BOUNDS[n] for n in ("prior", "learn", "guess", "slip")))
    for prior, learn, guess, slip in corners:
        assert tempered_step(prior, 1.0, 1.0, learn, guess, slip, practice=True) < MASTERED
        k = prior
        for _ in range(6):
            k = tempered_step(k, 1.0, 1.0, learn, guess, slip, practice=True)
        assert tempered_step(k, 0.0, 1.0, learn, guess, slip, practice=True) >= 0.8, (
            prior,
            learn,
            guess,
            slip,
        )


def test_degenerate_data_still_fits_plausible_parameters_and_steps_stay_believable() -> None:
    # Students who answer right 80% of the time whatever they know, and slip often: unbounded EM would
    # fit guess ~0.8 and slip ~0.2+; the bounds hold every skill inside the plausible box.
    sloppy = bkt_students(60, seed=3, guess=0.8, slip=0.3)
    model = AppModel(candidates=("bkt",), min_answers=1).fit(sloppy)
    for row in model.parameters().values():
        for name, (lo, hi) in BOUNDS.items():
            assert lo <= row[name] <= hi, (name, row)
    for skill in (1, 2, 99):  # fitted, fitted, never seen
        for ev in (
            Response(skill, 1),
            Evidence(skill, 1.0, hinted=True),
            Evidence(skill, 1.0, source="teacher"),
        ):
            state = model.update(model.initial_state(), ev)
            assert model.skill_mastery(state, skill).p < MASTERED
    state = model.initial_state()
    for _ in range(6):
        state = model.update(state, Response(1, 1))
    assert model.skill_mastery(state, 1).p >= MASTERED
    assert model.skill_mastery(model.update(state, Response(1, 0)), 1).p >= 0.8


# --- weighted evidence ----------------------------------------------------------------------------------
def test_an_answer_after_a_hint_and_weaker_evidence_count_less(layer_model: AppModel) -> None:
    fresh = layer_model.initial_state()

    def after(ev: Evidence) -> float:
        return layer_model.skill_mastery(layer_model.update(fresh, ev), 1).p

    plain, hinted = after(Evidence(1, 1.0)), after(Evidence(1, 1.0, hinted=True))
    prior = layer_model.skill_mastery(fresh, 1).p
    assert prior < hinted < plain
    assert after(Evidence(1, 1.0, source="teacher", weight=0.3)) < after(Evidence(1, 1.0, source="teacher"))
    # Not practice: no learning step, so a weight-0 statement leaves the estimate where it was.
    assert after(Evidence(1, 1.0, source="statement", weight=0.0)) == pytest.approx(prior, abs=1e-6)
    assert after(Evidence(1, 0.0, hinted=True)) > after(Evidence(1, 0.0))  # a hinted wrong hurts less
    with pytest.raises(ValueError, match="weight"):
        Evidence(1, 1.0, weight=1.5)
    with pytest.raises(ValueError, match="source"):
        Evidence(1, 1.0, source="rumour")


# --- uncertainty ----------------------------------------------------------------------------------------
def test_uncertainty_shrinks_with_consistent_evidence_and_grows_with_inconsistent(
    layer_model: AppModel,
) -> None:
    state = layer_model.initial_state()
    sds = [layer_model.skill_mastery(state, 1).sd]
    for _ in range(8):
        state = layer_model.update(state, Response(1, 1))
        sds.append(layer_model.skill_mastery(state, 1).sd)
    assert all(b < a for a, b in itertools.pairwise(sds))
    after_slip = layer_model.update(state, Response(1, 0))
    assert layer_model.skill_mastery(after_slip, 1).sd > sds[-1]
    mixed = layer_model.initial_state()
    for c in (1, 0, 1, 0, 1, 0, 1, 0):
        mixed = layer_model.update(mixed, Response(2, c))
    assert layer_model.skill_mastery(mixed, 2).sd > sds[-1]
    assert layer_model.skill_mastery(mixed, 2).n == 8
    # sqrt(p(1-p)) would not shrink with answers that leave p near 1; this does (checked above).
    assert sds[-1] < 0.5 * sds[1]


# --- forgetting -----------------------------------------------------------------------------------------
def test_forgetting_with_times_and_none_without(layer_model: AppModel) -> None:
    t0 = 1_700_000_000.0
    timed, untimed = layer_model.initial_state(), layer_model.initial_state()
    for i in range(5):
        timed = layer_model.update(timed, Evidence(1, 1.0, at=t0 + i * 60))
        untimed = layer_model.update(untimed, Response(1, 1))
    now = layer_model.skill_mastery(timed, 1, now=t0 + 240).p
    prior = float(layer_model.params_["prior"][layer_model.skills_.index(1)])
    later = layer_model.skill_mastery(timed, 1, now=t0 + 240 + 30 * DAY).p  # one half-life
    assert later == pytest.approx(prior + (now - prior) / 2, abs=1e-5)
    assert (
        layer_model.skill_mastery(timed, 1, now=t0 + 240 + 30 * DAY).sd
        > layer_model.skill_mastery(timed, 1).sd
    )
    assert layer_model.predict(timed, 1, now=t0 + 240 + 90 * DAY) < layer_model.predict(
        timed, 1, now=t0 + 240
    )
    # No times: neutral, whatever `now` says.
    assert (
        layer_model.skill_mastery(untimed, 1, now=t0 + 365 * DAY).p == layer_model.skill_mastery(untimed, 1).p
    )
    # The next answer after a long gap starts from the decayed estimate.
    back = layer_model.update(timed, Evidence(1, 0.0, at=t0 + 240 + 60 * DAY))
    fresh_gap = layer_model.update(timed, Evidence(1, 0.0, at=t0 + 300))
    assert layer_model.skill_mastery(back, 1).p < layer_model.skill_mastery(fresh_gap, 1).p


# --- transfer -------------------------------------------------------------------------------------------
def test_prerequisite_mastery_raises_a_skills_prior_only_with_a_graph_and_evidence(
    layer_model: AppModel,
) -> None:
    state = layer_model.initial_state()
    for _ in range(6):
        state = layer_model.update(state, Response(1, 1))
    no_graph = layer_model.skill_mastery(state, 2).p
    graph = AppModel(**{**layer_model.get_params(), "prerequisites": {"2": [1]}})
    graph.__dict__.update({k: v for k, v in layer_model.__dict__.items() if k.endswith("_")})
    assert graph.prerequisites == {2: [1]}
    assert graph.skill_mastery(state, 2).p > no_graph
    assert graph.skill_mastery(state, 2).p <= BOUNDS["prior"][1]
    assert graph.predict(state, 2) > layer_model.predict(state, 2)
    fresh = graph.initial_state()
    assert (
        graph.skill_mastery(fresh, 2).p == layer_model.skill_mastery(fresh, 2).p
    )  # no evidence, no transfer
    # The raised prior is where the skill's first answer starts from.
    assert (
        graph.skill_mastery(graph.update(state, Response(2, 0)), 2).p
        > layer_model.skill_mastery(layer_model.update(state, Response(2, 0)), 2).p
    )
    graph.set_prerequisites({})
    assert graph.skill_mastery(state, 2).p == no_graph


def test_with_a_graph_before_fitting_the_transfer_is_chosen_on_held_out_students() -> None:
    # In these students skill 2 has nothing to do with skill 1: transfer can only double count, and
    # the held-out log loss must not choose the largest share.
    model = AppModel(candidates=("bkt",), prerequisites={2: [1], 3: [1]}).fit(TRAIN)
    tuned = model.selection_["transfer"]
    assert set(tuned) == {"chosen", "logloss_0.0", "logloss_0.25", "logloss_0.5"}
    assert model.transfer_ == tuned["chosen"] == min((0.0, 0.25, 0.5), key=lambda t: tuned[f"logloss_{t}"])
    assert tuned["chosen"] < 0.5
    assert model_from_bytes(model_to_bytes(model), AppModel).transfer_ == model.transfer_
    assert AppModel(candidates=("bkt",), transfer=0.5, prerequisites={2: [1]}).fit(TRAIN).transfer_ == 0.5


# --- cold start, sparse state, ability, items --------------------------------------------------------
def test_cold_start_switches_per_skill_and_unseen_skills_are_tracked_each_on_their_own() -> None:
    model = AppModel(candidates=("bkt",), min_answers=900).fit(
        TRAIN
    )  # skill 1 has ~1200 answers, others ~600
    params = model.parameters()
    assert params[1]["own"] and not params[2]["own"]
    assert params[2]["prior"] == pytest.approx(float(model.params_["prior"][0]))
    assert params[1]["prior"] == pytest.approx(float(model.fitted_params_["prior"][1]))
    priors_only = AppModel().fit([])  # a new district: literature priors everywhere
    assert priors_only.selection_["chosen"] == "bkt"
    state = priors_only.update(priors_only.initial_state(), Response(501, 1))
    state = priors_only.update(state, Response(502, 0))
    m = priors_only.mastery(state)
    assert set(m) == {501, 502} and m[501].p > m[502].p
    assert 0.0 < priors_only.predict(state, 503) < 1.0


def test_ability_moves_with_answers_and_harder_items_are_predicted_lower(layer_model: AppModel) -> None:
    good, poor = layer_model.initial_state(), layer_model.initial_state()
    for s in (1, 2, 3, 1, 2, 3):
        good = layer_model.update(good, Evidence(s, 1.0, item=10 * s))
        poor = layer_model.update(poor, Evidence(s, 0.0))
    assert layer_model.ability(good) > 0 > layer_model.ability(poor)
    assert layer_model.predict(good, 4) > layer_model.predict(poor, 4)  # skill 4 unanswered by both
    rated = AppModel(**{**layer_model.get_params(), "item_difficulty": {"7": 1.5, "8": -1.5}})
    rated.__dict__.update({k: v for k, v in layer_model.__dict__.items() if k.endswith("_")})
    assert rated.predict(good, 1, item=7) < rated.predict(good, 1) < rated.predict(good, 1, item=8)


def test_set_known_and_adopt(layer_model: AppModel, logistic_model: AppModel) -> None:
    state = layer_model.set_known(layer_model.initial_state(), 42, 0.9, n=10)
    m = layer_model.skill_mastery(state, 42)
    assert m.p == pytest.approx(0.9, abs=1e-6) and m.n == 10 and m.sd < 0.15
    other = logistic_model
    adopted = other.adopt(state)
    assert other.skill_mastery(adopted, 42).p == pytest.approx(0.9, abs=1e-6)
    assert set(adopted.arrays) == set(other.initial_state().arrays)
    assert 0.0 < other.predict(other.update(adopted, Response(1, 1)), 1) < 1.0


# --- selection, persistence, evaluate -------------------------------------------------------------------
def test_selection_on_held_out_students_and_a_round_trip_through_bytes(logistic_model: AppModel) -> None:
    model = AppModel(candidates=("bkt", "logistic")).fit(TRAIN)
    sel = model.selection_
    assert sel["chosen"] in ("bkt", "logistic") and sel["held_out_students"] == 20
    for name in ("bkt", "logistic"):
        assert set(sel[name]) == {"auc", "ece", "logloss", "n"} and 0.5 < sel[name]["auc"] < 1.0
    forced = logistic_model
    assert forced.chosen_ == "logistic" and forced.predictor_ is not None
    for m in (model, forced):
        loaded = model_from_bytes(model_to_bytes(m), AppModel)
        assert loaded.selection_ == m.selection_ and loaded.get_params() == m.get_params()
        for x, y in zip(m.predict_sequences(TEST[:3]), loaded.predict_sequences(TEST[:3]), strict=True):
            np.testing.assert_allclose(x, y, atol=1e-9)
    state = forced.initial_state()
    for s, c in zip(TEST[0].skills.tolist(), TEST[0].correct.tolist(), strict=True):
        state = forced.update(state, Evidence(s, float(c), at=1e9))
    state = forced.update(state, Response(777, 1))  # a skill no fit saw
    again = forced.state_from_bytes(forced.state_to_bytes(state))
    assert len(forced.state_to_bytes(state)) < 2048
    assert forced.mastery(again) == forced.mastery(state)
    assert forced.predict(again, 2) == forced.predict(state, 2)


def test_a_dkt_predictor_is_selected_saved_and_loaded(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    small = {"hidden": 8, "embed": 4, "query_embed": 4, "head": 4, "memory": 4, "ability": 2,
             "prev_embed": 2, "max_epochs": 2, "ensemble": 1}  # fmt: skip
    model = AppModel(candidates=("dkt",), dkt_min_answers=0, dkt=small).fit(TRAIN[:30])
    assert model.chosen_ == "dkt" and "dkt" in model.selection_
    save_model(model, tmp_path / "app.npz")
    loaded = load_model(tmp_path / "app.npz", AppModel)
    assert loaded.predictor_ is not None and loaded.predictor_.name == "dkt"
    for x, y in zip(model.predict_sequences(TEST[:2]), loaded.predict_sequences(TEST[:2]), strict=True):
        np.testing.assert_allclose(x, y, atol=1e-6)


def test_evaluation_predicts_with_the_apps_own_predict_and_update(layer_model: AppModel) -> None:
    result = evaluate(AppModel(candidates=("bkt",)), TRAIN, TEST)
    walked = []
    for seq in TEST:
        state = layer_model.initial_state()
        for s, c in zip(seq.skills.tolist(), seq.correct.tolist(), strict=True):
            walked.append(layer_model.predict(state, s))
            state = layer_model.update(state, Response(s, c))
    np.testing.assert_allclose(result.p, walked, atol=1e-12)
    assert result.metrics["auc"] > 0.6


def test_the_evaluate_command_runs_the_app_model(tmp_path: Path) -> None:
    for name, seqs in (("train", TRAIN[:50]), ("test", TEST[:10])):
        rows = []
        for s in seqs:
            rows += [
                str(len(s)),
                ",".join(map(str, s.skills.tolist())),
                ",".join(map(str, s.correct.tolist())),
            ]
        (tmp_path / f"{name}.csv").write_text("\n".join(rows) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "cairn", "evaluate", "--train", str(tmp_path / "train.csv"), "--test",
         str(tmp_path / "test.csv"), "--model", "app", "--no-progress"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.strip().splitlines()[-1])
    assert last["model"] == "app"
    for key in ("auc", "accuracy", "rmse", "logloss", "ece", "fit_s", "update_ms_median", "update_ms_p99"):
        assert key in last
    assert 0.55 < last["auc"] < 1.0
