"""Saving and loading fitted learner models: one ``.npz`` file, no pickle, so a file is safe to load.

The file holds a JSON header (format, model name, hyper-parameters from
:meth:`~cairn.engine.kt.base.LearnerModel.get_params`), the skill ids and the model's learned arrays. Loading
finds the model's class by its name in :data:`cairn.engine.kt.registry.MODELS`: it lives here, above the
models, so that the base class never needs to know its subclasses.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from cairn.engine.kt.base import LearnerModel, SkillIndex
from cairn.engine.kt.registry import MODELS

_MODEL_FORMAT = 1
M = TypeVar("M", bound=LearnerModel)


def model_to_bytes(model: LearnerModel) -> bytes:
    """A fitted model as the bytes of its ``.npz`` file (for a database column)."""
    buf = io.BytesIO()
    save_model(model, buf)
    return buf.getvalue()


@overload
def model_from_bytes(blob: bytes) -> LearnerModel: ...
@overload
def model_from_bytes(blob: bytes, kind: type[M]) -> M: ...
def model_from_bytes(blob: bytes, kind: type[LearnerModel] | None = None) -> LearnerModel:
    """The model saved by :func:`model_to_bytes`; given a ``kind``, refuse another kind."""
    return load_model(io.BytesIO(blob), kind)


def save_model(model: LearnerModel, path: str | Path | io.BytesIO) -> None:
    """Save a fitted model to an ``.npz`` file (a path or a binary buffer)."""
    model._check_fitted()
    meta = {"format": _MODEL_FORMAT, "model": model.name, "params": model.get_params()}
    arrays: dict[str, Any] = {f"a_{k}": v for k, v in model._arrays().items()}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    arrays["skills"] = model.skills_.ids
    if isinstance(path, io.BytesIO):
        np.savez_compressed(path, **arrays)
        return
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


@overload
def load_model(path: str | Path | io.BytesIO) -> LearnerModel: ...
@overload
def load_model(path: str | Path | io.BytesIO, kind: type[M]) -> M: ...
@overload
def load_model(path: str | Path | io.BytesIO, kind: type[LearnerModel] | None) -> LearnerModel: ...
def load_model(path: str | Path | io.BytesIO, kind: type[LearnerModel] | None = None) -> LearnerModel:
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
