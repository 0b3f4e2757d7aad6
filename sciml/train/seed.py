"""Global seeding for reproducible runs."""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def seed_everything(seed: int, deterministic: bool = True) -> None:
    """Seed python, numpy and torch (CPU and CUDA) and, by default, force deterministic kernels.

    With `deterministic=True` on a machine with CUDA, `torch.use_deterministic_algorithms(True,
    warn_only=True)` is set, cuDNN autotuning is off, and `CUBLAS_WORKSPACE_CONFIG` is set so CUDA
    matmuls are repeatable. CPU kernels are deterministic already, and the switch costs ~3 s of
    imports (torch._inductor) per process, so it is skipped where there is no CUDA.
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if deterministic and torch.cuda.is_available():
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
