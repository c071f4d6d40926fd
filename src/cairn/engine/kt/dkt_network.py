"""DKT's net run with NumPy only: the LSTM cell and both output heads, from the saved weights.

Every embedding's share of a layer is precomputed into a table when the weights are loaded, so one update
is a few lookups and one (4H × H) matrix-vector product per ensemble member, and no install needs PyTorch
to serve predictions. The arithmetic mirrors ``_Net.forward`` in :mod:`cairn.engine.kt.dkt_training`; a
test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cairn.engine.kt.base import Float32Array, FloatArray, IntArray
from cairn.engine.kt.dkt_history import N_HISTORY


def sigmoid(x: Float32Array) -> Float32Array:
    """The logistic function, written with tanh so that it never overflows."""
    out: Float32Array = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


@dataclass(frozen=True)
class InferenceNet:
    """The ensemble's weights as inference tables; every array's leading axis is the ensemble member."""

    gate_in: Float32Array  # token → LSTM gate pre-activations (input half, both biases)
    w_hh_t: Float32Array
    fc1_h: Float32Array
    fc1_f: Float32Array
    fc1_m: Float32Array
    fc1_prev: Float32Array  # previous token → its share of the first layer of the free head
    fc1_q: Float32Array  # query skill → its share of that layer, bias folded in
    fc2: Float32Array
    fc2_b: Float32Array
    ab1_h: Float32Array
    ab1_f: Float32Array
    ab1_m: Float32Array
    ab1_prev: Float32Array  # previous token → its share of the ability layer, bias folded in
    ab2_t: Float32Array
    ab2_b: Float32Array
    qa: Float32Array  # per skill: discrimination vector of the IRT-shaped head
    qb: Float32Array  # per skill: easiness
    memv: Float32Array  # evidence-memory vector per token
    hidden: int

    @classmethod
    def from_weights(cls, w: Mapping[str, Float32Array]) -> InferenceNet:
        """Precompute the tables from the raw weights (names as in ``dkt_training.TORCH_NAMES``)."""
        h = w["w_hh"].shape[2]
        d = w["memv"].shape[2]
        pe = w["prev"].shape[2]
        qe = w["q"].shape[2]
        t = np.swapaxes

        def blocks(mat: Float32Array) -> list[Float32Array]:
            """Split a layer's (E, out, in) weight by the input blocks [h | history | prev | memory | q]."""
            cuts = np.cumsum([h, N_HISTORY, pe, d])
            return [np.ascontiguousarray(t(p, 1, 2)) for p in np.split(mat, cuts, axis=2)]

        fh, ff, fp, fm, fq = blocks(w["fc1_w"])
        ah, af, ap, am, _ = blocks(np.concatenate([w["ab1_w"], np.zeros_like(w["ab1_w"][:, :, :qe])], 2))
        return cls(
            gate_in=w["tok"] @ t(w["w_ih"], 1, 2) + (w["b_ih"] + w["b_hh"])[:, None, :],
            w_hh_t=np.ascontiguousarray(t(w["w_hh"], 1, 2)),
            fc1_h=fh,
            fc1_f=ff,
            fc1_m=fm,
            fc1_prev=w["prev"] @ fp,
            fc1_q=w["q"] @ fq + w["fc1_b"][:, None, :],
            fc2=w["fc2_w"][:, 0, :],
            fc2_b=w["fc2_b"][:, 0],
            ab1_h=ah,
            ab1_f=af,
            ab1_m=am,
            ab1_prev=w["prev"] @ ap + w["ab1_b"][:, None, :],
            ab2_t=np.ascontiguousarray(t(w["ab2_w"], 1, 2)),
            ab2_b=w["ab2_b"],
            qa=w["qa"],
            qb=w["qb"][:, :, 0],
            memv=w["memv"],
            hidden=h,
        )

    @property
    def members(self) -> int:
        return int(self.w_hh_t.shape[0])

    @property
    def memory(self) -> int:
        """Width of the evidence memory (0 when switched off)."""
        return int(self.memv.shape[2])

    def cell(self, tok: IntArray, h: Float32Array, c: Float32Array) -> tuple[Float32Array, Float32Array]:
        """One LSTM step for every member: tok (B,), h and c (E, B, H)."""
        g = self.gate_in[:, tok] + h @ self.w_hh_t
        n = self.hidden
        i = sigmoid(g[..., :n])
        f = sigmoid(g[..., n : 2 * n])
        gg = np.tanh(g[..., 2 * n : 3 * n])
        o = sigmoid(g[..., 3 * n :])
        c2: Float32Array = f * c + i * gg
        h2: Float32Array = o * np.tanh(c2)
        return h2, c2

    def predict(
        self, h: Float32Array, m: Float32Array, prev: IntArray, q: IntArray, feats: Float32Array
    ) -> FloatArray:
        """P(correct), averaged over members.

        h (E, B, H) and m (E, B, D) are the states, prev (B,) the previous tokens; q (Q,) and feats (Q, 8)
        the queries, Q = B (one query per state) or B = 1 (many queries on one state).
        """
        z = h @ self.fc1_h + feats @ self.fc1_f + self.fc1_prev[:, prev] + m @ self.fc1_m + self.fc1_q[:, q]
        mlp = np.maximum(z, 0.0) @ self.fc2[:, :, None]
        a = h @ self.ab1_h + feats @ self.ab1_f + self.ab1_prev[:, prev] + m @ self.ab1_m
        theta = np.maximum(a, 0.0) @ self.ab2_t + self.ab2_b[:, None, :]
        irt = (self.qa[:, q] * theta).sum(-1) + self.qb[:, q]
        logit = mlp[..., 0] + self.fc2_b[:, None] + irt
        p: FloatArray = sigmoid(logit.astype(np.float32)).astype(np.float64).mean(axis=0)
        return p
