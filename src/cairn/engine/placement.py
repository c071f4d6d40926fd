"""Placement on the competency graph: which competencies a student has mastered, from diagnostic answers.

The model is knowledge space theory's (Doignon & Falmagne; ALEKS runs on it): a student's knowledge state is
a set of competencies closed under prerequisites (knowing a competency implies knowing its prerequisites),
so the feasible states are the graph's *downsets*, enumerated here. The prior over states is the generative
story of :mod:`cairn.engine.simulate`: in prerequisite order, a competency whose prerequisites are all known
is known with probability ``prior[c]``. An answer to an item on competencies C is right with probability
1 - slip when the state holds all of C, and ``guess`` otherwise. The posterior over states is exact
(enumeration), so a failed prerequisite lowers every dependent and a mastered dependent raises every
prerequisite without any hand-written propagation rule.

Decisions use the posterior marginals P(c known). Thresholding them at any level gives a downset again
(a prerequisite is in every state its dependent is in, so its marginal is at least as high): the placed
set never has a gap. The next item is the one that most lowers the expected number of misplaced
competencies (expected misclassification, one-step look-ahead), and a diagnostic can stop once that
expected number is small enough.

Written here, not taken from a library: learning-spaces packages for Python (e.g. ``learning_spaces``) are
unmaintained research code without an item-selection step; the enumeration and Bayes update are a
few NumPy lines. Graphs are split into weakly connected components (states multiply across them, so each
is enumerated on its own); a component with more than ``max_states`` downsets drops its internal edges
(each competency on its own) and the prerequisite order is enforced on the decision instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from cairn.engine import graph

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_PRIOR = 0.5  # P(known | every prerequisite known) when nothing else is known about the student
DEFAULT_GUESS = 0.2  # the simulator's population means, and the usual bounds of the mastery literature
DEFAULT_SLIP = 0.1
MAX_STATES = 20_000  # downsets per component enumerated exactly


@dataclass(frozen=True)
class Answer:
    """One answer to an item on ``competencies`` (all must be known to answer right reliably)."""

    competencies: tuple[str, ...]
    correct: bool
    guess: float = DEFAULT_GUESS
    slip: float = DEFAULT_SLIP


@dataclass(frozen=True)
class Probe:
    """An item the diagnostic could ask next."""

    competencies: tuple[str, ...]
    guess: float = DEFAULT_GUESS
    slip: float = DEFAULT_SLIP


@dataclass(frozen=True)
class GraphPlacement:
    """P(known) per competency, the competencies placed as mastered (a downset), those ready to work on
    (not mastered, every prerequisite mastered), and the expected share placed correctly."""

    mastery_probability: dict[str, float]
    mastered: frozenset[str]
    ready: frozenset[str]
    expected_accuracy: float


@dataclass(frozen=True)
class _Component:
    codes: tuple[str, ...]
    states: BoolArray  # states × codes
    log_prior: FloatArray


def downsets(
    codes: Sequence[str], prerequisites: Mapping[str, Collection[str]], limit: int
) -> BoolArray | None:
    """Every prerequisite-closed subset of ``codes`` (rows of a states × codes matrix), or None when there
    are more than ``limit``. ``codes`` must be in prerequisite order."""
    index = {c: i for i, c in enumerate(codes)}
    states = np.zeros((1, len(codes)), dtype=bool)
    for j, code in enumerate(codes):
        pre = [index[p] for p in prerequisites.get(code, ()) if p in index]
        can = states[:, pre].all(axis=1) if pre else np.ones(len(states), dtype=bool)
        grown = states[can].copy()
        grown[:, j] = True
        states = np.vstack([states, grown])
        if len(states) > limit:
            return None
    return states


class KnowledgeGraph:
    """The feasible knowledge states of a set of competencies and the prior over them."""

    def __init__(
        self,
        competencies: Collection[str],
        prerequisites: Mapping[str, Collection[str]],
        *,
        prior: float | Mapping[str, float] = DEFAULT_PRIOR,
        max_states: int = MAX_STATES,
    ) -> None:
        known = set(competencies)
        pre = {c: [p for p in prerequisites.get(c, ()) if p in known] for c in known}
        edges = [(p, c) for c, ps in pre.items() for p in ps]
        self.order = graph.topological_order(known, edges)  # raises CycleError on a cycle
        self.prerequisites = pre
        position = {c: i for i, c in enumerate(self.order)}
        self._components: list[_Component] = []
        for members in nx.weakly_connected_components(graph.build(known, edges)):
            codes = tuple(sorted(members, key=position.__getitem__))
            states = downsets(codes, pre, max_states)
            if states is None:  # too many to enumerate: each competency on its own (see the module notes)
                for code in codes:
                    self._components.append(self._component((code,), {}, prior))
            else:
                self._components.append(self._component(codes, pre, prior, states))
        self._where = {c: (k, j) for k, comp in enumerate(self._components) for j, c in enumerate(comp.codes)}

    @staticmethod
    def _component(
        codes: tuple[str, ...],
        pre: Mapping[str, Collection[str]],
        prior: float | Mapping[str, float],
        states: BoolArray | None = None,
    ) -> _Component:
        if states is None:
            states = downsets(codes, pre, 2 ** len(codes))
            assert states is not None
        p = np.array(
            [prior if isinstance(prior, float | int) else prior.get(c, DEFAULT_PRIOR) for c in codes]
        )
        p = np.clip(p.astype(np.float64), 1e-3, 1 - 1e-3)
        index = {c: i for i, c in enumerate(codes)}
        # A competency outside the state counts against the prior only if it could have been known (its
        # prerequisites are all in the state): the generative story above.
        frontier = np.ones_like(states)
        for j, code in enumerate(codes):
            ps = [index[q] for q in pre.get(code, ()) if q in index]
            if ps:
                frontier[:, j] = states[:, ps].all(axis=1)
        log_prior = states @ np.log(p) + ((~states) & frontier) @ np.log(1 - p)
        return _Component(codes, states, log_prior - log_prior.max())

    @property
    def n_states(self) -> int:
        return sum(len(c.states) for c in self._components)

    # -- inference --------------------------------------------------------------------------------------
    def _p_right(self, k: int, competencies: Sequence[str], guess: float, slip: float) -> FloatArray:
        comp = self._components[k]
        cols = [self._where[c][1] for c in competencies if c in self._where and self._where[c][0] == k]
        holds = comp.states[:, cols].all(axis=1)
        p: FloatArray = np.where(holds, 1.0 - slip, guess)
        return p

    def _touched(self, competencies: Sequence[str]) -> list[int]:
        return sorted({self._where[c][0] for c in competencies if c in self._where})

    def posterior(self, answers: Sequence[Answer]) -> list[FloatArray]:
        """Posterior over each component's states. An item spanning components counts 1/m in each of its
        m components (an approximation: the components are treated as independent)."""
        logs = [comp.log_prior.copy() for comp in self._components]
        for ans in answers:
            self._add(logs, ans)
        return _normalise(logs)

    def _add(self, logs: list[FloatArray], ans: Answer) -> None:
        touched = self._touched(ans.competencies)
        for k in touched:
            p = np.clip(self._p_right(k, ans.competencies, ans.guess, ans.slip), 1e-9, 1 - 1e-9)
            logs[k] += (np.log(p) if ans.correct else np.log(1 - p)) / len(touched)

    def marginals(self, posterior: Sequence[FloatArray]) -> dict[str, float]:
        result: dict[str, float] = {}
        for comp, post in zip(self._components, posterior, strict=True):
            m = post @ comp.states
            result.update({c: float(v) for c, v in zip(comp.codes, m, strict=True)})
        return result

    def expected_errors(self, posterior: Sequence[FloatArray]) -> float:
        """Expected number of competencies a 0.5-threshold placement gets wrong."""
        m = np.array(list(self.marginals(posterior).values()))
        return float(np.minimum(m, 1 - m).sum())

    def best_probe(self, posterior: Sequence[FloatArray], probes: Sequence[Probe]) -> tuple[int, float]:
        """The probe that most lowers the expected number of misplaced competencies after its answer, and
        that expected reduction (one-step look-ahead over the two possible answers)."""
        # Probes alike (same competencies, guess and slip) are scored once; the first of them stands for all.
        first: dict[Probe, int] = {}
        for i, probe in enumerate(probes):
            first.setdefault(probe, i)
        unique = list(first)
        gain = np.full(len(unique), -np.inf)
        by_component: dict[int, list[int]] = {}
        for u, probe in enumerate(unique):
            touched = self._touched(probe.competencies)
            if touched:  # an item spanning components is scored on its first one (rare)
                by_component.setdefault(touched[0], []).append(u)
        for k, members in by_component.items():
            comp, post = self._components[k], posterior[k]
            m = post @ comp.states
            now = float(np.minimum(m, 1 - m).sum())
            p = np.column_stack(
                [self._p_right(k, unique[u].competencies, unique[u].guess, unique[u].slip) for u in members]
            )  # states × probes
            w1, w0 = post[:, None] * p, post[:, None] * (1 - p)
            m1, m0 = comp.states.T @ w1, comp.states.T @ w0  # codes × probes
            p1, p0 = w1.sum(axis=0), w0.sum(axis=0)
            after = np.minimum(m1, p1 - m1).sum(axis=0) + np.minimum(m0, p0 - m0).sum(axis=0)
            gain[members] = now - after
        if not np.isfinite(gain).any():
            return -1, 0.0
        top = int(np.argmax(gain))  # the first of equals: deterministic
        best, best_gain = first[unique[top]], gain[top]
        return best, float(best_gain)

    def place(self, answers: Sequence[Answer], *, threshold: float = 0.5) -> GraphPlacement:
        """The placement the answers support: mastered where P(known) ≥ ``threshold``."""
        post = self.posterior(answers)
        prob = self.marginals(post)
        mastered: set[str] = set()
        for code in self.order:  # a no-op on enumerated components; keeps split ones gap-free
            if prob[code] >= threshold and all(p in mastered for p in self.prerequisites[code]):
                mastered.add(code)
        ready = {
            c for c in self.order if c not in mastered and all(p in mastered for p in self.prerequisites[c])
        }
        accuracy = 1.0 - self.expected_errors(post) / max(len(self.order), 1)
        return GraphPlacement(prob, frozenset(mastered), frozenset(ready), accuracy)


def _normalise(logs: Sequence[FloatArray]) -> list[FloatArray]:
    out = []
    for lp in logs:
        w = np.exp(lp - lp.max())
        out.append(w / w.sum())
    return out


def run_diagnostic(
    model: KnowledgeGraph,
    probes: Sequence[Probe],
    respond: Callable[[int], bool],
    *,
    max_items: int = 30,
    target_accuracy: float = 0.95,
    threshold: float = 0.5,
) -> tuple[GraphPlacement, list[int]]:
    """Ask the most informative probe until the expected share placed correctly reaches
    ``target_accuracy`` (or ``max_items``); ``respond(index)`` answers probe ``index``. Each probe is asked
    at most once. Returns the placement and the probes asked, in order."""
    answers: list[Answer] = []
    asked: list[int] = []
    remaining = list(range(len(probes)))
    logs = [comp.log_prior.copy() for comp in model._components]
    post = _normalise(logs)
    n = max(len(model.order), 1)
    while len(asked) < max_items and remaining:
        if 1.0 - model.expected_errors(post) / n >= target_accuracy:
            break
        pick, _gain = model.best_probe(post, [probes[i] for i in remaining])
        if pick < 0:
            break
        index = remaining.pop(pick)
        probe = probes[index]
        answers.append(Answer(probe.competencies, bool(respond(index)), probe.guess, probe.slip))
        asked.append(index)
        model._add(logs, answers[-1])  # the module's own incremental update
        post = _normalise(logs)
    return model.place(answers, threshold=threshold), asked
