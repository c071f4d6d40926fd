"""Simulated students for benchmarks, tests and the demo's learning history.

Each simulated learner has a hidden knowledge state per competency and their own parameters: how likely
they know it already, learn it from one practice opportunity, guess right without knowing it and slip when
they do. Learning is slower while prerequisites are not yet known (the prerequisite effect), and parameters
vary from learner to learner. Policies see only answers; benchmarks may peek at the hidden state (the oracle)
and at whether a competency is truly mastered at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PopulationParams:
    """Means and spreads (on the logit scale) of learner parameters; ``prereq_factor`` multiplies the
    learning rate while any prerequisite is unknown."""

    p_init: float = 0.15
    p_learn: float = 0.25
    p_guess: float = 0.2
    p_slip: float = 0.1
    spread: float = 0.6  # SD of the per-learner logit offset of each parameter
    prereq_factor: float = 0.2
    idle_share: float = 0.0  # share of learners who rarely practise (for the demo's class in motion)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)  # a population where nobody knows a topic yet is allowed
    return float(np.log(p / (1 - p)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1 / (1 + np.exp(-x))
    return result


@dataclass
class SimulatedLearner:
    """One learner; ``known`` is the hidden state a real teacher can't see."""

    learner_id: int
    p_learn: dict[str, float]
    p_guess: dict[str, float]
    p_slip: dict[str, float]
    prerequisites: Mapping[str, Sequence[str]]
    prereq_factor: float
    known: set[str]
    rng: np.random.Generator
    activity: float = 1.0  # relative amount of practice per day (the demo uses it)
    opportunities: dict[str, int] = field(default_factory=dict)

    def answer(self, competency: str) -> bool:
        """Answer one item on the competency, then maybe learn from the practice."""
        if competency in self.known:
            correct = bool(self.rng.random() >= self.p_slip[competency])
        else:
            correct = bool(self.rng.random() < self.p_guess[competency])
        self.learn(competency)
        return correct

    def learn(self, competency: str) -> None:
        """One practice opportunity (an item, a video, a lesson) on the competency."""
        self.opportunities[competency] = self.opportunities.get(competency, 0) + 1
        if competency in self.known:
            return
        rate = self.p_learn[competency]
        if any(pre not in self.known for pre in self.prerequisites.get(competency, ())):
            rate *= self.prereq_factor
        if self.rng.random() < rate:
            self.known.add(competency)

    def p_correct(self, competency: str) -> float:
        """The true probability of a right answer now (only benchmarks may look)."""
        if competency in self.known:
            return 1 - self.p_slip[competency]
        return self.p_guess[competency]


def make_population(
    competencies: Sequence[str],
    prerequisites: Mapping[str, Sequence[str]],
    n: int,
    *,
    seed: int,
    params: PopulationParams | None = None,
    difficulty: Mapping[str, float] | None = None,
) -> list[SimulatedLearner]:
    """``n`` learners whose parameters vary around ``params``; ``difficulty`` (logit offsets per competency,
    positive = harder) lowers initial knowledge and learning rate for hard competencies."""
    prm = params or PopulationParams()
    rng = np.random.default_rng(seed)
    codes = list(competencies)
    diff = np.array([(difficulty or {}).get(c, 0.0) for c in codes])
    learners = []
    for i in range(n):
        ability = rng.normal(0, prm.spread)  # a general offset: strong students are strong across topics
        jitter = rng.normal(0, prm.spread / 2, size=(4, len(codes)))
        p_init = _sigmoid(_logit(prm.p_init) + ability - diff + jitter[0])
        p_learn = _sigmoid(_logit(prm.p_learn) + ability - diff / 2 + jitter[1])
        p_guess = np.clip(_sigmoid(_logit(prm.p_guess) + jitter[2] / 2), 0.01, 0.45)
        p_slip = np.clip(_sigmoid(_logit(prm.p_slip) - ability / 2 + jitter[3] / 2), 0.01, 0.3)
        known: set[str] = set()
        # Initial knowledge respects prerequisites: a student rarely knows 5.NF without 3.NF.
        for j, code in enumerate(codes):
            if all(pre in known for pre in prerequisites.get(code, ())) and rng.random() < p_init[j]:
                known.add(code)
        learner_rng = np.random.default_rng(rng.integers(2**63))
        learners.append(
            SimulatedLearner(
                learner_id=i,
                p_learn=dict(zip(codes, p_learn.tolist(), strict=True)),
                p_guess=dict(zip(codes, p_guess.tolist(), strict=True)),
                p_slip=dict(zip(codes, p_slip.tolist(), strict=True)),
                prerequisites=prerequisites,
                prereq_factor=prm.prereq_factor,
                known=known,
                rng=learner_rng,
                activity=0.15 if rng.random() < prm.idle_share else float(rng.uniform(0.6, 1.4)),
            )
        )
    return learners
