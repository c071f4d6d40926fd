"""Model names, as the CLI and saved files spell them. The first is the default of ``cairn evaluate``."""

from __future__ import annotations

from cairn.engine.kt.app import AppModel
from cairn.engine.kt.base import LearnerModel
from cairn.engine.kt.bkt import BKT
from cairn.engine.kt.dkt import DKT
from cairn.engine.kt.logistic import LogisticKT

MODELS: dict[str, type[LearnerModel]] = {"dkt": DKT, "logistic": LogisticKT, "bkt": BKT, "app": AppModel}
DEFAULT_MODEL = "dkt"


def make_model(name: str, seed: int = 0) -> LearnerModel:
    """A model with its default hyper-parameters and, for models that take one, this random seed.

    BKT's EM is deterministic and takes no seed. Unknown names raise ValueError listing the known ones.
    """
    if name not in MODELS:
        raise ValueError(f"unknown learner model {name!r}; choose from {', '.join(MODELS)}")
    cls = MODELS[name]
    return cls(seed=seed) if "seed" in cls.param_names() else cls()  # type: ignore[call-arg]
