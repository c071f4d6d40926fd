"""The web app's learner model "app": interpretable mastery per skill, the best predictor the data allows.

Two layers, one state per student:

* **Mastery** (what a student, a teacher and the mastery rule see): BKT per skill, fitted by bounded EM
  (:mod:`cairn.engine.kt.app_fit`: guess, slip, learn and the prior kept in plausible ranges). Cold start:
  a skill runs on the population's parameters until the fit saw ``min_answers`` answers on it, then on its
  own; a district with no answers at all runs on literature defaults (``fit([])`` is allowed). Forgetting:
  without practice, P(known) decays back towards the skill's prior with a half-life of ``half_life_days``
  (only when evidence carries times; with none, as in the research splits, forgetting is neutral).
  Transfer: given ``prerequisites`` (skill → its prerequisite skills), a skill the student has no evidence
  on starts from a prior raised by its prerequisites' mastery, by a share ``transfer`` (chosen on held-out
  students when the graph is given before fitting; see ``__init__``). Evidence is
  tempered by its weight (P(obs | state)^w; an answer after a hint counts ``hint_weight``), and only answers
  are practice (a learning step); teacher ratings, placement and statements only inform. The uncertainty
  is a Beta posterior over the weighted right/wrong evidence on the skill (old evidence fading with
  ``evidence_memory`` and with time), so it shrinks with consistent evidence and grows with inconsistent.
* **Prediction** (P(correct next), for the board's difficulty and for ``cairn evaluate``): chosen in
  ``fit`` among candidates trained on the same students and scored on held-out students (AUC, ECE):
  ``bkt``, the mastery layer plus a student ability (an Elo-like online logit offset) and item difficulty,
  calibrated by a logistic regression; ``logistic`` (:class:`~cairn.engine.kt.logistic.LogisticKT`); and,
  when PyTorch is importable and the data has ``dkt_min_answers`` answers, ``dkt``
  (:class:`~cairn.engine.kt.dkt.DKT`, which runs in NumPy at inference). ``selection_`` records the
  figures and the choice, for the district admin; the winner is then refitted on every student. Skills
  the chosen predictor never saw are predicted by the ``bkt`` candidate, which covers every skill.

Skills are the caller's integer ids; the state tracks every skill that has evidence, sparse by id (skills
the fit never saw included), so a state is small and its mastery survives refits (:meth:`AppModel.adopt`
restarts only the predictor's part when a refit changed the predictor).
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

import numpy as np

from cairn.engine.evaluation.metrics import all_metrics, log_loss
from cairn.engine.kt.app_fit import BOUNDS, PARAMS, fit_layer
from cairn.engine.kt.base import (
    AnyArray,
    Evidence,
    FloatArray,
    IntArray,
    KTState,
    LearnerModel,
    Mastery,
    Response,
    SkillIndex,
)
from cairn.engine.kt.data import StudentSequence, split_by_student
from cairn.engine.kt.dkt import DKT
from cairn.engine.kt.logistic import LogisticKT

CANDIDATES = ("bkt", "logistic", "dkt")
TRANSFER_GRID = (0.0, 0.25, 0.5)
TRANSFER_DEFAULT = 0.25
_PREDICTORS: dict[str, type[LearnerModel]] = {"logistic": LogisticKT, "dkt": DKT}
_DAY_S = 86_400.0
_U16_MAX = int(np.iinfo(np.uint16).max)
_P_CLIP = 1e-4


def _logit(p: float) -> float:
    p = min(max(p, _P_CLIP), 1.0 - _P_CLIP)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * z))


def tempered_step(
    known: float, correct: float, weight: float, learn: float, guess: float, slip: float, practice: bool
) -> float:
    """P(known) after one piece of evidence: the BKT update with the likelihood raised to ``weight``.

    ``correct`` in [0, 1] mixes the right and wrong likelihoods; a learning step follows only practice.
    """
    l1 = correct * (1.0 - slip) + (1.0 - correct) * slip
    l0 = correct * guess + (1.0 - correct) * (1.0 - guess)
    if weight != 1.0:
        l1, l0 = l1**weight, l0**weight
    num = known * l1
    post = num / (num + (1.0 - known) * l0)
    return post + (1.0 - post) * learn if practice else post


class AppModel(LearnerModel):
    """The web app's learner model; see the module docstring."""

    name = "app"

    def __init__(
        self,
        min_answers: int = 30,
        hint_weight: float = 0.5,
        half_life_days: float = 30.0,
        transfer: float | None = None,
        evidence_memory: float = 20.0,
        elo_k: float = 0.4,
        elo_decay: float = 0.05,
        candidates: Sequence[str] = CANDIDATES,
        selection_fraction: float = 0.2,
        max_ece: float = 0.03,
        dkt_min_answers: int = 50_000,
        dkt: Mapping[str, Any] | None = None,
        seed: int = 0,
        prerequisites: Mapping[Any, Iterable[Any]] | None = None,
        item_difficulty: Mapping[Any, float] | None = None,
    ) -> None:
        self.min_answers = min_answers
        # Why 0.5: a hint gives away part of the solution, so a right answer after one says about half as
        # much about knowing (two hinted right answers move the estimate about as far as one unaided).
        self.hint_weight = hint_weight
        # Why 30 days: half of what a student showed above the prior is gone after a month without practice,
        # in line with forgetting curves for practised school mathematics over weeks (Cepeda et al., 2008)
        # and the half-lives of weeks that half-life regression fits to practice logs (Settles & Meeder,
        # 2016). The research splits carry no times, so it cannot be fitted here; it is a parameter.
        self.half_life_days = half_life_days
        # Share of the gap between a skill's prior and its prerequisites' mastery that transfers (bounded
        # by the prior's upper bound, so transfer never lets one answer cross the mastery threshold). None:
        # chosen in ``fit`` from TRANSFER_GRID on held-out students when a graph is given before fitting
        # (a fitted prior already reflects students who reached the skill after its prerequisites, so
        # transfer can double count: 0 is allowed), else TRANSFER_DEFAULT.
        self.transfer = transfer
        # Effective number of pieces of evidence the uncertainty remembers (a student who learned should
        # not carry their early wrong answers forever).
        self.evidence_memory = evidence_memory
        # Elo-like ability: θ += w · elo_k / (1 + elo_decay · answers) · (correct − expected), the
        # decreasing step of Pelánek's (2016) Elo for education.
        self.elo_k = elo_k
        self.elo_decay = elo_decay
        self.candidates = tuple(candidates)
        self.selection_fraction = selection_fraction
        self.max_ece = max_ece
        self.dkt_min_answers = dkt_min_answers
        self.dkt = dict(dkt) if dkt else None
        self.seed = seed
        self.prerequisites: dict[int, list[int]] = {}
        self.item_difficulty: dict[int, float] = {}
        self.set_prerequisites(prerequisites or {})
        self.set_item_difficulty(item_difficulty or {})

    # --- graph and items, settable after fit ------------------------------------------------------------
    def set_prerequisites(self, graph: Mapping[Any, Iterable[Any]]) -> None:
        """Skill id → ids of its prerequisites (keys may be strings of ints, as JSON gives them back)."""
        self.prerequisites = {int(k): [int(v) for v in vs] for k, vs in graph.items() if vs}

    def set_item_difficulty(self, difficulty: Mapping[Any, float]) -> None:
        """Item id → difficulty in logits, relative to its skill's average item (positive: harder)."""
        self.item_difficulty = {int(k): float(v) for k, v in difficulty.items()}

    # --- learning -----------------------------------------------------------------------------------
    def fit(self, sequences: Sequence[StudentSequence], *, progress: bool = False) -> Self:
        seqs = list(sequences)
        self.predictor_: LearnerModel | None = None
        self.chosen_ = "bkt"
        self.transfer_ = TRANSFER_DEFAULT if self.transfer is None else float(self.transfer)
        held_ok = len(seqs) >= 10 and 0.0 < self.selection_fraction < 1.0
        tune_transfer = self.transfer is None and bool(self.prerequisites)
        if not held_ok or (self.candidates == ("bkt",) and not tune_transfer):
            self._fit_mastery(seqs)
            why = "one candidate" if held_ok else "too few students to hold any out"
            self.selection_: dict[str, Any] = {"chosen": "bkt", "reason": why}
            return self
        fit_part, held = split_by_student(seqs, self.selection_fraction, self.seed)
        y = np.concatenate([s.correct for s in held])
        selection: dict[str, Any] = {}
        fitted: dict[str, LearnerModel] = {}
        answers = sum(len(s) for s in seqs)
        layer: AppModel | None = None
        if "bkt" in self.candidates or tune_transfer:
            layer = AppModel(**{**self.get_params(), "candidates": ["bkt"], "transfer": self.transfer_})
            layer.fit(fit_part)
        if tune_transfer and layer is not None:
            losses = {}
            for t in TRANSFER_GRID:
                layer.transfer_ = t
                losses[t] = log_loss(y, np.concatenate(layer.predict_sequences(held)))
            self.transfer_ = layer.transfer_ = min(losses, key=lambda t: losses[t])
            selection["transfer"] = {"chosen": self.transfer_} | {
                f"logloss_{t}": round(v, 6) for t, v in losses.items()
            }
        for name in self.candidates:
            if name == "dkt" and (
                answers < self.dkt_min_answers or importlib.util.find_spec("torch") is None
            ):
                continue
            if name == "bkt" and layer is not None:
                model: LearnerModel = layer
            elif name in _PREDICTORS:
                model = self._new_predictor(name, selecting=True).fit(fit_part, progress=progress)
            else:
                raise ValueError(f"unknown candidate {name!r}; choose from {', '.join(CANDIDATES)}")
            p = np.concatenate(model.predict_sequences(held))
            m = all_metrics(y, p)
            selection[name] = {k: round(m[k], 6) for k in ("auc", "ece", "logloss")} | {"n": int(y.size)}
            fitted[name] = model
        ok = [n for n in fitted if selection[n]["ece"] <= self.max_ece]
        chosen = (
            max(ok, key=lambda n: selection[n]["auc"])
            if ok
            else min(fitted, key=lambda n: selection[n]["logloss"], default="bkt")
        )
        selection["chosen"] = chosen
        selection["held_out_students"] = len(held)
        self._fit_mastery(seqs)
        self.chosen_ = chosen
        if chosen in _PREDICTORS:  # the winner, refitted in full on every student
            self.predictor_ = self._new_predictor(chosen, selecting=False).fit(seqs, progress=progress)
        self.selection_ = selection
        return self

    def _new_predictor(self, name: str, *, selecting: bool) -> LearnerModel:
        """A candidate predictor. For the selection DKT trains one net, not its ensemble: the ensemble only
        adds to one net's AUC, so one net is a conservative comparison with the other candidates, and
        the ensemble's minutes are spent once, on the winner's refit."""
        if name == "dkt":
            params = {"seed": self.seed, **(self.dkt or {})}
            if selecting:
                params["ensemble"] = 1
            return DKT(**params)
        return LogisticKT(seed=self.seed)

    def _fit_mastery(self, seqs: Sequence[StudentSequence]) -> None:
        """The mastery layer (bounded EM) and the calibration of its prediction, on these students."""
        ids = np.concatenate([s.skills for s in seqs]).tolist() if seqs else []
        self.skills_ = SkillIndex(ids)
        layer = fit_layer(seqs, self.skills_, min_answers=self.min_answers)
        self.counts_ = layer.counts
        self.own_ = layer.own
        self.fitted_params_ = layer.params  # every skill's own fit, for people to read
        own = layer.own
        self.params_ = {n: np.where(own, v, v[0]) for n, v in layer.params.items()}
        self.calib_ = np.array([1.0, 1.0, 0.0])
        self.predictor_ = None
        if sum(len(s) for s in seqs) >= 200:
            self.calib_ = self._fit_calibration(seqs)

    def _fit_calibration(self, seqs: Sequence[StudentSequence]) -> FloatArray:
        """Logistic regression of the answer on (logit of the layer's P(correct), ability): a, b, c."""
        from sklearn.linear_model import LogisticRegression

        rows: list[tuple[float, float]] = []
        ys: list[int] = []
        for seq in seqs:
            state = self.initial_state()
            for s, c in zip(seq.skills.tolist(), seq.correct.tolist(), strict=True):
                z, theta = self._layer_features(state, s, None, None)
                rows.append((z, theta))
                ys.append(c)
                state = self.update(state, Response(s, c))
        if len(set(ys)) < 2:
            return np.array([1.0, 1.0, 0.0])
        x, y = np.asarray(rows), np.asarray(ys)
        clf = LogisticRegression(C=100.0, max_iter=500).fit(x, y)
        a, b = clf.coef_[0]
        if b < 0:  # a higher ability must not lower a prediction; where the data say so it carries nothing
            clf = LogisticRegression(C=100.0, max_iter=500).fit(x[:, :1], y)
            a, b = clf.coef_[0][0], 0.0
        return np.array([a, b, clf.intercept_[0]], dtype=np.float64)

    # --- one student, online ------------------------------------------------------------------------
    def initial_state(self) -> KTState:
        self._check_fitted()
        arrays: dict[str, AnyArray] = {
            "skills": np.zeros(0, dtype=np.int64),
            "known": np.zeros(0, dtype=np.float32),
            "ev": np.zeros((0, 2), dtype=np.float32),  # weighted right, wrong evidence beyond the Beta(1, 1)
            "n": np.zeros(0, dtype=np.uint16),
            "at": np.zeros(0, dtype=np.float64),  # time of the last evidence; NaN: none with a time
            "stu": np.zeros(2, dtype=np.float64),  # ability θ (logits), answers
        }
        if self.predictor_ is not None:
            arrays |= {f"p_{k}": v for k, v in self.predictor_.initial_state().arrays.items()}
        return KTState(self.name, arrays)

    def update(self, state: KTState, response: Response | Evidence) -> KTState:
        ev = Evidence.of(response)
        skill = int(ev.skill)
        slot = self.skills_.index(skill)
        prior, learn, guess, slip = (float(self.params_[n][slot]) for n in PARAMS)
        skills, known, evid, n, at = (state[k] for k in ("skills", "known", "ev", "n", "at"))
        pos = int(np.searchsorted(skills, skill))
        if pos == skills.size or int(skills[pos]) != skill:
            start = self._transferred_prior(state, skill, prior, ev.at)
            skills = np.insert(skills, pos, skill)
            known = np.insert(known, pos, np.float32(start))
            evid = np.insert(evid, pos, np.zeros(2, dtype=np.float32), axis=0)
            n = np.insert(n, pos, 0)
            at = np.insert(at, pos, np.nan)
        else:
            known, evid, n, at = known.copy(), evid.copy(), n.copy(), at.copy()
        k = float(known[pos])
        e_right, e_wrong = float(evid[pos, 0]), float(evid[pos, 1])
        if ev.at is not None and math.isfinite(at[pos]) and ev.at > at[pos]:
            decay = self._decay(ev.at - float(at[pos]))
            k = _forget(k, prior, decay)
            e_right, e_wrong = e_right * decay, e_wrong * decay
        w = ev.weight * (self.hint_weight if ev.hinted else 1.0)
        stu = state["stu"].copy()
        if ev.is_answer:  # ability: the expectation is the prediction before this answer
            pc = k * (1.0 - slip) + (1.0 - k) * guess
            expected = _sigmoid(_logit(pc) + stu[0] - self._difficulty(ev.item))
            stu[0] += w * self.elo_k / (1.0 + self.elo_decay * stu[1]) * (ev.correct - expected)
            stu[1] += 1.0
        known[pos] = tempered_step(k, ev.correct, w, learn, guess, slip, practice=ev.is_answer)
        keep = 1.0 - 1.0 / self.evidence_memory
        evid[pos] = (keep * e_right + w * ev.correct, keep * e_wrong + w * (1.0 - ev.correct))
        n[pos] = min(int(n[pos]) + 1, _U16_MAX)
        if ev.at is not None:
            at[pos] = ev.at
        arrays: dict[str, AnyArray] = {
            "skills": skills,
            "known": known,
            "ev": evid,
            "n": n,
            "at": at,
            "stu": stu,
        }
        if self.predictor_ is not None:
            sub = self._sub_state(state)
            if ev.is_answer:
                # Answers after a hint are wrong answers in the logs the predictors learn from (ASSISTments
                # scores a first-attempt hint request as incorrect), so they are fed to them as such.
                right = 0 if ev.hinted else int(ev.correct >= 0.5)
                sub = self.predictor_.update(sub, Response(skill, right))
            arrays |= {f"p_{k}": v for k, v in sub.arrays.items()}
        return KTState(self.name, arrays)

    def predict(self, state: KTState, skill: int, item: int | None = None, now: float | None = None) -> float:
        """P(correct) on the next answer to ``skill`` (on ``item`` if given, at time ``now`` if given)."""
        pred = self.predictor_
        if pred is not None and pred.skills_.index(skill) != 0:
            p = pred.predict(self._sub_state(state), skill)
            d = self._difficulty(item)
            return _sigmoid(_logit(p) - d) if d else p
        z, theta = self._layer_features(state, skill, item, now)
        a, b, c = self.calib_.tolist()
        return _sigmoid(a * z + b * theta + c)

    def predict_indices(self, state: KTState, idx: IntArray) -> FloatArray:
        ids = [int(self.skills_.ids[i - 1]) if i > 0 else -1 for i in np.asarray(idx).tolist()]
        return np.array([self.predict(state, s) for s in ids], dtype=np.float64)

    def skill_mastery(self, state: KTState, skill: int, now: float | None = None) -> Mastery:
        """Mastery of one skill, any id: P(known), the SD of the Beta posterior of its evidence, count."""
        pos = self._find(state, skill)
        if pos < 0:
            prior = float(self.params_["prior"][self.skills_.index(skill)])
            return Mastery(self._transferred_prior(state, skill, prior, now), _beta_sd(0.0, 0.0), 0)
        k, e_right, e_wrong = self._view(state, pos, skill, now)
        return Mastery(k, _beta_sd(e_right, e_wrong), int(state["n"][pos]))

    def mastery(self, state: KTState, now: float | None = None) -> dict[int, Mastery]:
        """Every skill the fit saw and every skill with evidence in the state."""
        ids = set(self.skills_.ids.tolist()) | set(state["skills"].tolist())
        return {s: self.skill_mastery(state, s, now) for s in sorted(ids)}

    def set_known(
        self, state: KTState, skill: int, p: float, *, n: int = 0, at: float | None = None
    ) -> KTState:
        """A new state in which ``skill`` has P(known) = ``p`` backed by ``n`` pseudo-answers at that rate.

        For seeding (placement, states carried over from an older model): the Beta evidence becomes
        (n·p, n·(1 − p)) and the answer count ``n``; the predictor and the ability are left as they are.
        """
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"P(known) must be in [0, 1], not {p!r}")
        skills, known, evid, cnt, when = (state[k] for k in ("skills", "known", "ev", "n", "at"))
        pos = self._find(state, skill)
        if pos < 0:
            pos = int(np.searchsorted(skills, skill))
            skills = np.insert(skills, pos, int(skill))
            known = np.insert(known, pos, np.float32(0.0))
            evid = np.insert(evid, pos, np.zeros(2, dtype=np.float32), axis=0)
            cnt = np.insert(cnt, pos, 0)
            when = np.insert(when, pos, np.nan)
        else:
            known, evid, cnt, when = known.copy(), evid.copy(), cnt.copy(), when.copy()
        known[pos] = p
        evid[pos] = (n * p, n * (1.0 - p))
        cnt[pos] = min(max(int(n), 0), _U16_MAX)
        when[pos] = np.nan if at is None else at
        arrays = dict(state.arrays) | {"skills": skills, "known": known, "ev": evid, "n": cnt, "at": when}
        return KTState(self.name, arrays)

    def adopt(self, state: KTState) -> KTState:
        """A state saved under an earlier fit, made valid for this one.

        The mastery arrays and the ability are the student's and are kept; the predictor's arrays are kept
        only if they have the names, dtypes and shapes this model's predictor uses, else restarted (a
        refit that changed the predictor or its skills makes the old sequence state meaningless).
        """
        fresh = self.initial_state()
        own = {k: v for k, v in state.arrays.items() if not k.startswith("p_") and k in fresh.arrays}
        sub = {k: v for k, v in state.arrays.items() if k.startswith("p_")}
        want = {k: v for k, v in fresh.arrays.items() if k.startswith("p_")}
        same = sub.keys() == want.keys() and all(
            sub[k].dtype == want[k].dtype and sub[k].shape == want[k].shape for k in want
        )
        arrays = fresh.arrays | own | (sub if same else want)
        return KTState(self.name, arrays)

    def ability(self, state: KTState) -> float:
        """The student's ability θ, in logits (0: as the model expects from the skills alone)."""
        return float(state["stu"][0])

    def parameters(self) -> dict[int, dict[str, float | bool | int]]:
        """Per skill the fitted parameters, answers seen and whether it runs on its own or population ones."""
        self._check_fitted()
        out: dict[int, dict[str, float | bool | int]] = {}
        for i, s in enumerate(self.skills_.ids.tolist(), start=1):
            row: dict[str, float | bool | int] = {n: float(self.params_[n][i]) for n in PARAMS}
            out[int(s)] = row | {"answers": int(self.counts_[i]), "own": bool(self.own_[i])}
        return out

    # --- internals ----------------------------------------------------------------------------------
    def _find(self, state: KTState, skill: int) -> int:
        skills = state["skills"]
        pos = int(np.searchsorted(skills, skill))
        return pos if pos < skills.size and int(skills[pos]) == skill else -1

    def _decay(self, seconds: float) -> float:
        if self.half_life_days <= 0 or seconds <= 0:
            return 1.0
        return float(0.5 ** (seconds / (self.half_life_days * _DAY_S)))

    def _view(self, state: KTState, pos: int, skill: int, now: float | None) -> tuple[float, float, float]:
        """P(known) and the evidence of a tracked skill, forgetting applied up to ``now``."""
        k = float(state["known"][pos])
        e_right, e_wrong = float(state["ev"][pos, 0]), float(state["ev"][pos, 1])
        last = float(state["at"][pos])
        if now is not None and math.isfinite(last) and now > last:
            decay = self._decay(now - last)
            k = _forget(k, float(self.params_["prior"][self.skills_.index(skill)]), decay)
            e_right, e_wrong = e_right * decay, e_wrong * decay
        return k, e_right, e_wrong

    def _transferred_prior(self, state: KTState, skill: int, prior: float, now: float | None) -> float:
        """The prior of a skill without evidence, raised by the mean mastery of its prerequisites.

        Only evidence transfers: with no evidence on any prerequisite the prior is the skill's own, and a
        prerequisite without evidence counts as not known (all of them must be shown for full transfer).
        """
        pre = self.prerequisites.get(skill)
        if not pre or self.transfer_ <= 0:
            return prior
        seen = [p for p in (self._find(state, r) for r in pre) if p >= 0]
        if not seen:
            return prior
        mean = sum(self._view(state, p, int(state["skills"][p]), now)[0] for p in seen) / len(pre)
        return min(max(prior, prior + self.transfer_ * (mean - prior)), max(prior, BOUNDS["prior"][1]))

    def _difficulty(self, item: int | None) -> float:
        return self.item_difficulty.get(int(item), 0.0) if item is not None else 0.0

    def _layer_features(
        self, state: KTState, skill: int, item: int | None, now: float | None
    ) -> tuple[float, float]:
        """logit of the mastery layer's P(correct) less the item's difficulty, and the ability θ."""
        slot = self.skills_.index(skill)
        pos = self._find(state, skill)
        if pos < 0:
            k = self._transferred_prior(state, skill, float(self.params_["prior"][slot]), now)
        else:
            k = self._view(state, pos, skill, now)[0]
        guess, slip = float(self.params_["guess"][slot]), float(self.params_["slip"][slot])
        pc = k * (1.0 - slip) + (1.0 - k) * guess
        return _logit(pc) - self._difficulty(item), float(state["stu"][0])

    def _sub_state(self, state: KTState) -> KTState:
        assert self.predictor_ is not None
        return KTState(
            self.predictor_.name, {k[2:]: v for k, v in state.arrays.items() if k.startswith("p_")}
        )

    # --- persistence ----------------------------------------------------------------------------------
    def _arrays(self) -> dict[str, AnyArray]:
        pred = self.predictor_
        meta = {
            "chosen": self.chosen_,
            "selection": self.selection_,
            "transfer": self.transfer_,
            "predictor": pred.name if pred is not None else None,
            "predictor_params": pred.get_params() if pred is not None else None,
        }
        out: dict[str, AnyArray] = {n: self.params_[n] for n in PARAMS}
        out |= {f"fitted_{n}": self.fitted_params_[n] for n in PARAMS}
        out |= {"counts": self.counts_, "own": self.own_, "calib": self.calib_}
        out["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        if pred is not None:
            out["p_skills"] = pred.skills_.ids
            out |= {f"p_{k}": v for k, v in pred._arrays().items()}
        return out

    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        meta = json.loads(np.asarray(arrays["meta"], dtype=np.uint8).tobytes())
        self.params_ = {n: np.asarray(arrays[n], dtype=np.float64) for n in PARAMS}
        self.fitted_params_ = {n: np.asarray(arrays[f"fitted_{n}"], dtype=np.float64) for n in PARAMS}
        self.counts_ = np.asarray(arrays["counts"], dtype=np.int64)
        self.own_ = np.asarray(arrays["own"], dtype=bool)
        self.calib_ = np.asarray(arrays["calib"], dtype=np.float64)
        self.chosen_ = meta["chosen"]
        self.transfer_ = float(meta.get("transfer", TRANSFER_DEFAULT))
        self.selection_ = meta["selection"]
        self.predictor_ = None
        if meta["predictor"] is not None:
            pred = _PREDICTORS[meta["predictor"]](**meta["predictor_params"])
            pred.skills_ = SkillIndex(np.asarray(arrays["p_skills"]).tolist())
            pred._set_arrays({k[2:]: v for k, v in arrays.items() if k.startswith("p_") and k != "p_skills"})
            self.predictor_ = pred


def _forget(known: float, prior: float, decay: float) -> float:
    """P(known) after ``decay`` (the share kept) of forgetting: what is above the prior fades towards it."""
    return prior + (known - prior) * decay if known > prior else known


def _beta_sd(e_right: float, e_wrong: float) -> float:
    """SD of Beta(1 + right evidence, 1 + wrong evidence)."""
    a, b = 1.0 + e_right, 1.0 + e_wrong
    return math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0)))
