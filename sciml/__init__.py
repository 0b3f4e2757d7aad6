"""sciml: scientific machine-learning pipelines for genomics, physics and biosignals."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

try:
    __version__ = version("sciml")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"


def load_model(directory: str | os.PathLike[str], device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load any sciml model folder (`model.safetensors` + `config.json`); see `sciml.models.load_model`."""
    from sciml.models import load_model as _load

    return _load(directory, device)


__all__ = ["__version__", "load_model"]
