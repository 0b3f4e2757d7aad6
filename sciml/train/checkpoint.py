"""Pickle-free training state: tensors in a safetensors file, the rest in a JSON skeleton that points at them.

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
from safetensors.torch import load_file, save_file

from sciml.errors import InputError
from sciml.files import atomic_path

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
