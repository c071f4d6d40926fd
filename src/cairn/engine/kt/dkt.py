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

Training (``fit``): full sequences in length buckets, Adam, dropout, gradient clipping. The first member
is trained on the training students less a validation split, with early stopping on its AUC; its final
weights are the mean of its last 1 to ``average_last`` epochs' weights up to the best one (stochastic
weight averaging), the number chosen on the validation students too. Both numbers are then the
hyper-parameters of the further ``ensemble - 1`` members, each trained on all training students with its
own seed.
Predictions average the members' probabilities: single nets differ by seed far more than by any other
hyper-parameter tried, so averaging a few is the largest gain. Members are added only while the
estimated time fits ``time_budget_s``, so large datasets get fewer members rather than a long fit.

Inference needs NumPy only: the LSTM cell and the heads are re-implemented below from the saved weights,
with every embedding's share of a layer precomputed into a table, so one update is a few lookups and one
(4H × H) matrix-vector product per member. A student's state is h, c and m per member (float32), the
previous token, the answer count, the two recent-form sums, and per skill the right and wrong counts
(uint16), the last answer (int8), when it was (int32) and the recent-form sum (float32): about 11 bytes
per skill plus 4·(2H + D) bytes per member. ``mastery`` is the predicted P(correct) on the skill's next
answer, with the evidence-count uncertainty of :func:`cairn.engine.kt.base.beta_mastery`.
"""

from __future__ import annotations

import time
import warnings
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter
from tqdm import tqdm

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
from cairn.engine.kt.features import prior_counts

F32 = npt.NDArray[np.float32]
_U16_MAX = int(np.iinfo(np.uint16).max)
# Recency: exponentially decayed sums of ±1 outcomes, over all answers (two decays, per answer) and over
# the answers on the queried skill (per answer on that skill); each is scaled by (1 - decay) into [-1, 1].
GLOBAL_DECAYS = (0.7, 0.95)
SKILL_DECAY = 0.7
# Per-query history features: log1p rights, log1p wrongs, last answer (+1/-1/0), log1p gap, seen, the two
# global recency sums, the recency sum on the skill.
N_HISTORY = 8


def _sigmoid(x: F32) -> F32:
    out: F32 = 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free logistic
    return out


def _auc(y: IntArray, p: FloatArray) -> float:
    from cairn.engine.evaluation.metrics import auc

    return auc(y, p)


def _decayed_before(v: FloatArray, decay: float) -> FloatArray:
    """e[t] = Σ_{j<t} decay^(t-1-j)·v[j]: the decayed sum of the values strictly before t."""
    if v.size == 0:
        return np.zeros(0)
    y = np.asarray(lfilter([1.0], [1.0, -decay], v), dtype=np.float64)
    out: FloatArray = np.r_[0.0, y[:-1]]
    return out


def history_features(idx: IntArray, correct: IntArray) -> tuple[F32, F32]:
    """Per answer t, from answers strictly before t: the (T, 8) history features, and t's memory weight.

    Features (see ``N_HISTORY``) describe the student's past on t's skill and their recent form overall.
    The memory weight is how much answer t adds to its (skill, right/wrong) count's log1p:
    log(2 + n) - log(1 + n), n the earlier answers of the same kind on the same skill.
    """
    n = idx.size
    right, wrong = prior_counts(idx, correct)
    outcome: FloatArray = 2.0 * correct.astype(np.float64) - 1.0
    last = np.zeros(n)
    gap = np.zeros(n)
    seen = np.zeros(n)
    on_skill = np.zeros(n)
    if n:
        order = np.argsort(idx, kind="stable")
        s = idx[order]
        repeat = np.r_[False, s[1:] == s[:-1]]  # sorted position j has an earlier answer on its skill
        cur, before = order[1:][repeat[1:]], order[:-1][repeat[1:]]
        last[cur] = outcome[before]
        gap[cur] = np.log1p(cur - before)
        seen[cur] = 1.0
        # The decayed sum within each skill's answers: one filter over the skill-sorted answers, minus
        # what it carried over from the previous skill's group.
        y = lfilter([1.0], [1.0, -SKILL_DECAY], outcome[order])
        pos = np.arange(n)
        group_start = np.maximum.accumulate(np.where(repeat, 0, pos))
        carried = np.where(group_start > 0, y[np.maximum(group_start - 1, 0)], 0.0)
        y = y - carried * SKILL_DECAY ** (pos - group_start + 1)
        on_skill[order[1:]] = np.where(repeat[1:], y[:-1], 0.0)
    glob = [(1.0 - d) * _decayed_before(outcome, d) for d in GLOBAL_DECAYS]
    feats = np.stack(
        [np.log1p(right), np.log1p(wrong), last, gap, seen, *glob, (1.0 - SKILL_DECAY) * on_skill], axis=1
    ).astype(np.float32)
    same_kind = np.where(correct == 1, right, wrong)
    weight = (np.log1p(same_kind + 1.0) - np.log1p(same_kind)).astype(np.float32)
    return feats, weight


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
        for name in ("hidden", "embed", "query_embed", "head", "ensemble", "max_epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"DKT: {name} must be at least 1, not {getattr(self, name)}")
        for name in ("memory", "ability", "prev_embed"):
            if getattr(self, name) < 0:
                raise ValueError(f"DKT: {name} must be 0 (off) or more, not {getattr(self, name)}")

        start = time.perf_counter()
        threads = torch.get_num_threads()
        torch.set_num_threads(max(1, min(threads, 2)))
        try:
            self.skills_ = SkillIndex.from_sequences(sequences)
            everyone = self._encode(sequences)
            if len(sequences) >= 10:
                train, valid = split_by_student(sequences, self.validation_fraction, self.seed)
                tr_data, va_data = self._encode(train), self._encode(valid)
            else:
                tr_data = va_data = everyone
            self.history_: list[dict[str, float]] = []
            self.members_: list[dict[str, Any]] = []
            budget_first = self.time_budget_s * (0.5 if self.ensemble > 1 else 1.0)
            t0 = time.perf_counter()
            weights, best_epoch, n_avg, best_auc, epoch_s = self._train_member(
                tr_data, va_data, self.seed, self.max_epochs, self.average_last, budget_first, progress
            )
            members = [weights]
            self.members_.append(
                {"seed": self.seed, "students": "train less validation", "epochs": best_epoch,
                 "averaged": n_avg, "fit_s": time.perf_counter() - t0}
            )  # fmt: skip
            # An epoch on all students costs about the share of answers more than one on the train split.
            share = sum(len(d[0]) for d in everyone) / max(1, sum(len(d[0]) for d in tr_data))
            per_member = epoch_s * share * best_epoch
            for e in range(1, self.ensemble):
                if time.perf_counter() - start + per_member > self.time_budget_s:
                    break
                t0 = time.perf_counter()
                left = self.time_budget_s - (t0 - start)
                w, epochs_run, _, _, _ = self._train_member(
                    everyone, None, self.seed + e, best_epoch, n_avg, left, progress
                )
                if epochs_run < best_epoch:  # cut short by the time budget: under-trained, left out
                    break
                members.append(w)
                self.members_.append(
                    {"seed": self.seed + e, "students": "all", "epochs": best_epoch, "averaged": n_avg,
                     "fit_s": time.perf_counter() - t0}
                )  # fmt: skip
        finally:
            torch.set_num_threads(threads)
        self.best_epoch_ = best_epoch
        self.averaged_epochs_ = n_avg
        self.validation_auc_ = best_auc
        self._set_arrays({k: np.stack([m[k] for m in members]) for k in members[0]})
        return self

    def _encode(self, seqs: Sequence[StudentSequence]) -> list[tuple[IntArray, IntArray, F32, F32]]:
        out = []
        for s in seqs:
            idx = self.skills_.encode(s.skills)
            feats, weight = history_features(idx, s.correct)
            out.append((idx, s.correct, feats, weight))
        return out

    def _train_member(
        self,
        train: list[tuple[IntArray, IntArray, F32, F32]],
        valid: list[tuple[IntArray, IntArray, F32, F32]] | None,
        seed: int,
        epochs: int,
        average: int,
        budget_s: float,
        progress: bool,
    ) -> tuple[dict[str, F32], int, int, float, float]:
        """Train one net.

        With ``valid``: early stopping on its AUC, then the number of final epochs to average (1 to
        ``average``) chosen on it too. Without: ``epochs`` epochs, the last ``average`` averaged.
        Returns the weights, the epochs, the epochs averaged, the validation AUC and seconds per epoch.
        """
        import torch
        from torch import nn

        start = time.perf_counter()
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        k = self.skills_.size
        with warnings.catch_warnings():
            # A block switched off (memory, ability or prev_embed = 0) is a zero-size tensor to initialise.
            warnings.filterwarnings("ignore", "Initializing zero-element tensors")
            net = _Net.build(self, k)
        opt = torch.optim.Adam(net.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        loss_fn = nn.BCEWithLogitsLoss(reduction="sum")

        def batches(data: list[tuple[IntArray, IntArray, F32, F32]], shuffle: bool) -> list[list[int]]:
            order = np.argsort([len(d[0]) for d in data], kind="stable")
            groups = [order[i : i + self.batch_size].tolist() for i in range(0, len(order), self.batch_size)]
            if shuffle:
                rng.shuffle(groups)
            return groups

        def validation_auc(data: list[tuple[IntArray, IntArray, F32, F32]]) -> float:
            net.eval()
            preds, ys = [], []
            with torch.no_grad():
                for ids in batches(data, shuffle=False):
                    tok, q, f, dm, y, mask = _tensors(data, ids)
                    preds.append(torch.sigmoid(net(tok, q, f, dm))[mask].numpy())
                    ys.append(y[mask].numpy())
            return _auc(np.concatenate(ys).astype(np.int64), np.concatenate(preds).astype(np.float64))

        def mean_of(states: Sequence[dict[str, Any]]) -> dict[str, Any]:
            return {n: sum(sd[n] for sd in states) / len(states) for n in states[0]}

        best_auc, best_epoch, bad = -1.0, 0, 0
        done = 0
        recent: deque[dict[str, Any]] = deque(maxlen=max(1, average))
        best_window: list[dict[str, Any]] = []
        label = "dkt" if valid is not None else f"dkt member seed {seed}"
        bar = tqdm(range(epochs), desc=label, disable=not progress, unit="epoch")
        for epoch in bar:
            net.train()
            total, count = 0.0, 0
            for ids in batches(train, shuffle=True):
                tok, q, f, dm, y, mask = _tensors(train, ids)
                logit = net(tok, q, f, dm)
                loss = loss_fn(logit[mask], y[mask])
                opt.zero_grad()
                (loss / mask.sum()).backward()
                nn.utils.clip_grad_norm_(net.parameters(), 5.0)
                opt.step()
                total += float(loss.item())
                count += int(mask.sum())
            done = epoch + 1
            recent.append({n: v.detach().clone() for n, v in net.state_dict().items()})
            if valid is None:
                bar.set_postfix(loss=f"{total / max(count, 1):.4f}")
                if time.perf_counter() - start > budget_s:
                    break
                continue
            val_auc = validation_auc(valid)
            self.history_.append(
                {"epoch": epoch + 1, "train_loss": total / max(count, 1), "val_auc": val_auc}
            )
            bar.set_postfix(loss=f"{total / max(count, 1):.4f}", val_auc=f"{val_auc:.4f}")
            if val_auc > best_auc + 1e-4:
                best_auc, best_epoch, bad = val_auc, epoch + 1, 0
                best_window = list(recent)
            else:
                bad += 1
            if bad >= self.patience or time.perf_counter() - start > budget_s:
                break
        bar.close()
        epoch_s = (time.perf_counter() - start) / max(done, 1)
        if valid is None or not best_window:
            net.load_state_dict(mean_of(list(recent)))
            return net.export(), done, len(recent), best_auc, epoch_s
        # How many of the epochs up to the best to average: chosen on the validation students. Averaging
        # helps once training has settled, and hurts when it spans the first, still-moving epochs.
        chosen, chosen_auc = 1, best_auc
        for n_avg in range(2, len(best_window) + 1):
            net.load_state_dict(mean_of(best_window[-n_avg:]))
            auc_avg = validation_auc(valid)
            if auc_avg > chosen_auc:
                chosen, chosen_auc = n_avg, auc_avg
        net.load_state_dict(mean_of(best_window[-chosen:]))
        return net.export(), best_epoch, chosen, chosen_auc, epoch_s

    # --- NumPy inference ------------------------------------------------------------------------------
    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        """Keep the raw weights (leading axis: ensemble member) and precompute the inference tables."""
        self.weights_ = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        w = self.weights_
        h = w["w_hh"].shape[2]
        d = w["memv"].shape[2]
        pe = w["prev"].shape[2]
        qe = w["q"].shape[2]
        t = np.swapaxes

        def blocks(mat: F32) -> list[F32]:
            """Split a layer's (E, out, in) weight by the input blocks [h | history | prev | memory | q]."""
            cuts = np.cumsum([h, N_HISTORY, pe, d])
            return [np.ascontiguousarray(t(p, 1, 2)) for p in np.split(mat, cuts, axis=2)]

        # Token → LSTM gate pre-activations, precomputed: the input half of every update is a lookup.
        self._gate_in: F32 = w["tok"] @ t(w["w_ih"], 1, 2) + (w["b_ih"] + w["b_hh"])[:, None, :]
        self._w_hh_t: F32 = np.ascontiguousarray(t(w["w_hh"], 1, 2))
        fh, ff, fp, fm, fq = blocks(w["fc1_w"])
        self._fc1_h, self._fc1_f, self._fc1_m = fh, ff, fm
        self._fc1_prev: F32 = w["prev"] @ fp
        # Query skill → its share of the layer's pre-activation (bias folded in).
        self._fc1_q: F32 = w["q"] @ fq + w["fc1_b"][:, None, :]
        self._fc2: F32 = w["fc2_w"][:, 0, :]
        self._fc2_b: F32 = w["fc2_b"][:, 0]
        ah, af, ap, am, _ = blocks(np.concatenate([w["ab1_w"], np.zeros_like(w["ab1_w"][:, :, :qe])], 2))
        self._ab1_h, self._ab1_f, self._ab1_m = ah, af, am
        self._ab1_prev: F32 = w["prev"] @ ap + w["ab1_b"][:, None, :]
        self._ab2_t: F32 = np.ascontiguousarray(t(w["ab2_w"], 1, 2))
        self._ab2_b: F32 = w["ab2_b"]
        self._qa: F32 = w["qa"]
        self._qb: F32 = w["qb"][:, :, 0]
        self._memv: F32 = w["memv"]
        self._h = h

    def _arrays(self) -> dict[str, AnyArray]:
        return dict(self.weights_)

    def torch_member(self, member: int = 0) -> Any:
        """One fitted member as a torch module in eval mode (needs torch): to check NumPy against it.

        Call it as ``net(tokens, queries, history, memory_weights)`` on (B, T) tensors padded as in
        training; it returns that member's logits.
        """
        import torch

        self._check_fitted()
        net = _Net.build(self, self.skills_.size)
        state = {key: torch.from_numpy(self.weights_[name][member]) for name, key in _TORCH_NAMES.items()}
        net.load_state_dict(state)
        return net.eval()

    @property
    def members(self) -> int:
        """Number of nets in the fitted ensemble (can be below ``ensemble`` when time ran short)."""
        return int(self._w_hh_t.shape[0])

    def _cell(self, tok: IntArray, h: F32, c: F32) -> tuple[F32, F32]:
        """One LSTM step for every member: tok (B,), h and c (E, B, H)."""
        g = self._gate_in[:, tok] + h @ self._w_hh_t
        n = self._h
        i = _sigmoid(g[..., :n])
        f = _sigmoid(g[..., n : 2 * n])
        gg = np.tanh(g[..., 2 * n : 3 * n])
        o = _sigmoid(g[..., 3 * n :])
        c2: F32 = f * c + i * gg
        h2: F32 = o * np.tanh(c2)
        return h2, c2

    def _predict(self, h: F32, m: F32, prev: IntArray, q: IntArray, feats: F32) -> FloatArray:
        """P(correct), averaged over members.

        h (E, B, H) and m (E, B, D) are the states, prev (B,) the previous tokens; q (Q,) and feats (Q, 8)
        the queries, Q = B (one query per state) or B = 1 (many queries on one state).
        """
        z = (
            h @ self._fc1_h
            + feats @ self._fc1_f
            + self._fc1_prev[:, prev]
            + m @ self._fc1_m
            + self._fc1_q[:, q]
        )
        mlp = np.maximum(z, 0.0) @ self._fc2[:, :, None]
        a = h @ self._ab1_h + feats @ self._ab1_f + self._ab1_prev[:, prev] + m @ self._ab1_m
        theta = np.maximum(a, 0.0) @ self._ab2_t + self._ab2_b[:, None, :]
        irt = (self._qa[:, q] * theta).sum(-1) + self._qb[:, q]
        logit = mlp[..., 0] + self._fc2_b[:, None] + irt
        p: FloatArray = _sigmoid(logit.astype(np.float32)).astype(np.float64).mean(axis=0)
        return p

    def initial_state(self) -> KTState:
        self._check_fitted()
        k = self.skills_.size
        e = self.members
        return KTState(
            self.name,
            {
                "h": np.zeros((e, self._h), dtype=np.float32),
                "c": np.zeros((e, self._h), dtype=np.float32),
                "m": np.zeros((e, self._memv.shape[2]), dtype=np.float32),
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
        h, c = self._cell(np.array([tok]), state["h"][:, None, :], state["c"][:, None, :])
        counts = state["right"] if right else state["wrong"]
        n_same = int(counts[i])
        weight = np.float32(np.log1p(n_same + 1.0) - np.log1p(n_same))
        m = state["m"] + self._memv[:, tok] * weight
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

    def _state_features(self, state: KTState, idx: IntArray) -> F32:
        when = state["when"][idx].astype(np.float32)
        seen = (when > 0).astype(np.float32)
        gap = np.log1p(np.where(seen > 0, float(state["n"][0]) + 1.0 - when, 0.0))
        q = idx.size
        glob = (1.0 - np.asarray(GLOBAL_DECAYS, dtype=np.float32)) * state["recent"]
        feats: F32 = np.stack(
            [
                np.log1p(state["right"][idx].astype(np.float32)),
                np.log1p(state["wrong"][idx].astype(np.float32)),
                state["last"][idx].astype(np.float32),
                gap.astype(np.float32),
                seen,
                *(np.full(q, g, dtype=np.float32) for g in glob),
                np.float32(1.0 - SKILL_DECAY) * state["skill_recent"][idx],
            ],
            axis=-1,
        )
        return feats

    def predict_indices(self, state: KTState, idx: IntArray) -> FloatArray:
        idx = np.asarray(idx, dtype=np.int64)
        return self._predict(
            state["h"][:, None, :],
            state["m"][:, None, :],
            state["prev"],
            idx,
            self._state_features(state, idx),
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
            h = np.zeros((e, b, self._h), dtype=np.float32)
            cc = np.zeros((e, b, self._h), dtype=np.float32)
            m = np.zeros((e, b, self._memv.shape[2]), dtype=np.float32)
            prev = np.full(b, 2 * k, dtype=np.int64)
            p = np.empty((b, t_max))
            for t in range(t_max):
                p[:, t] = self._predict(h, m, prev, q[:, t], f[:, t])
                tok = 2 * q[:, t] + y[:, t]
                h, cc = self._cell(tok, h, cc)
                m = m + self._memv[:, tok] * dm[None, :, t, None]
                prev = tok
            for j, i in enumerate(ids):
                results[i] = p[j, : len(sequences[i])]
        return [results[i] for i in range(len(sequences))]


def _tensors(data: list[tuple[IntArray, IntArray, F32, F32]], ids: list[int]) -> tuple[Any, ...]:
    """Pad a batch: (tokens, queries, history features, memory weights, outcomes, mask) as tensors."""
    import torch

    t_max = max(len(data[i][0]) for i in ids)
    b = len(ids)
    q = np.zeros((b, t_max), dtype=np.int64)
    y = np.zeros((b, t_max), dtype=np.float32)
    f = np.zeros((b, t_max, N_HISTORY), dtype=np.float32)
    dm = np.zeros((b, t_max), dtype=np.float32)
    mask = np.zeros((b, t_max), dtype=bool)
    for j, i in enumerate(ids):
        idx, c, feats, weight = data[i]
        n = len(idx)
        q[j, :n], y[j, :n], f[j, :n], dm[j, :n], mask[j, :n] = idx, c, feats, weight, True
    tok = q * 2 + y.astype(np.int64)
    return tuple(torch.from_numpy(v) for v in (tok, q, f, dm, y, mask))


class _Net:
    """The torch module, built lazily so that importing this file never needs torch."""

    @staticmethod
    def build(cfg: DKT, k: int) -> Any:
        import torch
        from torch import nn

        class Net(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.k = k
                self.tok = nn.Embedding(2 * k, cfg.embed)
                self.lstm = nn.LSTM(cfg.embed, cfg.hidden, batch_first=True)
                self.q = nn.Embedding(k, cfg.query_embed)
                self.prev = nn.Embedding(2 * k + 1, cfg.prev_embed)
                self.memv = nn.Embedding(2 * k, cfg.memory)
                nn.init.normal_(self.memv.weight, 0.0, 0.1)
                n_in = cfg.hidden + N_HISTORY + cfg.prev_embed + cfg.memory
                self.fc1 = nn.Linear(n_in + cfg.query_embed, cfg.head)
                self.fc2 = nn.Linear(cfg.head, 1)
                self.ab1 = nn.Linear(n_in, cfg.head)
                self.ab2 = nn.Linear(cfg.head, cfg.ability)
                self.qa = nn.Embedding(k, cfg.ability)
                self.qb = nn.Embedding(k, 1)
                nn.init.normal_(self.qa.weight, 0.0, 0.1)
                nn.init.zeros_(self.qb.weight)
                self.drop = nn.Dropout(cfg.dropout)

            def forward(self, tok: Any, q: Any, f: Any, dm: Any) -> Any:
                h, _ = self.lstm(self.tok(tok))
                # The prediction for answer t sees the state after answer t-1 (zeros before the first).
                h = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], dim=1)
                prev = torch.cat([torch.full_like(tok[:, :1], 2 * self.k), tok[:, :-1]], dim=1)
                step = self.memv(tok) * dm.unsqueeze(-1)
                m = torch.cumsum(step, dim=1) - step  # evidence from answers strictly before t
                base = [self.drop(h), f, self.drop(self.prev(prev)), m]
                z = torch.cat([*base, self.q(q)], dim=-1)
                mlp = self.fc2(self.drop(torch.relu(self.fc1(z)))).squeeze(-1)
                theta = self.ab2(self.drop(torch.relu(self.ab1(torch.cat(base, dim=-1)))))
                irt = (self.qa(q) * theta).sum(-1) + self.qb(q).squeeze(-1)
                return mlp + irt

            def export(self) -> dict[str, F32]:
                w = {n: v.detach().numpy().astype(np.float32) for n, v in self.state_dict().items()}
                return {name: w[key] for name, key in _TORCH_NAMES.items()}

        return Net()


# Saved array name → torch parameter name.
_TORCH_NAMES = {
    "tok": "tok.weight",
    "w_ih": "lstm.weight_ih_l0",
    "w_hh": "lstm.weight_hh_l0",
    "b_ih": "lstm.bias_ih_l0",
    "b_hh": "lstm.bias_hh_l0",
    "q": "q.weight",
    "prev": "prev.weight",
    "memv": "memv.weight",
    "fc1_w": "fc1.weight",
    "fc1_b": "fc1.bias",
    "fc2_w": "fc2.weight",
    "fc2_b": "fc2.bias",
    "ab1_w": "ab1.weight",
    "ab1_b": "ab1.bias",
    "ab2_w": "ab2.weight",
    "ab2_b": "ab2.bias",
    "qa": "qa.weight",
    "qb": "qb.weight",
}
