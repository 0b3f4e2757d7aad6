"""Global seeding for reproducible runs."""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def seed_everything(seed: int, deterministic: bool = True) -> None:
    """Seed python, numpy and torch (CPU and CUDA) and, by default, force deterministic kernels.

    With `deterministic=True`, `torch.use_deterministic_algorithms(True, warn_only=True)` is set,
    cuDNN autotuning is off, and `CUBLAS_WORKSPACE_CONFIG` is set so CUDA matmuls are repeatable.
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
