"""DKT specifics: the NumPy inference path is the torch net, the history features, the ensemble."""

from __future__ import annotations

import numpy as np
import pytest

from cairn.engine.kt.data import StudentSequence
from cairn.engine.kt.dkt import DKT
from cairn.engine.kt.dkt_history import history_features
from cairn.engine.kt.dkt_training import tensors

torch = pytest.importorskip("torch")


def students(n: int, seed: int, skills: int = 6, length: int = 25) -> list[StudentSequence]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        ability = rng.normal()
        s = rng.integers(1, skills + 1, size=length)
        p = 1 / (1 + np.exp(-(ability + 0.1 * np.arange(length) - 0.3 * s + 1)))
        out.append(StudentSequence.of(f"s{i}", s.tolist(), (rng.random(length) < p).astype(int).tolist()))
    return out


SMALL = {"hidden": 12, "embed": 6, "query_embed": 4, "head": 8, "memory": 5, "ability": 3,
         "prev_embed": 3, "max_epochs": 2}  # fmt: skip


def test_history_features_by_hand() -> None:
    idx = np.array([3, 5, 3, 3, 5])
    correct = np.array([1, 0, 0, 1, 1])
    feats, weight = history_features(idx, correct)
    # log1p rights, log1p wrongs, last (+1/-1/0), log1p gap, seen; outcomes so far as ±1: +1 -1 -1 +1 +1
    expected = [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [np.log(2), 0, 1, np.log(3), 1],
        [np.log(2), np.log(2), -1, np.log(2), 1],
        [0, np.log(2), -1, np.log(4), 1],
    ]
    np.testing.assert_allclose(feats[:, :5], expected, atol=1e-6)
    # Recent form over all answers, decays 0.7 and 0.95, scaled by (1 - decay): Σ decay^(t-1-j)·(±1).
    for col, d in ((5, 0.7), (6, 0.95)):
        sums = [0, 1, d - 1, d * d - d - 1, d**3 - d * d - d + 1]
        np.testing.assert_allclose(feats[:, col], (1 - d) * np.array(sums), atol=1e-6)
    # Recent form on the skill (decay 0.7 per answer on it): skill 3 saw +1, then -1; skill 5 saw -1.
    np.testing.assert_allclose(feats[:, 7], 0.3 * np.array([0, 0, 1, 0.7 - 1, -1]), atol=1e-6)
    # Answer t adds log(2 + n) - log(1 + n), n = earlier answers of its kind on its skill.
    np.testing.assert_allclose(weight, np.log([2, 2, 2, 3 / 2, 2]), atol=1e-6)


def test_numpy_inference_equals_the_torch_forward_pass() -> None:
    train = students(60, seed=1)
    model = DKT(**SMALL, ensemble=2, seed=3).fit(train)
    assert model.members == 2
    test = students(5, seed=2)
    numpy_p = model.predict_sequences(test)
    encoded = model._encode(test)
    tok, q, f, dm, _, mask = tensors(encoded, list(range(len(test))))
    with torch.no_grad():
        torch_p = np.mean(
            [torch.sigmoid(model.torch_member(e)(tok, q, f, dm)).numpy() for e in range(2)], axis=0
        )
    for j, p in enumerate(numpy_p):
        np.testing.assert_allclose(p, torch_p[j][mask[j].numpy()], atol=2e-5)


def test_ensemble_members_after_the_first_use_all_students_for_the_chosen_epochs() -> None:
    model = DKT(**SMALL, ensemble=3).fit(students(60, seed=4))
    assert [m["students"] for m in model.members_] == ["train less validation", "all", "all"]
    assert {m["epochs"] for m in model.members_} == {model.best_epoch_}
    assert 1 <= model.best_epoch_ <= 2
    assert len(model.history_) >= model.best_epoch_


def test_a_zero_time_budget_keeps_only_the_first_member() -> None:
    model = DKT(**SMALL, ensemble=3, time_budget_s=0.0).fit(students(30, seed=5))
    assert model.members == 1
    assert len(model.members_) == 1


def test_switched_off_blocks_still_fit_and_predict() -> None:
    model = DKT(**{**SMALL, "memory": 0, "ability": 0, "prev_embed": 0}, ensemble=1).fit(students(30, seed=6))
    (p,) = model.predict_sequences(students(1, seed=7))
    assert p.shape == (25,)
    assert np.all((p > 0) & (p < 1))


def test_bad_hyper_parameters_are_named() -> None:
    with pytest.raises(ValueError, match="ensemble must be at least 1"):
        DKT(ensemble=0).fit(students(12, seed=8))
    with pytest.raises(ValueError, match="memory must be 0"):
        DKT(memory=-1).fit(students(12, seed=8))
