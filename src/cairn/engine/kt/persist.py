"""Saving and loading fitted learner models: one ``.npz`` file, no pickle, so a file is safe to load.

The file holds a JSON header (format, model name, hyper-parameters from
:meth:`~cairn.engine.kt.base.LearnerModel.get_params`), the skill ids and the model's learned arrays. Loading
finds the model's class by its name in :data:`cairn.engine.kt.registry.MODELS`: it lives here, above the
models, so that the base class never needs to know its subclasses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from cairn.engine.kt.base import LearnerModel, SkillIndex
from cairn.engine.kt.registry import MODELS

_MODEL_FORMAT = 1
M = TypeVar("M", bound=LearnerModel)


def save_model(model: LearnerModel, path: str | Path) -> None:
    """Save a fitted model to an ``.npz`` file."""
    model._check_fitted()
    meta = {"format": _MODEL_FORMAT, "model": model.name, "params": model.get_params()}
    arrays: dict[str, Any] = {f"a_{k}": v for k, v in model._arrays().items()}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    arrays["skills"] = model.skills_.ids
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


@overload
def load_model(path: str | Path) -> LearnerModel: ...
@overload
def load_model(path: str | Path, kind: type[M]) -> M: ...
def load_model(path: str | Path, kind: type[LearnerModel] | None = None) -> LearnerModel:
    """Load any saved model; given a ``kind``, refuse a file that holds another kind."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(z["meta"].tobytes())
        if meta.get("format") != _MODEL_FORMAT:
            raise ValueError(f"{path}: unknown model file format {meta.get('format')!r}")
        cls = MODELS.get(meta["model"])
        if cls is None:
            raise ValueError(f"{path}: unknown learner model {meta['model']!r}")
        if kind is not None and cls is not kind:
            raise ValueError(f"{path} holds a {meta['model']!r} model, not {kind.name!r}")
        model = cls(**meta["params"])
        model.skills_ = SkillIndex(z["skills"].tolist())
        model._set_arrays({k[2:]: z[k] for k in z.files if k.startswith("a_")})
    return model
