"""Learner models: update math, no leaks, determinism, persistence, bad input, and the evaluate command."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cairn.engine.evaluation.metrics import auc, ece, log_loss
from cairn.engine.evaluation.protocol import evaluate, learning_curve, metrics_by_skill
from cairn.engine.kt.base import LearnerModel, Response
from cairn.engine.kt.bkt import BKT, posterior_known
from cairn.engine.kt.data import DataFormatError, StudentSequence, parse_three_line, read_three_line
from cairn.engine.kt.logistic import LogisticKT
from cairn.engine.kt.persist import load_model, save_model
from cairn.engine.kt.registry import MODELS

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:  # pragma: no cover - depends on the install
    HAVE_TORCH = False

needs_torch = pytest.mark.skipif(
    not HAVE_TORCH, reason="PyTorch is not installed (pip install 'cairn[deep]')"
)


def simulated_students(n: int, seed: int, skills: int = 4, length: int = 30) -> list[StudentSequence]:
    """BKT-like learners: each skill is learned with some probability per answer; guess 0.2, slip 0.1."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        known = rng.random(skills) < 0.3
        seq_skills, seq_correct = [], []
        for _ in range(length):
            s = int(rng.integers(skills))
            p = 0.9 if known[s] else 0.2
            seq_skills.append(s + 1)
            seq_correct.append(int(rng.random() < p))
            if not known[s] and rng.random() < 0.15:
                known[s] = True
        out.append(StudentSequence.of(f"s{i}", seq_skills, seq_correct))
    return out


TRAIN = simulated_students(120, seed=1)
TEST = simulated_students(40, seed=2)


def fitted(name: str) -> LearnerModel:
    cls = MODELS[name]
    # Small and short, where the model has such knobs: these tests are about behaviour, not accuracy.
    # The app model offers one candidate predictor here (its selection is tested in test_kt_app.py).
    small = {"hidden": 16, "embed": 8, "query_embed": 4, "head": 8, "max_epochs": 3, "seed": 0,
             "candidates": ("bkt",)}  # fmt: skip
    accepted = inspect.signature(cls).parameters
    return cls(**{k: v for k, v in small.items() if k in accepted}).fit(TRAIN)


MODEL_NAMES = [pytest.param(n, marks=needs_torch) if n == "dkt" else n for n in MODELS]


# --- BKT by hand -----------------------------------------------------------------------------------------
def test_bkt_update_matches_hand_computed_values() -> None:
    # P(known)=0.4, learn 0.1, guess 0.2, slip 0.1.
    # Right: 0.4·0.9 / (0.36 + 0.6·0.2) = 0.36/0.48 = 0.75; then learning: 0.75 + 0.25·0.1 = 0.775.
    assert posterior_known(0.4, 1, 0.1, 0.2, 0.1) == pytest.approx(0.775)
    # Wrong: 0.4·0.1 / (0.04 + 0.6·0.8) = 0.04/0.52 = 0.076923; then 0.076923 + 0.923077·0.1 = 0.169231.
    assert posterior_known(0.4, 0, 0.1, 0.2, 0.1) == pytest.approx(0.1692308, abs=1e-6)


def test_bkt_model_update_and_predict_use_the_fitted_parameters() -> None:
    model = BKT().fit(TRAIN)
    params = model.parameters()[2]
    state = model.initial_state()
    assert model.predict(state, 2) == pytest.approx(
        params["prior"] * (1 - params["slip"]) + (1 - params["prior"]) * params["guess"], abs=1e-6
    )
    after = model.update(state, Response(2, 1))
    expected = posterior_known(params["prior"], 1, params["learn"], params["guess"], params["slip"])
    assert model.mastery(after)[2].p == pytest.approx(expected, abs=1e-6)
    assert model.mastery(after)[2].n == 1
    assert model.mastery(state)[2].n == 0  # the given state is left unchanged


def test_bkt_em_recovers_simulated_parameters() -> None:
    model = BKT().fit(simulated_students(600, seed=3))
    guess = np.mean([p["guess"] for p in model.parameters().values()])
    slip = np.mean([p["slip"] for p in model.parameters().values()])
    learn = np.mean([p["learn"] for p in model.parameters().values()])
    assert guess == pytest.approx(0.2, abs=0.06)
    assert slip == pytest.approx(0.1, abs=0.05)
    assert learn == pytest.approx(0.15, abs=0.07)


# --- every model -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_no_leak_a_later_answer_never_changes_an_earlier_prediction(name: str) -> None:
    model = fitted(name)
    seq = TEST[0]
    flipped_correct = seq.correct.copy()
    flipped_correct[15:] = 1 - flipped_correct[15:]
    flipped = StudentSequence(seq.student, seq.skills, flipped_correct)
    a, b = model.predict_sequences([seq, flipped])
    np.testing.assert_allclose(a[:16], b[:16], rtol=0, atol=1e-12)  # prediction 15 precedes answer 15
    assert not np.allclose(a[16:], b[16:])


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_batch_predictions_agree_with_online_updates(name: str) -> None:
    model = fitted(name)
    seq = TEST[1]
    batch = model.predict_sequences([seq])[0]
    state = model.initial_state()
    online = []
    for s, c in zip(seq.skills.tolist(), seq.correct.tolist(), strict=True):
        online.append(model.predict(state, s))
        state = model.update(state, Response(s, c))
    np.testing.assert_allclose(batch, online, atol=1e-5)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_fitting_is_deterministic(name: str) -> None:
    a = fitted(name).predict_sequences(TEST[:5])
    b = fitted(name).predict_sequences(TEST[:5])
    for x, y in zip(a, b, strict=True):
        np.testing.assert_allclose(x, y, atol=1e-9)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_save_load_and_state_bytes_round_trip(name: str, tmp_path: Path) -> None:
    model = fitted(name)
    path = tmp_path / "model.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert type(loaded) is type(model)
    for x, y in zip(model.predict_sequences(TEST[:3]), loaded.predict_sequences(TEST[:3]), strict=True):
        np.testing.assert_allclose(x, y, atol=1e-6)
    state = model.initial_state()
    for s, c in zip(TEST[0].skills.tolist()[:10], TEST[0].correct.tolist()[:10], strict=True):
        state = model.update(state, Response(s, c))
    blob = model.state_to_bytes(state)
    assert len(blob) < 4096  # compact enough for one row per student
    again = loaded.state_from_bytes(blob)
    assert loaded.predict(again, 3) == pytest.approx(model.predict(state, 3), abs=1e-6)
    other = next(n for n in MODELS if n != name)
    with pytest.raises(ValueError, match="belongs to model"):
        MODELS[other].__new__(MODELS[other]).state_from_bytes(blob)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_unknown_skills_are_accepted_and_mastery_has_uncertainty(name: str) -> None:
    model = fitted(name)
    state = model.update(model.initial_state(), Response(999, 1))
    assert 0.0 < model.predict(state, 999) < 1.0
    m = model.mastery(state)
    # The app model tracks every skill with evidence, those no fit saw included; the others the fitted ones.
    assert set(m) == ({1, 2, 3, 4, 999} if name == "app" else {1, 2, 3, 4})
    assert all(0.0 <= v.p <= 1.0 and v.sd >= 0.0 for v in m.values())


def test_models_beat_chance_and_the_logistic_model_learns_transfer() -> None:
    result = evaluate(LogisticKT(), TRAIN, TEST)
    assert result.metrics["auc"] > 0.65
    assert result.update_ms_median > 0
    bkt = evaluate(BKT(), TRAIN, TEST)
    assert bkt.metrics["auc"] > 0.65


def test_a_loaded_file_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    save_model(BKT().fit(TRAIN), tmp_path / "bkt.npz")
    with pytest.raises(ValueError, match="holds a 'bkt' model"):
        load_model(tmp_path / "bkt.npz", LogisticKT)


def test_a_logistic_model_keeps_its_given_relatedness_through_save_and_load(tmp_path: Path) -> None:
    related = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.5], [0.0, 0.5, 0.0]]
    model = LogisticKT(related=related, related_skills=[1, 2, 3]).fit(TRAIN)
    save_model(model, tmp_path / "logistic.npz")
    loaded = load_model(tmp_path / "logistic.npz", LogisticKT)
    assert loaded.get_params() == model.get_params()
    assert loaded.related == related
    assert loaded.related_skills == [1, 2, 3]
    for x, y in zip(model.predict_sequences(TEST[:3]), loaded.predict_sequences(TEST[:3]), strict=True):
        np.testing.assert_array_equal(x, y)
    refitted = LogisticKT(**loaded.get_params()).fit(TRAIN)  # the parameters alone give the same model
    np.testing.assert_array_equal(refitted.transfer_, model.transfer_)


def test_an_unfitted_model_says_so() -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        BKT().initial_state()


# --- metrics and helpers ---------------------------------------------------------------------------------
def test_metrics_against_known_values() -> None:
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.4, 0.35, 0.8])
    assert auc(y, p) == pytest.approx(0.75)
    assert log_loss(y, p) == pytest.approx(
        -np.mean([np.log(0.9), np.log(0.6), np.log(0.35), np.log(0.8)]), rel=1e-9
    )
    assert ece(np.array([1, 1, 0, 0]), np.array([0.95, 0.95, 0.05, 0.05])) == pytest.approx(0.05)


def test_learning_curve_and_per_skill_metrics() -> None:
    result = evaluate(BKT(), TRAIN, TEST)
    curve = learning_curve(result.y, result.p, result.opportunity, max_opportunity=5)
    assert curve.count.sum() == result.n_test_answers
    assert curve.observed[5] > curve.observed[0]  # practice helps these simulated learners
    per_skill = metrics_by_skill(result.y, result.p, result.skills, min_answers=20)
    assert set(per_skill) == {1, 2, 3, 4}
    assert all(0.0 <= row["ece"] <= 1.0 for row in per_skill.values())


# --- bad input -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("3\n1,2,3\n1,0\n", 3, "2 correctness values, but line 1 says 3"),
        ("3\n1,2\n1,0,1\n", 2, "2 skill ids, but line 1 says 3"),
        ("2\n1,2\n1,2\n", 3, "correctness must be 0 or 1, found 2"),
        ("2\n1,x\n1,0\n", 2, "'x' is not an integer"),
        ("two\n1,2\n1,0\n", 1, "expected the number of responses"),
        ("2\n1,2\n1,0\n3\n1,2,3\n", 5, "not a multiple of 3"),
        ("2\n\n1,0\n", 2, "found an empty line"),
    ],
)
def test_bad_input_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(DataFormatError) as err:
        parse_three_line(text.splitlines(), source="data.csv")
    assert err.value.line == line
    assert message in str(err.value)
    assert f"data.csv, line {line}" in str(err.value)


def test_empty_file_and_stray_commas(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(DataFormatError, match="empty"):
        read_three_line(empty)
    ok = tmp_path / "ok.csv"
    ok.write_text("2,\n5,7,\n1,0,\n")
    (seq,) = read_three_line(ok)
    assert seq.skills.tolist() == [5, 7]
    assert seq.correct.tolist() == [1, 0]


# --- the command -----------------------------------------------------------------------------------------
def _write(path: Path, sequences: list[StudentSequence]) -> None:
    lines = []
    for s in sequences:
        lines += [str(len(s)), ",".join(map(str, s.skills.tolist())), ",".join(map(str, s.correct.tolist()))]
    path.write_text("\n".join(lines) + "\n")


def test_evaluate_command_prints_figures_and_a_json_last_line(tmp_path: Path) -> None:
    _write(tmp_path / "train.csv", TRAIN)
    _write(tmp_path / "test.csv", TEST)
    report = tmp_path / "out" / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "cairn", "evaluate", "--train", str(tmp_path / "train.csv"), "--test",
         str(tmp_path / "test.csv"), "--model", "bkt", "--report", str(report), "--no-progress"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("model", "auc", "accuracy", "rmse", "logloss", "ece", "fit_s", "update_ms_median",
                "update_ms_p99"):  # fmt: skip
        assert key in last
    assert last["model"] == "bkt"
    assert 0.5 < last["auc"] < 1.0
    saved = json.loads(report.read_text())
    assert saved["auc"] == last["auc"]
    assert saved["by_skill"]
    assert saved["learning_curve"]["count"]
    assert report.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_command_refuses_bad_files_with_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("2\n1,2\n1,5\n")
    result = subprocess.run(
        [sys.executable, "-m", "cairn", "evaluate", "--train", str(bad), "--test", str(bad)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "bad.csv, line 3" in result.stderr
    assert "0 or 1" in result.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "cairn", "evaluate", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    for name in MODELS:
        assert name in help_text
