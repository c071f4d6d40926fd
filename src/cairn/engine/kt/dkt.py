"""Deep Knowledge Tracing (Piech et al., 2015) with a query-aware, IRT-shaped output; trained with PyTorch on
the CPU, run with NumPy only.

What the net sees to predict a student's next answer, on skill q (everything strictly before that answer):

* an LSTM's hidden vector h over the earlier answers, each a token (skill, right or wrong);
* an *evidence memory* m: the sum over every skill s of learned vectors V[s, right]·log(1 + r_s) and
  V[s, wrong]·log(1 + w_s), where r_s, w_s count the student's rights and wrongs on s. It is the low-rank
  form of a full skill-to-skill transfer matrix (a logistic model's related-skill counts, learned): it lets
  the net infer ability from correlated earlier answers on other skills without relying on the LSTM to
  carry them, which matters most when skills are seldom repeated;
* the embedding of the previous answer's token (on multi-skill items, logs often repeat one answer under
  each of the item's skills in a row, so the previous answer says much about the next);
* per-skill history on q: log(1 + rights), log(1 + wrongs), the last answer on q (+1 right, -1 wrong, 0
  none), log(1 + answers since the last one on q) and whether q was seen; exact evidence an LSTM only blurs;
* recent form: exponentially decayed sums of the ±1 outcomes of all earlier answers (decays 0.7 and 0.95
  per answer) and of the earlier answers on q (0.7 per answer on q). LSTMs drift on the long sequences
  (hundreds to thousands of answers) where most answers are; these keep "lately" exact at any length.

The output is the sum of two terms: an IRT-shaped one, a_q · θ + b_q, where θ = MLP(h, m, previous,
history on q) is an ability vector read from the evidence and a_q, b_q are the skill's learned
discrimination and easiness; and a small ReLU layer over all of the above plus an embedding of q, for
interactions the first term cannot express. Each term alone is weaker on held-out students.

Training (``fit``, :mod:`cairn.engine.kt.dkt_training`): the first member is trained on the training
students less a validation split, with early stopping on its AUC and the number of final epochs whose
weights are averaged chosen on it too. Both numbers are then the hyper-parameters of the further
``ensemble - 1`` members, each trained on all training students with its own seed.
Predictions average the members' probabilities: single nets differ by seed far more than by any other
hyper-parameter tried, so averaging a few is the largest gain. Members are added only while the
estimated time fits ``time_budget_s``, so large datasets get fewer members rather than a long fit.

Inference needs NumPy only (:mod:`cairn.engine.kt.dkt_network`): one update is a few table lookups and
one (4H × H) matrix-vector product per member. A student's state is h, c and m per member (float32), the
previous token, the answer count, the two recent-form sums, and per skill the right and wrong counts
(uint16), the last answer (int8), when it was (int32) and the recent-form sum (float32): about 11 bytes
per skill plus 4·(2H + D) bytes per member. ``mastery`` is the predicted P(correct) on the skill's next
answer, with the evidence-count uncertainty of :func:`cairn.engine.kt.base.beta_mastery`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np

from cairn.engine.kt.base import (
    AnyArray,
    FloatArray,
    IntArray,
    KTState,
    LearnerModel,
    Mastery,
    Response,
    SkillIndex,
    beta_mastery,
)
from cairn.engine.kt.data import StudentSequence, split_by_student
from cairn.engine.kt.dkt_history import (
    GLOBAL_DECAYS,
    N_HISTORY,
    SKILL_DECAY,
    history_features,
    state_history_features,
)
from cairn.engine.kt.dkt_network import InferenceNet
from cairn.engine.kt.dkt_training import Encoded, MemberFit, NetConfig, torch_module, train_member

_U16_MAX = int(np.iinfo(np.uint16).max)


class DKT(LearnerModel):
    """LSTM knowledge tracing with an evidence memory and an IRT-shaped head; see the module docstring."""

    name = "dkt"

    def __init__(
        self,
        hidden: int = 128,
        embed: int = 64,
        query_embed: int = 32,
        head: int = 64,
        memory: int = 32,
        ability: int = 16,
        prev_embed: int = 16,
        dropout: float = 0.3,
        lr: float = 2e-3,
        weight_decay: float = 1e-6,
        batch_size: int = 32,
        max_epochs: int = 40,
        patience: int = 4,
        validation_fraction: float = 0.1,
        ensemble: int = 5,
        average_last: int = 4,
        time_budget_s: float = 480.0,
        seed: int = 0,
    ) -> None:
        self.hidden = hidden
        self.embed = embed
        self.query_embed = query_embed
        self.head = head
        self.memory = memory
        self.ability = ability
        self.prev_embed = prev_embed
        self.dropout = dropout
        self.lr = lr
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.ensemble = ensemble
        self.average_last = average_last
        self.time_budget_s = time_budget_s
        self.seed = seed

    # --- training (torch) -----------------------------------------------------------------------------
    def fit(self, sequences: Sequence[StudentSequence], *, progress: bool = False) -> Self:
        try:
            import torch
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(
                "training DKT needs PyTorch: pip install 'cairn[deep]' (torch==2.13.0, CPU is enough)"
            ) from exc
        self._check_params()
        start = time.perf_counter()
        threads = torch.get_num_threads()
        torch.set_num_threads(max(1, min(threads, 2)))
        try:
            self.skills_ = SkillIndex.from_sequences(sequences)
            fits, log = self._fit_ensemble(sequences, start, progress)
        finally:
            torch.set_num_threads(threads)
        first = fits[0]
        self.history_ = list(first.history)
        self.members_ = log
        self.best_epoch_ = first.epochs
        self.averaged_epochs_ = first.averaged
        self.validation_auc_ = first.validation_auc
        self._set_arrays({k: np.stack([f.weights[k] for f in fits]) for k in first.weights})
        return self

    def _check_params(self) -> None:
        for name in ("hidden", "embed", "query_embed", "head", "ensemble", "max_epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"DKT: {name} must be at least 1, not {getattr(self, name)}")
        for name in ("memory", "ability", "prev_embed"):
            if getattr(self, name) < 0:
                raise ValueError(f"DKT: {name} must be 0 (off) or more, not {getattr(self, name)}")

    def _net_config(self) -> NetConfig:
        return NetConfig(**{name: getattr(self, name) for name in NetConfig.__dataclass_fields__})

    def _fit_ensemble(
        self, sequences: Sequence[StudentSequence], start: float, progress: bool
    ) -> tuple[list[MemberFit], list[dict[str, Any]]]:
        """Train the members; returns them and a line per member for ``members_``.

        The first, on the training students less a validation split, chooses the epochs and how many to
        average; the others reuse both on all students, each with its own seed, while time lasts.
        """
        config, k = self._net_config(), self.skills_.size
        everyone = self._encode(sequences)
        if len(sequences) >= 10:
            train, valid = split_by_student(sequences, self.validation_fraction, self.seed)
            tr_data, va_data = self._encode(train), self._encode(valid)
        else:
            tr_data = va_data = everyone
        budget_first = self.time_budget_s * (0.5 if self.ensemble > 1 else 1.0)
        t0 = time.perf_counter()
        first = train_member(config, k, tr_data, va_data, seed=self.seed, epochs=self.max_epochs,
                             average=self.average_last, budget_s=budget_first, progress=progress)  # fmt: skip
        fits = [first]
        log = [_member_line(self.seed, "train less validation", first, time.perf_counter() - t0)]
        # An epoch on all students costs about the share of answers more than one on the train split.
        share = sum(len(d[0]) for d in everyone) / max(1, sum(len(d[0]) for d in tr_data))
        per_member = first.epoch_s * share * first.epochs
        for e in range(1, self.ensemble):
            if time.perf_counter() - start + per_member > self.time_budget_s:
                break
            t0 = time.perf_counter()
            left = self.time_budget_s - (t0 - start)
            member = train_member(config, k, everyone, None, seed=self.seed + e, epochs=first.epochs,
                                  average=first.averaged, budget_s=left, progress=progress)  # fmt: skip
            if member.epochs < first.epochs:  # cut short by the time budget: under-trained, left out
                break
            fits.append(member)
            log.append(_member_line(self.seed + e, "all", first, time.perf_counter() - t0))
        return fits, log

    def _encode(self, seqs: Sequence[StudentSequence]) -> list[Encoded]:
        out = []
        for s in seqs:
            idx = self.skills_.encode(s.skills)
            feats, weight = history_features(idx, s.correct)
            out.append((idx, s.correct, feats, weight))
        return out

    # --- NumPy inference ------------------------------------------------------------------------------
    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        """Keep the raw weights (leading axis: ensemble member) and build the inference tables."""
        self.weights_ = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        self._net = InferenceNet.from_weights(self.weights_)

    def _arrays(self) -> dict[str, AnyArray]:
        return dict(self.weights_)

    def torch_member(self, member: int = 0) -> Any:
        """One fitted member as a torch module in eval mode (needs torch): to check NumPy against it.

        Call it as ``net(tokens, queries, history, memory_weights)`` on (B, T) tensors padded as in
        training; it returns that member's logits.
        """
        self._check_fitted()
        weights = {name: w[member] for name, w in self.weights_.items()}
        return torch_module(self._net_config(), self.skills_.size, weights)

    @property
    def members(self) -> int:
        """Number of nets in the fitted ensemble (can be below ``ensemble`` when time ran short)."""
        return self._net.members

    def initial_state(self) -> KTState:
        self._check_fitted()
        k = self.skills_.size
        e = self.members
        return KTState(
            self.name,
            {
                "h": np.zeros((e, self._net.hidden), dtype=np.float32),
                "c": np.zeros((e, self._net.hidden), dtype=np.float32),
                "m": np.zeros((e, self._net.memory), dtype=np.float32),
                "prev": np.array([2 * k], dtype=np.int64),  # 2K: no earlier answer
                "n": np.zeros(1, dtype=np.int64),
                "right": np.zeros(k, dtype=np.uint16),
                "wrong": np.zeros(k, dtype=np.uint16),
                "last": np.zeros(k, dtype=np.int8),
                "when": np.zeros(k, dtype=np.int32),  # 1 + position of the last answer; 0 = never
                "recent": np.zeros(len(GLOBAL_DECAYS), dtype=np.float32),
                "skill_recent": np.zeros(k, dtype=np.float32),
            },
        )

    def update(self, state: KTState, response: Response) -> KTState:
        i = self.skills_.index(response.skill)
        right = bool(response.correct)
        tok = 2 * i + int(right)
        h, c = self._net.cell(np.array([tok]), state["h"][:, None, :], state["c"][:, None, :])
        counts = state["right"] if right else state["wrong"]
        n_same = int(counts[i])
        weight = np.float32(np.log1p(n_same + 1.0) - np.log1p(n_same))
        m = state["m"] + self._net.memv[:, tok] * weight
        counts = counts.copy()
        counts[i] = min(n_same + 1, _U16_MAX)
        last = state["last"].copy()
        last[i] = 1 if right else -1
        when = state["when"].copy()
        n = int(state["n"][0])
        when[i] = n + 1
        outcome = np.float32(1.0 if right else -1.0)
        recent = (np.asarray(GLOBAL_DECAYS, dtype=np.float32) * state["recent"] + outcome).astype(np.float32)
        skill_recent = state["skill_recent"].copy()
        skill_recent[i] = np.float32(SKILL_DECAY) * skill_recent[i] + outcome
        return KTState(
            self.name,
            {
                "h": h[:, 0],
                "c": c[:, 0],
                "m": m,
                "prev": np.array([tok], dtype=np.int64),
                "n": np.array([n + 1], dtype=np.int64),
                "right": counts if right else state["right"],
                "wrong": state["wrong"] if right else counts,
                "last": last,
                "when": when,
                "recent": recent,
                "skill_recent": skill_recent,
            },
        )

    def predict_indices(self, state: KTState, idx: IntArray) -> FloatArray:
        idx = np.asarray(idx, dtype=np.int64)
        return self._net.predict(
            state["h"][:, None, :],
            state["m"][:, None, :],
            state["prev"],
            idx,
            state_history_features(state, idx),
        )

    def mastery(self, state: KTState) -> dict[int, Mastery]:
        idx = np.arange(1, self.skills_.size)
        p = self.predict_indices(state, idx)
        n = state["right"].astype(np.int64) + state["wrong"]
        return {int(s): beta_mastery(float(p[j]), int(n[j + 1])) for j, s in enumerate(self.skills_.ids)}

    def predict_sequences(self, sequences: Sequence[StudentSequence]) -> list[FloatArray]:
        """Batched over students, time-major, by the same NumPy cell and heads as :meth:`update`."""
        self._check_fitted()
        order = np.argsort([len(s) for s in sequences], kind="stable")
        results: dict[int, FloatArray] = {}
        e, k = self.members, self.skills_.size
        for lo in range(0, len(order), 512):
            ids = order[lo : lo + 512].tolist()
            encoded = self._encode([sequences[i] for i in ids])
            t_max = max(len(x[0]) for x in encoded)
            b = len(ids)
            q = np.zeros((b, t_max), dtype=np.int64)
            y = np.zeros((b, t_max), dtype=np.int64)
            f = np.zeros((b, t_max, N_HISTORY), dtype=np.float32)
            dm = np.zeros((b, t_max), dtype=np.float32)
            for j, (idx, c, feats, weight) in enumerate(encoded):
                q[j, : len(idx)], y[j, : len(idx)], f[j, : len(idx)], dm[j, : len(idx)] = (
                    idx, c, feats, weight
                )  # fmt: skip
            h = np.zeros((e, b, self._net.hidden), dtype=np.float32)
            cc = np.zeros((e, b, self._net.hidden), dtype=np.float32)
            m = np.zeros((e, b, self._net.memory), dtype=np.float32)
            prev = np.full(b, 2 * k, dtype=np.int64)
            p = np.empty((b, t_max))
            for t in range(t_max):
                p[:, t] = self._net.predict(h, m, prev, q[:, t], f[:, t])
                tok = 2 * q[:, t] + y[:, t]
                h, cc = self._net.cell(tok, h, cc)
                m = m + self._net.memv[:, tok] * dm[None, :, t, None]
                prev = tok
            for j, i in enumerate(ids):
                results[i] = p[j, : len(sequences[i])]
        return [results[i] for i in range(len(sequences))]


def _member_line(seed: int, students: str, first: MemberFit, fit_s: float) -> dict[str, Any]:
    """What ``members_`` says of one member: every member trains the first one's epochs and averaging."""
    return {"seed": seed, "students": students, "epochs": first.epochs, "averaged": first.averaged,
            "fit_s": fit_s}  # fmt: skip
