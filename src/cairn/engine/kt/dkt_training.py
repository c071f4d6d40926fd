"""DKT's training, with PyTorch on the CPU: the torch module, padded batches, and one ensemble member's fit.

Full sequences in length buckets, Adam, dropout, gradient clipping. A member trained with validation
students stops early on their AUC, then averages its last 1 to ``average`` epochs' weights up to the best
one (stochastic weight averaging), the number chosen on the validation students too; a member trained
without them runs the epochs and averaging it is given. Torch is imported inside the functions, so that
importing this module (and serving predictions) never needs it.
"""

from __future__ import annotations

import time
import warnings
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from tqdm import tqdm

from cairn.engine.evaluation.metrics import auc
from cairn.engine.kt.base import Float32Array, IntArray
from cairn.engine.kt.dkt_history import N_HISTORY

# One student, encoded: skill slots, outcomes, history features (T, 8) and memory weights.
Encoded = tuple[IntArray, IntArray, Float32Array, Float32Array]
# Saved array name → torch parameter name.
TORCH_NAMES = {
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


@dataclass(frozen=True)
class NetConfig:
    """The hyper-parameters a net and its optimiser are built from (a slice of the DKT estimator's)."""

    hidden: int
    embed: int
    query_embed: int
    head: int
    memory: int
    ability: int
    prev_embed: int
    dropout: float
    lr: float
    weight_decay: float
    batch_size: int
    patience: int


@dataclass(frozen=True)
class MemberFit:
    """One trained net: its weights by saved name, how it was trained, and what that took."""

    weights: dict[str, Float32Array]
    epochs: int  # with validation: the best epoch; without: the epochs run
    averaged: int  # final epochs whose weights were averaged
    validation_auc: float  # -1 when trained without validation students
    epoch_s: float
    history: tuple[dict[str, float], ...] = ()  # per epoch: epoch, train_loss, val_auc (validation only)


def train_member(
    config: NetConfig,
    skills: int,
    train: list[Encoded],
    valid: list[Encoded] | None,
    *,
    seed: int,
    epochs: int,
    average: int,
    budget_s: float,
    progress: bool,
) -> MemberFit:
    """Train one net over ``skills`` skill slots.

    With ``valid``: early stopping on its AUC, then the number of final epochs to average (1 to
    ``average``) chosen on it too. Without: ``epochs`` epochs, the last ``average`` averaged. Either stops
    early once ``budget_s`` seconds have passed.
    """
    start = time.perf_counter()
    trainer = _Trainer(config, skills, seed)
    run = _Run(epochs=epochs, average=average, start=start, budget_s=budget_s, progress=progress)
    if valid is None:
        return _train_fixed(trainer, train, run, label=f"dkt member seed {seed}")
    return _train_early_stopped(trainer, train, valid, run, patience=config.patience)


@dataclass(frozen=True)
class _Run:
    """How long one member trains: at most ``epochs``, until ``budget_s`` seconds after ``start``."""

    epochs: int
    average: int
    start: float
    budget_s: float
    progress: bool

    def out_of_time(self) -> bool:
        return time.perf_counter() - self.start > self.budget_s

    def seconds_per_epoch(self, done: int) -> float:
        return (time.perf_counter() - self.start) / max(done, 1)


def _train_fixed(trainer: _Trainer, train: list[Encoded], run: _Run, *, label: str) -> MemberFit:
    done = 0
    recent: deque[dict[str, Any]] = deque(maxlen=max(1, run.average))
    bar = tqdm(range(run.epochs), desc=label, disable=not run.progress, unit="epoch")
    for epoch in bar:
        loss = trainer.train_epoch(train)
        done = epoch + 1
        recent.append(trainer.snapshot())
        bar.set_postfix(loss=f"{loss:.4f}")
        if run.out_of_time():
            break
    bar.close()
    epoch_s = run.seconds_per_epoch(done)
    trainer.load_mean(list(recent))
    return MemberFit(trainer.export(), done, len(recent), -1.0, epoch_s)


def _train_early_stopped(
    trainer: _Trainer, train: list[Encoded], valid: list[Encoded], run: _Run, *, patience: int
) -> MemberFit:
    best_auc, best_epoch, bad, done = -1.0, 0, 0, 0
    recent: deque[dict[str, Any]] = deque(maxlen=max(1, run.average))
    best_window: list[dict[str, Any]] = []  # the averaging candidates: the epochs up to the best one
    history: list[dict[str, float]] = []
    bar = tqdm(range(run.epochs), desc="dkt", disable=not run.progress, unit="epoch")
    for epoch in bar:
        loss = trainer.train_epoch(train)
        done = epoch + 1
        recent.append(trainer.snapshot())
        val_auc = trainer.validation_auc(valid)
        history.append({"epoch": epoch + 1, "train_loss": loss, "val_auc": val_auc})
        bar.set_postfix(loss=f"{loss:.4f}", val_auc=f"{val_auc:.4f}")
        if val_auc > best_auc + 1e-4:
            best_auc, best_epoch, bad = val_auc, epoch + 1, 0
            best_window = list(recent)
        else:
            bad += 1
        if bad >= patience or run.out_of_time():
            break
    bar.close()
    epoch_s = run.seconds_per_epoch(done)
    if not best_window:
        trainer.load_mean(list(recent))
        return MemberFit(trainer.export(), done, len(recent), best_auc, epoch_s, tuple(history))
    chosen, chosen_auc = _choose_averaged(trainer, best_window, valid, best_auc)
    trainer.load_mean(best_window[-chosen:])
    return MemberFit(trainer.export(), best_epoch, chosen, chosen_auc, epoch_s, tuple(history))


def _choose_averaged(
    trainer: _Trainer, window: list[dict[str, Any]], valid: list[Encoded], best_auc: float
) -> tuple[int, float]:
    """How many of the epochs up to the best to average, and the validation AUC that gives.

    Averaging helps once training has settled, and hurts when it spans the first, still-moving epochs.
    """
    chosen, chosen_auc = 1, best_auc
    for n_avg in range(2, len(window) + 1):
        trainer.load_mean(window[-n_avg:])
        auc_avg = trainer.validation_auc(valid)
        if auc_avg > chosen_auc:
            chosen, chosen_auc = n_avg, auc_avg
    return chosen, chosen_auc


class _Trainer:
    """One net with its optimiser, loss and batch order: what the epochs of one member share."""

    def __init__(self, config: NetConfig, skills: int, seed: int) -> None:
        import torch
        from torch import nn

        torch.manual_seed(seed)
        self.rng = np.random.default_rng(seed)
        with warnings.catch_warnings():
            # A block switched off (memory, ability or prev_embed = 0) is a zero-size tensor to initialise.
            warnings.filterwarnings("ignore", "Initializing zero-element tensors")
            self.net = build_net(config, skills)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
        self.loss_fn = nn.BCEWithLogitsLoss(reduction="sum")
        self.batch_size = config.batch_size

    def batches(self, data: list[Encoded], *, shuffle: bool) -> list[list[int]]:
        """Students in buckets of similar length (less padding), the buckets shuffled for training."""
        order = np.argsort([len(d[0]) for d in data], kind="stable")
        groups = [order[i : i + self.batch_size].tolist() for i in range(0, len(order), self.batch_size)]
        if shuffle:
            self.rng.shuffle(groups)
        return groups

    def train_epoch(self, data: list[Encoded]) -> float:
        """One pass over the students; returns the mean training loss per answer."""
        from torch import nn

        self.net.train()
        total, count = 0.0, 0
        for ids in self.batches(data, shuffle=True):
            tok, q, f, dm, y, mask = tensors(data, ids)
            logit = self.net(tok, q, f, dm)
            loss = self.loss_fn(logit[mask], y[mask])
            self.opt.zero_grad()
            (loss / mask.sum()).backward()
            nn.utils.clip_grad_norm_(self.net.parameters(), 5.0)
            self.opt.step()
            total += float(loss.item())
            count += int(mask.sum())
        return total / max(count, 1)

    def validation_auc(self, data: list[Encoded]) -> float:
        import torch

        self.net.eval()
        preds, ys = [], []
        with torch.no_grad():
            for ids in self.batches(data, shuffle=False):
                tok, q, f, dm, y, mask = tensors(data, ids)
                preds.append(torch.sigmoid(self.net(tok, q, f, dm))[mask].numpy())
                ys.append(y[mask].numpy())
        return auc(np.concatenate(ys).astype(np.int64), np.concatenate(preds).astype(np.float64))

    def snapshot(self) -> dict[str, Any]:
        return {n: v.detach().clone() for n, v in self.net.state_dict().items()}

    def load_mean(self, states: Sequence[dict[str, Any]]) -> None:
        """Load the mean of several epochs' weights."""
        self.net.load_state_dict({n: sum(sd[n] for sd in states) / len(states) for n in states[0]})

    def export(self) -> dict[str, Float32Array]:
        w = {n: v.detach().numpy().astype(np.float32) for n, v in self.net.state_dict().items()}
        return {name: w[key] for name, key in TORCH_NAMES.items()}


def tensors(data: list[Encoded], ids: list[int]) -> tuple[Any, ...]:
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


def torch_module(config: NetConfig, skills: int, weights: dict[str, Float32Array]) -> Any:
    """A net in eval mode with the given weights (one member's), as training would have left it."""
    import torch

    net = build_net(config, skills)
    net.load_state_dict({key: torch.from_numpy(weights[name]) for name, key in TORCH_NAMES.items()})
    return net.eval()


def build_net(cfg: NetConfig, k: int) -> Any:
    """The torch module over ``k`` skill slots (the class is defined here so that torch loads lazily)."""
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

    return Net()
