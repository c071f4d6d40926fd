"""Deep Knowledge Tracing (Piech et al., 2015) with a query-aware output, trained with PyTorch on the CPU.

The net: each answer is a token (skill, right or wrong) embedded and fed to an LSTM; to predict the next
answer on skill q, the LSTM's hidden vector h (everything before), an embedding of q and PFA's counts on q
(log 1+rights, log 1+wrongs; they give the net exact per-skill evidence that an LSTM only blurs) go
through a small ReLU layer to one logit.

Training (``fit``, needs ``pip install torch==2.13.0``): full sequences in length buckets, Adam, dropout,
early stopping on the AUC of a validation split of the training students (the number of epochs is the
hyper-parameter chosen there); the best epoch's weights are kept.

Inference needs NumPy only: the LSTM cell and the output layer are re-implemented below from the saved
weights, with the token's input projection precomputed into a table, so one update is one lookup and one
(4H × H) matrix-vector product. A student's state is h, c (float32) and the per-skill counts (uint16).
``mastery`` is the predicted P(correct) on the skill's next answer, with the evidence-count uncertainty
of :func:`cairn.engine.kt.base.beta_mastery`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from cairn.engine.kt.base import (
    AnyArray,
    FloatArray,
    IntArray,
    LearnerModel,
    LearnerState,
    Mastery,
    Response,
    SkillIndex,
    beta_mastery,
)
from cairn.engine.kt.data import StudentSequence, split_by_student
from cairn.engine.kt.features import prior_counts

F32 = npt.NDArray[np.float32]
_U16_MAX = int(np.iinfo(np.uint16).max)


def _sigmoid(x: F32) -> F32:
    out: F32 = 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free logistic
    return out


def _auc(y: IntArray, p: FloatArray) -> float:
    from cairn.engine.evaluation.metrics import auc

    return auc(y, p)


class DKT(LearnerModel):
    """LSTM knowledge tracing; see the module docstring."""

    name = "dkt"

    def __init__(
        self,
        hidden: int = 128,
        embed: int = 64,
        query_embed: int = 32,
        head: int = 64,
        dropout: float = 0.3,
        lr: float = 2e-3,
        weight_decay: float = 1e-6,
        batch_size: int = 32,
        max_epochs: int = 40,
        patience: int = 4,
        validation_fraction: float = 0.1,
        time_budget_s: float = 480.0,
        seed: int = 0,
    ) -> None:
        self.hidden = hidden
        self.embed = embed
        self.query_embed = query_embed
        self.head = head
        self.dropout = dropout
        self.lr = lr
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.validation_fraction = validation_fraction
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
        from torch import nn

        start = time.perf_counter()
        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        threads = torch.get_num_threads()
        torch.set_num_threads(max(1, min(threads, 4)))
        self.skills_ = SkillIndex.from_sequences(sequences)
        k = self.skills_.size
        train, valid = (
            split_by_student(sequences, self.validation_fraction, self.seed)
            if len(sequences) >= 10
            else (list(sequences), list(sequences))
        )

        mods = nn.ModuleDict(
            {
                "tok": nn.Embedding(2 * k, self.embed),
                "lstm": nn.LSTM(self.embed, self.hidden, batch_first=True),
                "q": nn.Embedding(k, self.query_embed),
                "fc1": nn.Linear(self.hidden + self.query_embed + 2, self.head),
                "fc2": nn.Linear(self.head, 1),
                "drop": nn.Dropout(self.dropout),
            }
        )
        opt = torch.optim.Adam(mods.parameters(), lr=self.lr, weight_decay=self.weight_decay)

        def encode(seqs: Sequence[StudentSequence]) -> list[tuple[IntArray, IntArray, FloatArray]]:
            out = []
            for s in seqs:
                idx = self.skills_.encode(s.skills)
                r, w = prior_counts(idx, s.correct)
                out.append((idx, s.correct, np.stack([np.log1p(r), np.log1p(w)], axis=1)))
            return out

        def batches(data: list[tuple[IntArray, IntArray, FloatArray]], shuffle: bool) -> list[list[int]]:
            order = np.argsort([len(d[0]) for d in data], kind="stable")
            groups = [order[i : i + self.batch_size].tolist() for i in range(0, len(order), self.batch_size)]
            if shuffle:
                rng.shuffle(groups)
            return groups

        def tensors(
            data: list[tuple[IntArray, IntArray, FloatArray]], ids: list[int]
        ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
            t_max = max(len(data[i][0]) for i in ids)
            b = len(ids)
            q = np.zeros((b, t_max), dtype=np.int64)
            y = np.zeros((b, t_max), dtype=np.float32)
            f = np.zeros((b, t_max, 2), dtype=np.float32)
            mask = np.zeros((b, t_max), dtype=bool)
            for j, i in enumerate(ids):
                idx, c, feats = data[i]
                n = len(idx)
                q[j, :n], y[j, :n], f[j, :n], mask[j, :n] = idx, c, feats, True
            tok = q * 2 + y.astype(np.int64)
            return (
                torch.from_numpy(tok),
                torch.from_numpy(q),
                torch.from_numpy(f),
                torch.from_numpy(y),
                torch.from_numpy(mask),
            )

        def forward(tok: torch.Tensor, q: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
            x = mods["tok"](tok)
            h, _ = mods["lstm"](x)
            # The prediction for answer t sees the hidden state after answer t-1 (zeros before the first).
            h = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], dim=1)
            z = torch.cat([mods["drop"](h), mods["q"](q), f], dim=-1)
            logit: torch.Tensor = mods["fc2"](mods["drop"](torch.relu(mods["fc1"](z)))).squeeze(-1)
            return logit

        tr_data, va_data = encode(train), encode(valid)
        loss_fn = nn.BCEWithLogitsLoss(reduction="sum")
        best_auc, best_state, best_epoch, bad = -1.0, None, 0, 0
        self.history_: list[dict[str, float]] = []
        bar = tqdm(range(self.max_epochs), desc="dkt", disable=not progress, unit="epoch")
        for epoch in bar:
            mods.train()
            total, count = 0.0, 0
            for ids in batches(tr_data, shuffle=True):
                tok, q, f, y, mask = tensors(tr_data, ids)
                logit = forward(tok, q, f)
                loss = loss_fn(logit[mask], y[mask])
                opt.zero_grad()
                (loss / mask.sum()).backward()
                nn.utils.clip_grad_norm_(mods.parameters(), 5.0)
                opt.step()
                total += float(loss.item())
                count += int(mask.sum())
            mods.eval()
            preds, ys = [], []
            with torch.no_grad():
                for ids in batches(va_data, shuffle=False):
                    tok, q, f, y, mask = tensors(va_data, ids)
                    preds.append(torch.sigmoid(forward(tok, q, f))[mask].numpy())
                    ys.append(y[mask].numpy())
            val_auc = _auc(np.concatenate(ys).astype(np.int64), np.concatenate(preds).astype(np.float64))
            self.history_.append(
                {"epoch": epoch + 1, "train_loss": total / max(count, 1), "val_auc": val_auc}
            )
            bar.set_postfix(loss=f"{total / max(count, 1):.4f}", val_auc=f"{val_auc:.4f}")
            if val_auc > best_auc + 1e-4:
                best_auc, best_epoch, bad = val_auc, epoch + 1, 0
                best_state = {n: v.detach().clone() for n, v in mods.state_dict().items()}
            else:
                bad += 1
            if bad >= self.patience or time.perf_counter() - start > self.time_budget_s:
                break
        bar.close()
        torch.set_num_threads(threads)
        assert best_state is not None
        self.best_epoch_ = best_epoch
        self.validation_auc_ = best_auc
        w = {n: v.numpy().astype(np.float32) for n, v in best_state.items()}
        self._set_arrays(
            {
                "tok": w["tok.weight"],
                "w_ih": w["lstm.weight_ih_l0"],
                "w_hh": w["lstm.weight_hh_l0"],
                "b_ih": w["lstm.bias_ih_l0"],
                "b_hh": w["lstm.bias_hh_l0"],
                "q": w["q.weight"],
                "fc1_w": w["fc1.weight"],
                "fc1_b": w["fc1.bias"],
                "fc2_w": w["fc2.weight"],
                "fc2_b": w["fc2.bias"],
            }
        )
        return self

    # --- NumPy inference ------------------------------------------------------------------------------
    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        self.weights_ = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        w = self.weights_
        h = w["w_hh"].shape[1]
        # Token → LSTM gate pre-activations, precomputed: the input half of every update is a lookup.
        self._gate_in: F32 = (w["tok"] @ w["w_ih"].T + w["b_ih"] + w["b_hh"]).astype(np.float32)
        self._w_hh_t: F32 = np.ascontiguousarray(w["w_hh"].T)
        fc1 = w["fc1_w"]
        self._fc1_h_t: F32 = np.ascontiguousarray(fc1[:, :h].T)
        qe = w["q"].shape[1]
        # Query skill → its share of the head's pre-activation (bias folded in).
        self._fc1_q: F32 = (w["q"] @ fc1[:, h : h + qe].T + w["fc1_b"]).astype(np.float32)
        self._fc1_c_t: F32 = np.ascontiguousarray(fc1[:, h + qe :].T)
        self._fc2: F32 = w["fc2_w"][0]
        self._fc2_b = float(w["fc2_b"][0])
        self._h = h

    def _arrays(self) -> dict[str, AnyArray]:
        return dict(self.weights_)

    def _params(self) -> dict[str, Any]:
        return {
            "hidden": self.hidden,
            "embed": self.embed,
            "query_embed": self.query_embed,
            "head": self.head,
            "dropout": self.dropout,
            "lr": self.lr,
            "weight_decay": self.weight_decay,
            "batch_size": self.batch_size,
            "max_epochs": self.max_epochs,
            "patience": self.patience,
            "validation_fraction": self.validation_fraction,
            "time_budget_s": self.time_budget_s,
            "seed": self.seed,
        }

    def _cell(self, tok: IntArray | int, h: F32, c: F32) -> tuple[F32, F32]:
        g = self._gate_in[tok] + h @ self._w_hh_t
        n = self._h
        i = _sigmoid(g[..., :n])
        f = _sigmoid(g[..., n : 2 * n])
        gg = np.tanh(g[..., 2 * n : 3 * n])
        o = _sigmoid(g[..., 3 * n :])
        c2: F32 = f * c + i * gg
        h2: F32 = o * np.tanh(c2)
        return h2, c2

    def _head(self, h: F32, q: IntArray, feats: F32) -> FloatArray:
        """P(correct); h is (H,) or (B, H) and q, feats are per query ((Q,), (Q, 2) or matching B)."""
        z = h @ self._fc1_h_t + self._fc1_q[q] + feats @ self._fc1_c_t
        logit = np.maximum(z, 0.0) @ self._fc2 + self._fc2_b
        return _sigmoid(logit.astype(np.float32)).astype(np.float64)

    def initial_state(self) -> LearnerState:
        self._check_fitted()
        k = self.skills_.size
        return LearnerState(
            self.name,
            {
                "h": np.zeros(self._h, dtype=np.float32),
                "c": np.zeros(self._h, dtype=np.float32),
                "right": np.zeros(k, dtype=np.uint16),
                "wrong": np.zeros(k, dtype=np.uint16),
            },
        )

    def update(self, state: LearnerState, response: Response) -> LearnerState:
        i = self.skills_.index(response.skill)
        h, c = self._cell(2 * i + int(response.correct), state["h"], state["c"])
        right, wrong = state["right"], state["wrong"]
        if response.correct:
            right = right.copy()
            right[i] = min(int(right[i]) + 1, _U16_MAX)
        else:
            wrong = wrong.copy()
            wrong[i] = min(int(wrong[i]) + 1, _U16_MAX)
        return LearnerState(self.name, {"h": h, "c": c, "right": right, "wrong": wrong})

    def predict_indices(self, state: LearnerState, idx: IntArray) -> FloatArray:
        feats = np.stack(
            [
                np.log1p(state["right"][idx].astype(np.float32)),
                np.log1p(state["wrong"][idx].astype(np.float32)),
            ],
            axis=-1,
        )
        return self._head(state["h"], idx, feats)

    def mastery(self, state: LearnerState) -> dict[int, Mastery]:
        idx = np.arange(1, self.skills_.size)
        p = self.predict_indices(state, idx)
        n = state["right"].astype(np.int64) + state["wrong"]
        return {int(s): beta_mastery(float(p[j]), int(n[j + 1])) for j, s in enumerate(self.skills_.ids)}

    def predict_sequences(self, sequences: Sequence[StudentSequence]) -> list[FloatArray]:
        """Batched over students, time-major, by the same NumPy cell and head as :meth:`update`."""
        self._check_fitted()
        out: list[FloatArray] = []
        order = np.argsort([len(s) for s in sequences], kind="stable")
        results: dict[int, FloatArray] = {}
        for lo in range(0, len(order), 512):
            ids = order[lo : lo + 512].tolist()
            encoded = []
            for i in ids:
                idx = self.skills_.encode(sequences[i].skills)
                r, w = prior_counts(idx, sequences[i].correct)
                encoded.append((idx, sequences[i].correct, np.stack([np.log1p(r), np.log1p(w)], 1)))
            t_max = max(len(e[0]) for e in encoded)
            b = len(ids)
            q = np.zeros((b, t_max), dtype=np.int64)
            y = np.zeros((b, t_max), dtype=np.int64)
            f = np.zeros((b, t_max, 2), dtype=np.float32)
            for j, (idx, c, feats) in enumerate(encoded):
                q[j, : len(idx)], y[j, : len(idx)], f[j, : len(idx)] = idx, c, feats
            h = np.zeros((b, self._h), dtype=np.float32)
            cc = np.zeros((b, self._h), dtype=np.float32)
            p = np.empty((b, t_max))
            for t in range(t_max):
                p[:, t] = self._head(h, q[:, t], f[:, t])
                h, cc = self._cell(2 * q[:, t] + y[:, t], h, cc)
            for j, i in enumerate(ids):
                results[i] = p[j, : len(sequences[i])]
        out = [results[i] for i in range(len(sequences))]
        return out
