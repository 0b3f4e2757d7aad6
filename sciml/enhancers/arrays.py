"""Named numpy arrays in safetensors files: the pickle-free storage of the numpy models (k-mer, gkm)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from sciml.errors import InputError
from sciml.files import atomic_path


def save_arrays(directory: str | os.PathLike[str], filename: str, arrays: dict[str, np.ndarray]) -> None:
    """Write named numpy arrays to `directory/filename` in safetensors format, atomically (no pickle)."""
    from safetensors.numpy import save_file

    with atomic_path(Path(directory) / filename) as staged:
        save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(staged))


def load_arrays(directory: str | os.PathLike[str], filename: str, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Read `directory/filename` (safetensors); an `InputError` naming the file if unreadable or a key is missing."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    path = Path(directory) / filename
    try:
        arrays = load_file(str(path))
    except (OSError, ValueError, SafetensorError) as exc:
        raise InputError(path, f"not a model weights file: {exc}") from None
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise InputError(path, f"arrays {missing} missing")
    return arrays
