"""Model names, as the CLI and saved files spell them. The first is the default of ``cairn evaluate``."""

from __future__ import annotations

import inspect
from typing import Any

from cairn.engine.kt.base import LearnerModel
from cairn.engine.kt.bkt import BKT
from cairn.engine.kt.dkt import DKT
from cairn.engine.kt.logistic import LogisticKT

MODELS: dict[str, type[LearnerModel]] = {"dkt": DKT, "logistic": LogisticKT, "bkt": BKT}
DEFAULT_MODEL = "dkt"


def make_model(name: str, seed: int = 0) -> LearnerModel:
    """A new, unfitted model by name, seeded where the model has randomness (BKT's EM has none)."""
    cls = MODELS[name]
    options: dict[str, Any] = {"seed": seed} if "seed" in inspect.signature(cls).parameters else {}
    return cls(**options)
