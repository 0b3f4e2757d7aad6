"""The PWM-scan oracle of a planted-motif set: the honest per-task ceiling for any model.

A sequence's oracle score for a TF is the best log-odds score of the TF's true PWM (the one the
generator sampled from) over every position and both strands, against the uniform background
the generator used. Its AUROC against the labels bounds what a motif detector can reach when it
knows the exact PWM but not where (or whether) an instance was planted.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.metrics import roc_auc_score


def log_odds(ppm: np.ndarray, background: float = 0.25) -> np.ndarray:
    """Log2-odds matrix `(4, W)` of a probability matrix `ppm (4, W)` against a uniform background."""
    return np.log2(np.clip(ppm, 1e-6, 1.0) / background)


@torch.no_grad()
def max_pwm_scores(X: np.ndarray, ppm: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """Best log-odds score of `ppm (4, W)` over all positions and both strands of `X (N, 4, L)` -> (N,).

    The reverse strand is scanned with the reverse-complement matrix (flip bases and columns).
    """
    lo = log_odds(ppm)
    weight = torch.as_tensor(np.stack([lo, lo[::-1, ::-1]]).copy(), dtype=torch.float32)  # (2, 4, W)
    X_t = torch.as_tensor(X, dtype=torch.float32)
    out = [torch.nn.functional.conv1d(X_t[s:s + batch_size], weight).amax(dim=(1, 2))
           for s in range(0, len(X_t), batch_size)]
    return torch.cat(out).numpy() if out else np.zeros(0, dtype=np.float32)


def oracle_auroc(X: np.ndarray, y: np.ndarray, ppms: list[np.ndarray]) -> np.ndarray:
    """Per-task AUROC `(T,)` of the PWM-scan oracle on `X (N, 4, L)` with labels `y (N, T)`.

    NaN for a task whose labels hold a single class.
    """
    scores = []
    for t, ppm in enumerate(ppms):
        labels = y[:, t]
        if len(np.unique(labels)) < 2:
            scores.append(float("nan"))
            continue
        scores.append(float(roc_auc_score(labels, max_pwm_scores(X, ppm))))
    return np.array(scores)
