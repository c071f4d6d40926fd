"""Computerized adaptive testing: choose the next item, score the answers, decide when to stop.

catsim (a well-kept CAT simulator) is the reference: the tests check this module's item information and
selection against catsim's. Cairn's selector is written here because catsim's selectors lack:

- content balancing across a unit's competencies (Kingsbury & Zara's constrained CAT: the next item comes
  from the competency furthest below its share of the test);
- exposure control that holds in a live school, where tests start one at a time: the restricted
  maximum-information method (Revuelta & Ponsoda, 1998; catsim's ``r_max``) excludes items whose running
  exposure rate has reached the cap, and randomesque selection (Kingsbury & Zara, 1989) picks among the
  few most informative remaining items so that two students of equal ability don't see the same test;
- exposure *prices*: the cap alone hands a scarce, highly informative item to whichever students come
  first. Solving the exposure-capped item allocation as a linear program over the ability population
  (once per bank) gives each over-demanded item a shadow price λ; ranking items by information / (1 + λ)
  saves them for the abilities where they beat the alternatives most (Lagrangian relaxation of the
  exposure constraints, as in van der Linden & Veldkamp's exposure-controlled CAT). It shortens tests
  under a 25% cap by ~5% in benchmarks/cat.py;
- O(bank) NumPy selection: catsim's selectors sort the whole bank and filter administered items with
  Python list membership, and its numexpr information costs ~0.8 ms alone on a 10,000-item bank here
  (thread start-up); the whole selection step must stay under 1 ms;
- EAP ability estimation with a N(0, 1) prior on a grid: it exists after any number of answers (maximum
  likelihood diverges on all-right or all-wrong starts) and its posterior SD is the stopping SE.

The state is plain data (:class:`CatState`) so a web service can store it between requests and resume.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from math import erf, sqrt
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from cairn.engine import graph
from cairn.engine.irt import GRID, LOG_PRIOR, FloatArray, information, probability

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ItemBank:
    """Calibrated items: discrimination ``a``, difficulty ``b``, guessing ``c`` and, optionally, the index
    of the competency (content area) each item measures."""

    a: FloatArray
    b: FloatArray
    c: FloatArray
    area: IntArray

    @classmethod
    def from_params(
        cls,
        a: Sequence[float] | FloatArray,
        b: Sequence[float] | FloatArray,
        c: Sequence[float] | FloatArray | None = None,
        area: Sequence[int] | IntArray | None = None,
    ) -> ItemBank:
        a_arr = np.asarray(a, dtype=np.float64)
        n = len(a_arr)
        bank = cls(
            a=a_arr,
            b=np.asarray(b, dtype=np.float64),
            c=np.zeros(n) if c is None else np.asarray(c, dtype=np.float64),
            area=np.zeros(n, dtype=np.int64) if area is None else np.asarray(area, dtype=np.int64),
        )
        if not (len(bank.b) == len(bank.c) == len(bank.area) == n):
            raise ValueError("a, b, c and area must have one entry per item")
        if n == 0:
            raise ValueError("the item bank is empty")
        if np.any(bank.a <= 0) or np.any((bank.c < 0) | (bank.c >= 1)):
            raise ValueError("every item needs a > 0 and 0 <= c < 1")
        return bank

    def __len__(self) -> int:
        return len(self.a)

    @property
    def catsim_matrix(self) -> FloatArray:
        """The bank in catsim's [a, b, c, d] layout."""
        return np.column_stack([self.a, self.b, self.c, np.ones(len(self.a))])


@dataclass(frozen=True)
class CatConfig:
    se_target: float = 0.3
    max_items: int = 40
    min_items: int = 5
    randomesque: int = 3  # pick at random among this many most informative eligible items
    max_exposure: float = 0.25  # items shown to this share of tests are skipped while others remain
    exposure_pricing: bool = True  # rank by information / (1 + shadow price) when exposure is controlled
    area_weights: dict[int, float] | None = None  # target share per area; None: equal shares of present areas


class StopReason(StrEnum):
    """Why a test ended. The engine names it; whoever shows it to a person words it."""

    MAX_ITEMS = "max_items"  # the test reached its maximum length
    BANK_EXHAUSTED = "bank_exhausted"  # every item of the bank was given
    SE_TARGET = "se_target"  # the ability estimate's standard error reached the target

    @classmethod
    def parse(cls, text: str) -> StopReason | None:
        """Read a stored reason: a value of this enum, "" (not stopped), or the free text that states
        saved before the enum held (e.g. "standard error ≤ 0.3")."""
        if not text:
            return None
        if text.startswith("standard error"):
            return cls.SE_TARGET
        return _OLD_WORDING.get(text) or cls(text)


_OLD_WORDING = {"maximum length": StopReason.MAX_ITEMS, "bank exhausted": StopReason.BANK_EXHAUSTED}


@dataclass(frozen=True)
class CatState:
    """One student's test so far. ``pending`` is the item served and not yet answered."""

    administered: tuple[int, ...] = ()
    responses: tuple[int, ...] = ()
    pending: int | None = None
    theta: float = 0.0
    se: float = 1.0
    finished: bool = False
    stop_reason: StopReason | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "administered": list(self.administered),
            "responses": list(self.responses),
            "pending": self.pending,
            "theta": self.theta,
            "se": self.se,
            "finished": self.finished,
            "stop_reason": self.stop_reason or "",
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CatState:
        pending = data.get("pending")
        return cls(
            administered=tuple(int(i) for i in data.get("administered") or ()),
            responses=tuple(int(r) for r in data.get("responses") or ()),
            pending=None if pending is None else int(pending),
            theta=float(data.get("theta", 0.0)),
            se=float(data.get("se", 1.0)),
            finished=bool(data.get("finished", False)),
            stop_reason=StopReason.parse(str(data.get("stop_reason") or "")),
        )


class NotServedError(ValueError):
    """An answer came for an item that is not the one the test is waiting on."""


@dataclass
class AdaptiveTest:
    bank: ItemBank
    config: CatConfig = field(default_factory=CatConfig)

    def __post_init__(self) -> None:
        areas = np.unique(self.bank.area)
        weights = self.config.area_weights or {int(k): 1.0 for k in areas}
        total = sum(weights.get(int(k), 0.0) for k in areas) or 1.0
        self._areas = areas
        self._area_share = np.array([weights.get(int(k), 0.0) / total for k in areas])
        self._area_index = np.searchsorted(areas, self.bank.area)
        # A cap below the share a full-length test must use (max_items of the bank's items) can't hold:
        # enforcing it would push every student onto the items nobody else wants. Small banks get the
        # lowest cap they can honour.
        self.exposure_cap = min(1.0, max(self.config.max_exposure, self.config.max_items / len(self.bank)))
        self._price_factor: FloatArray | None = None
        if self.config.exposure_pricing and self.exposure_cap < 1.0:
            prices = exposure_prices(self.bank, self.exposure_cap, self.config.se_target)
            self._price_factor = 1.0 / (1.0 + prices)

    # -- the loop ---------------------------------------------------------------------------------------
    def next_item(
        self, state: CatState, rng: np.random.Generator, exposure_rate: FloatArray | None = None
    ) -> tuple[CatState, int | None]:
        """Serve the next item (or the pending one again, so a reloaded page shows the same item)."""
        if state.finished:
            return state, None
        if state.pending is not None:
            return state, state.pending
        item = self.select(state, rng, exposure_rate)
        if item is None:
            return replace(state, finished=True, stop_reason=StopReason.BANK_EXHAUSTED), None
        return replace(state, pending=item), item

    def answer(self, state: CatState, item: int, correct: bool) -> CatState:
        """Record the answer to the pending item and re-estimate; refuses any other item."""
        if state.finished:
            raise NotServedError("the test is already finished")
        if state.pending is None or item != state.pending:
            raise NotServedError(f"item {item} was not the item served (waiting on {state.pending})")
        administered = (*state.administered, item)
        responses = (*state.responses, int(bool(correct)))
        theta, se = self.estimate(administered, responses)
        new = CatState(administered=administered, responses=responses, pending=None, theta=theta, se=se)
        reason = self.stop_reason(new)
        return replace(new, finished=reason is not None, stop_reason=reason)

    def stop_reason(self, state: CatState) -> StopReason | None:
        """Why the test should stop after the answers in ``state``; None while it should go on."""
        n = len(state.administered)
        if n >= self.config.max_items:
            return StopReason.MAX_ITEMS
        if n >= len(self.bank):
            return StopReason.BANK_EXHAUSTED
        if n >= self.config.min_items and state.se <= self.config.se_target:
            return StopReason.SE_TARGET
        return None

    # -- pieces -----------------------------------------------------------------------------------------
    def select(
        self, state: CatState, rng: np.random.Generator, exposure_rate: FloatArray | None = None
    ) -> int | None:
        eligible = np.ones(len(self.bank), dtype=bool)
        if state.administered:
            eligible[list(state.administered)] = False
        if not eligible.any():
            return None
        if len(self._areas) > 1:
            counts = np.bincount(self._area_index[list(state.administered)], minlength=len(self._areas))
            deficit = self._area_share * (len(state.administered) + 1) - counts
            for area in np.argsort(-deficit, kind="stable"):
                in_area = eligible & (self._area_index == area)
                if in_area.any():
                    eligible = in_area
                    break
        info = information(state.theta, self.bank.a, self.bank.b, self.bank.c)
        if exposure_rate is not None:
            fresh = eligible & (exposure_rate < self.exposure_cap)
            if fresh.any():
                eligible = fresh
            if self._price_factor is not None:
                info = info * self._price_factor
        info = np.where(eligible, info, -np.inf)
        k = min(self.config.randomesque, int(eligible.sum()))
        top = np.argpartition(-info, k - 1)[:k]
        return int(rng.choice(top))

    def estimate(self, items: Sequence[int], responses: Sequence[int]) -> tuple[float, float]:
        """EAP ability and posterior SD from the answers so far."""
        if not items:
            return 0.0, 1.0
        idx = np.asarray(items, dtype=np.int64)
        y = np.asarray(responses, dtype=np.float64)
        p = np.clip(probability(GRID, self.bank.a[idx], self.bank.b[idx], self.bank.c[idx]), 1e-9, 1 - 1e-9)
        log_post = LOG_PRIOR + np.log(p) @ y + np.log(1 - p) @ (1 - y)
        post = np.exp(log_post - log_post.max())
        post /= post.sum()
        mean = float(post @ GRID)
        sd = float(np.sqrt(max(post @ GRID**2 - mean**2, 0.0)))
        return mean, sd


# -- exposure prices ------------------------------------------------------------------------------------
_PRICE_CACHE: dict[bytes, FloatArray] = {}
_PRICE_NODES: FloatArray = np.linspace(-3.0, 3.0, 31)


def exposure_prices(
    bank: ItemBank,
    max_exposure: float,
    se_target: float,
    *,
    mean: float = 0.0,
    sd: float = 1.0,
) -> FloatArray:
    """Shadow prices of the exposure cap, one per item (0 for items the cap doesn't bind).

    The linear program: students of ability θ ~ N(mean, sd²) (on a quadrature grid) each need test
    information 1/se_target² - 1 (posterior precision minus the prior's); choose the fraction of students at
    each node that see each item, minimising the expected test length, with no item seen by more than
    ``max_exposure`` of students. Its dual price λ_j on item j's cap says how much shorter tests would be
    if j could be shown more; selection ranks by information / (1 + λ), which is the LP's own rule for
    which items a node's students should get. Cached per bank (a few ms for hundreds of items, ~2 s for
    10,000)."""
    key = hashlib.blake2b(
        b"".join(
            np.ascontiguousarray(v, dtype=np.float64).tobytes()
            for v in (bank.a, bank.b, bank.c, np.array([max_exposure, se_target, mean, sd]))
        ),
        digest_size=16,
    ).digest()
    cached = _PRICE_CACHE.get(key)
    if cached is not None:
        return cached
    prices = _solve_exposure_prices(bank, max_exposure, se_target, mean, sd)
    if len(_PRICE_CACHE) >= 64:
        _PRICE_CACHE.pop(next(iter(_PRICE_CACHE)))
    _PRICE_CACHE[key] = prices
    return prices


def _solve_exposure_prices(
    bank: ItemBank, max_exposure: float, se_target: float, mean: float, sd: float
) -> FloatArray:
    nodes = mean + sd * _PRICE_NODES
    weight = np.exp(-0.5 * _PRICE_NODES**2)
    weight /= weight.sum()
    n_nodes, n_items = len(nodes), len(bank)
    info = information(nodes, bank.a, bank.b, bank.c)  # nodes × items
    # Nodes far out may not reach the target even with every item; ask them for most of what exists.
    need = np.minimum(1.0 / max(se_target, 1e-3) ** 2 - 1.0, 0.8 * info.sum(axis=1))
    columns = np.arange(n_nodes * n_items)
    need_rows = sparse.csr_matrix(
        (-info.ravel(), (np.repeat(np.arange(n_nodes), n_items), columns)), shape=(n_nodes, n_nodes * n_items)
    )
    cap_rows = sparse.csr_matrix(
        (np.repeat(weight, n_items), (np.tile(np.arange(n_items), n_nodes), columns)),
        shape=(n_items, n_nodes * n_items),
    )
    result = optimize.linprog(
        np.repeat(weight, n_items),
        A_ub=sparse.vstack([need_rows, cap_rows]).tocsr(),
        b_ub=np.concatenate([-need, np.full(n_items, max_exposure)]),
        bounds=(0.0, 1.0),
        method="highs",
    )
    if result.status != 0 or result.ineqlin is None:
        return np.zeros(n_items)  # no feasible allocation: fall back to the cap alone
    prices: FloatArray = np.clip(-np.asarray(result.ineqlin.marginals[n_nodes:], dtype=np.float64), 0, None)
    return prices


# -- placement on the competency graph ------------------------------------------------------------------
@dataclass(frozen=True)
class Placement:
    """Where a diagnostic puts a student: P(mastered) per competency, those presumed mastered, and those
    ready to work on (not mastered, every prerequisite mastered)."""

    mastery_probability: dict[str, float]
    mastered: frozenset[str]
    ready: frozenset[str]


def place(
    theta: float,
    se: float,
    competency_difficulty: Mapping[str, float],
    prerequisites: Mapping[str, Sequence[str]],
    *,
    threshold: float = 0.8,
) -> Placement:
    """Map an ability estimate onto the competency graph.

    The app places students with :mod:`cairn.engine.placement` (the answers themselves on the graph's
    knowledge states, measured in benchmarks/cat.py); this rule stays for a caller that has only θ̂ and SE.

    ``competency_difficulty`` is the θ at which a student has mastered the competency (e.g. where the
    expected score on its items reaches 80%). P(mastered) = P(θ > that point) under N(θ̂, se²); a competency
    counts as mastered when that reaches ``threshold`` *and* all its prerequisites count as mastered, so a
    lucky guess can't skip a student past a gap.
    """

    def p_above(point: float) -> float:
        z = (theta - point) / max(se, 1e-6)
        return 0.5 * (1 + erf(z / sqrt(2)))

    prob = {code: p_above(diff) for code, diff in competency_difficulty.items()}
    known = set(competency_difficulty)
    # Prerequisites first; one that is not among the competencies placed counts as not mastered.
    edges = [(p, code) for code in known for p in prerequisites.get(code, ()) if p in known]
    mastered: set[str] = set()
    for code in graph.topological_order(known, edges):
        if prob[code] >= threshold and all(p in mastered for p in prerequisites.get(code, ())):
            mastered.add(code)
    ready = {
        code
        for code in competency_difficulty
        if code not in mastered and all(p in mastered for p in prerequisites.get(code, ()))
    }
    return Placement(mastery_probability=prob, mastered=frozenset(mastered), ready=frozenset(ready))


def mastery_point(a: FloatArray, b: FloatArray, c: FloatArray, target: float = 0.8) -> float:
    """The θ where the expected proportion correct on these items reaches ``target`` (bisection)."""
    lo, hi = -6.0, 6.0
    for _ in range(60):
        mid = (lo + hi) / 2
        expected = float(np.mean(probability(mid, a, b, c)))
        if expected < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
