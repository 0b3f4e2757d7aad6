"""Pickle-free persistence: models as `model.safetensors` + `config.json`, training state likewise.

Training state (optimizer, scheduler, RNG states, counters) is a nest of dicts, lists, tuples,
numbers, strings, numpy arrays and tensors. `save_state` splits it into a safetensors file
(every tensor and array, bit-exact) and a JSON skeleton that points at them, so resuming
restores exactly what was saved without pickle.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, load_model, save_file, save_model

from sciml.errors import InputError
from sciml.files import atomic_path

MODEL_WEIGHTS = "model.safetensors"
MODEL_CONFIG = "config.json"
MODEL_METRICS = "metrics.json"
STATE_TENSORS = "state.safetensors"
STATE_JSON = "state.json"


def _encode(obj: Any, tensors: dict[str, torch.Tensor]) -> Any:
    """Replace tensors/arrays with references; keep tuples and non-string keys recoverable."""
    if isinstance(obj, torch.Tensor):
        key = f"t{len(tensors)}"
        tensors[key] = obj.detach().cpu().contiguous()
        return {"__tensor__": key}
    if isinstance(obj, np.ndarray):
        key = f"t{len(tensors)}"
        tensors[key] = torch.from_numpy(np.ascontiguousarray(obj))
        return {"__ndarray__": key}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, tuple):
        return {"__tuple__": [_encode(v, tensors) for v in obj]}
    if isinstance(obj, list):
        return [_encode(v, tensors) for v in obj]
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in obj):
            return {k: _encode(v, tensors) for k, v in obj.items()}
        return {"__items__": [[_encode(k, tensors), _encode(v, tensors)] for k, v in obj.items()]}
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    raise TypeError(f"cannot store a {type(obj).__name__} in a training state")


def _decode(obj: Any, tensors: dict[str, torch.Tensor]) -> Any:
    if isinstance(obj, list):
        return [_decode(v, tensors) for v in obj]
    if isinstance(obj, dict):
        if "__tensor__" in obj:
            return tensors[obj["__tensor__"]]
        if "__ndarray__" in obj:
            return tensors[obj["__ndarray__"]].numpy()
        if "__tuple__" in obj:
            return tuple(_decode(v, tensors) for v in obj["__tuple__"])
        if "__items__" in obj:
            return {_decode(k, tensors): _decode(v, tensors) for k, v in obj["__items__"]}
        return {k: _decode(v, tensors) for k, v in obj.items()}
    return obj


def save_state(directory: str | os.PathLike[str], state: dict[str, Any]) -> Path:
    """Write `state` atomically to `directory/` as state.safetensors + state.json."""
    tensors: dict[str, torch.Tensor] = {}
    skeleton = _encode(state, tensors)
    with atomic_path(directory) as staged:
        staged.mkdir()
        save_file(tensors, str(staged / STATE_TENSORS))
        (staged / STATE_JSON).write_text(json.dumps(skeleton))
    return Path(directory)


def load_state(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a state written by `save_state` (no pickle involved)."""
    directory = Path(directory)
    for name in (STATE_TENSORS, STATE_JSON):
        if not (directory / name).is_file():
            raise InputError(directory / name, "training checkpoint is incomplete (file missing)")
    # Tensors read from a safetensors file sit at arbitrary offsets of its buffer (e.g. 24 bytes past a
    # 64-byte boundary), and BLAS kernels round differently on unaligned memory: without this copy into
    # freshly allocated (aligned) storage, a resumed run can drift from an uninterrupted one in the last bits.
    tensors = {name: tensor.clone() for name, tensor in load_file(str(directory / STATE_TENSORS)).items()}
    return _decode(json.loads((directory / STATE_JSON).read_text()), tensors)


def save_model_dir(
    directory: str | os.PathLike[str],
    model: torch.nn.Module,
    config: dict[str, Any],
    metrics: dict[str, Any] | None = None,
) -> Path:
    """Save a model as `directory/{model.safetensors, config.json[, metrics.json]}`, atomically.

    `config` must hold everything the domain's `load_model` needs to rebuild the architecture.
    """
    with atomic_path(directory) as staged:
        staged.mkdir()
        save_model(model, str(staged / MODEL_WEIGHTS))
        (staged / MODEL_CONFIG).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        if metrics is not None:
            (staged / MODEL_METRICS).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    return Path(directory)


def read_model_config(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The `config.json` of a saved model directory, with a clear error when it is not one."""
    path = Path(directory) / MODEL_CONFIG
    if not path.is_file():
        raise InputError(directory, f"not a saved sciml model directory ({MODEL_CONFIG} missing)")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc}") from None


def load_weights(
    model: torch.nn.Module, directory: str | os.PathLike[str], device: str | torch.device = "cpu"
) -> torch.nn.Module:
    """Load `directory/model.safetensors` into `model` (strict) and move it to `device`."""
    path = Path(directory) / MODEL_WEIGHTS
    if not path.is_file():
        raise InputError(directory, f"not a saved sciml model directory ({MODEL_WEIGHTS} missing)")
    try:
        missing, unexpected = load_model(model, str(path), strict=False, device=str(device))
    except RuntimeError as exc:  # shape mismatches surface here
        raise InputError(path, f"weights do not fit the model: {exc}") from None
    if missing or unexpected:
        raise InputError(path, f"weights do not fit the model: missing {missing}, unexpected {unexpected}")
    return model.to(device)
