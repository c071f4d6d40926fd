"""The learner-model interface that every knowledge-tracing model in Cairn implements.

A model is an estimator in scikit-learn's sense: hyper-parameters in ``__init__``, ``fit`` learns from a
response log and sets attributes ending in ``_``, and prediction never mutates the model. A student's
knowledge lives outside the model, in a small :class:`KTState` that the web app stores per student:

    state = model.initial_state()
    state = model.update(state, Response(skill=12, correct=1))   # O(1) per answer, returns a new state
    p = model.predict(state, 7)                                   # P(correct) on skill 7 next
    model.mastery(state)                                          # {skill: Mastery(p, sd, n)}
    blob = model.state_to_bytes(state)                            # compact, for a database column

Hyper-parameters are declared once, in ``__init__``: :meth:`LearnerModel.get_params` reads them from its
signature, and :mod:`cairn.engine.kt.persist` saves and loads a fitted model with them.

Skills are the dataset's own integer ids. Ids the model never saw in training are accepted everywhere:
they share one "unknown skill" slot (index 0 of every per-skill array), fitted on no data of its own.
"""

from __future__ import annotations

import inspect
import json
import struct
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from cairn.engine.kt.data import StudentSequence

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]

_STATE_MAGIC = b"CKS1"
# Prior strength (in pseudo-answers) of the Beta approximation behind the mastery uncertainty of models
# that have no posterior of their own: with no evidence the SD is that of a Beta(1, 1)-like belief, and
# it shrinks like 1/sqrt(answers on the skill).
_PRIOR_ANSWERS = 2.0


@dataclass(frozen=True)
class Response:
    """One answer: the skill (or item) id and whether it was right (1) or wrong (0)."""

    skill: int
    correct: int


# Where a piece of evidence comes from. "answer" is an answer to a Cairn item (a practice opportunity: the
# student may learn from it); the others are statements about the student that are not practice.
EVIDENCE_SOURCES = ("answer", "statement", "teacher", "placement", "practice")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about a student on one skill: the engine's single evidence interface.

    ``correct`` is how right it was, in [0, 1] (1 right, 0 wrong; a teacher's rating or a partial score in
    between). ``weight`` in [0, 1] is how much it counts (a likelihood tempered as P(obs | state)^weight);
    an answer given after a hint (``hinted``) counts less again, by the model's hint weight. ``source`` is
    one of :data:`EVIDENCE_SOURCES`; only answers are practice. ``at`` is a time in seconds (a Unix
    timestamp) or None; ``item`` the answered item's id, if any. A plain :class:`Response` reads as an
    answer with weight 1 and no time.
    """

    skill: int
    correct: float
    weight: float = 1.0
    source: str = "answer"
    at: float | None = None
    item: int | None = None
    hinted: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.correct <= 1.0:
            raise ValueError(f"evidence correct must be in [0, 1], not {self.correct!r}")
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"evidence weight must be in [0, 1], not {self.weight!r}")
        if self.source not in EVIDENCE_SOURCES:
            raise ValueError(f"unknown evidence source {self.source!r}; use one of {EVIDENCE_SOURCES}")

    @property
    def is_answer(self) -> bool:
        return self.source == "answer"

    @classmethod
    def of(cls, response: Response | Evidence) -> Evidence:
        """The evidence a :class:`Response` stands for (an answer, weight 1, no time); evidence as is."""
        if isinstance(response, Evidence):
            return response
        return cls(int(response.skill), float(response.correct))


@dataclass(frozen=True)
class Mastery:
    """Mastery of one skill: the estimate ``p`` in [0, 1], its standard deviation, and the answers seen."""

    p: float
    sd: float
    n: int


@dataclass
class KTState:
    """A student's state under one model: named arrays whose meaning the model defines.

    Treat it as immutable: :meth:`LearnerModel.update` returns a new one.
    """

    model: str
    arrays: dict[str, AnyArray] = field(default_factory=dict)

    def __getitem__(self, name: str) -> AnyArray:
        return self.arrays[name]


def pack_state(state: KTState) -> bytes:
    """Serialize a state: magic, a JSON header (names, dtypes, shapes), then the raw little-endian arrays."""
    header = {
        "model": state.model,
        "arrays": [[k, v.dtype.str, list(v.shape)] for k, v in state.arrays.items()],
    }
    head = json.dumps(header, separators=(",", ":")).encode()
    body = b"".join(np.ascontiguousarray(v).tobytes() for v in state.arrays.values())
    return _STATE_MAGIC + struct.pack("<I", len(head)) + head + body


def unpack_state(blob: bytes, expected_model: str) -> KTState:
    if blob[:4] != _STATE_MAGIC:
        raise ValueError("not a Cairn learner state (bad magic bytes)")
    (n,) = struct.unpack("<I", blob[4:8])
    header = json.loads(blob[8 : 8 + n])
    if header["model"] != expected_model:
        raise ValueError(f"this state belongs to model {header['model']!r}, not {expected_model!r}")
    pos = 8 + n
    arrays: dict[str, AnyArray] = {}
    for name, dtype, shape in header["arrays"]:
        dt = np.dtype(dtype)
        count = int(np.prod(shape)) if shape else 1
        arrays[name] = np.frombuffer(blob, dtype=dt, count=count, offset=pos).reshape(shape).copy()
        pos += count * dt.itemsize
    if pos != len(blob):
        raise ValueError("corrupt learner state: trailing or missing bytes")
    return KTState(header["model"], arrays)


class SkillIndex:
    """Maps dataset skill ids to dense indices 1..K; 0 is the shared slot of unseen ids."""

    def __init__(self, ids: Sequence[int]) -> None:
        self.ids: IntArray = np.unique(np.asarray(ids, dtype=np.int64))
        self._lookup = {int(s): i + 1 for i, s in enumerate(self.ids)}

    @classmethod
    def from_sequences(cls, sequences: Sequence[StudentSequence]) -> SkillIndex:
        if not sequences:
            raise ValueError("cannot fit a learner model on no students")
        return cls(np.concatenate([s.skills for s in sequences]).tolist())

    @property
    def size(self) -> int:
        """Number of slots, the unknown slot included."""
        return int(self.ids.size) + 1

    def index(self, skill: int) -> int:
        return self._lookup.get(int(skill), 0)

    def encode(self, skills: IntArray) -> IntArray:
        pos = np.searchsorted(self.ids, skills)
        pos = np.minimum(pos, max(self.ids.size - 1, 0))
        hit = self.ids.size > 0 and (self.ids[pos] == skills)
        return np.where(hit, pos + 1, 0).astype(np.int64)


def beta_mastery(p: float, n: int) -> Mastery:
    """Mastery from a predicted P(correct) with an evidence-count uncertainty.

    Reads p as the mean of a Beta belief whose strength is the answers seen on the skill plus a weak
    prior; sd = sqrt(p (1 - p) / (strength + 1)), the SD of that Beta.
    """
    strength = n + _PRIOR_ANSWERS
    return Mastery(float(p), float(np.sqrt(p * (1.0 - p) / (strength + 1.0))), int(n))


class LearnerModel(ABC):
    """Common interface; see the module docstring."""

    name: ClassVar[str]
    skills_: SkillIndex

    # --- learning -----------------------------------------------------------------------------------
    @abstractmethod
    def fit(self, sequences: Sequence[StudentSequence], *, progress: bool = False) -> Self:
        """Learn from training students. ``progress`` shows a tqdm bar on stderr."""

    # --- one student, online ------------------------------------------------------------------------
    @abstractmethod
    def initial_state(self) -> KTState:
        """The state of a student with no answers."""

    @abstractmethod
    def update(self, state: KTState, response: Response) -> KTState:
        """The state after one more answer; the given state is left unchanged."""

    @abstractmethod
    def predict_indices(self, state: KTState, idx: IntArray) -> FloatArray:
        """P(correct) on each skill slot in ``idx`` (dense indices) from the state."""

    def predict(self, state: KTState, skill: int) -> float:
        """P(correct) on the next answer to ``skill``."""
        return float(self.predict_indices(state, np.array([self.skills_.index(skill)]))[0])

    @abstractmethod
    def mastery(self, state: KTState) -> dict[int, Mastery]:
        """Mastery of every skill known to the model, keyed by skill id. See each model for its meaning."""

    def state_to_bytes(self, state: KTState) -> bytes:
        return pack_state(state)

    def state_from_bytes(self, blob: bytes) -> KTState:
        return unpack_state(blob, self.name)

    # --- many students, offline ---------------------------------------------------------------------
    def predict_sequences(self, sequences: Sequence[StudentSequence]) -> list[FloatArray]:
        """For each student, P(correct) of every answer given that student's earlier answers only.

        The default walks :meth:`update`; models override it with a vectorised pass that must agree.
        """
        out = []
        for seq in sequences:
            state = self.initial_state()
            preds = np.empty(len(seq))
            for t, (s, c) in enumerate(zip(seq.skills.tolist(), seq.correct.tolist(), strict=True)):
                preds[t] = self.predict(state, s)
                state = self.update(state, Response(s, c))
            out.append(preds)
        return out

    # --- parameters and persistence -------------------------------------------------------------------
    @classmethod
    def param_names(cls) -> list[str]:
        """The hyper-parameters, read from ``__init__``'s signature: declared once, as scikit-learn does."""
        signature = inspect.signature(cls.__init__)
        return [
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self) -> dict[str, Any]:
        """The hyper-parameters as JSON-able values, to pass back to ``__init__`` (saving, cloning)."""
        return {name: _jsonable(getattr(self, name)) for name in self.param_names()}

    @abstractmethod
    def _arrays(self) -> dict[str, AnyArray]:
        """Learned arrays to save."""

    @abstractmethod
    def _set_arrays(self, arrays: Mapping[str, AnyArray]) -> None:
        """Restore learned arrays saved by :meth:`_arrays`."""

    def _check_fitted(self) -> None:
        if not hasattr(self, "skills_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit() first")


def _jsonable(value: Any) -> Any:
    """A parameter as JSON can hold it: arrays and tuples become lists, NumPy scalars Python numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
