"""Model names, as the CLI and saved files spell them. The first is the default of ``cairn evaluate``."""

from __future__ import annotations

from cairn.engine.kt.base import LearnerModel
from cairn.engine.kt.bkt import BKT
from cairn.engine.kt.dkt import DKT
from cairn.engine.kt.logistic import LogisticKT

MODELS: dict[str, type[LearnerModel]] = {"dkt": DKT, "logistic": LogisticKT, "bkt": BKT}
DEFAULT_MODEL = "dkt"
