"""Probability calibration: temperature scaling (Guo et al. 2017) and expected calibration error."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def fit_temperature(logits: np.ndarray, labels: np.ndarray, max_iter: int = 200) -> float:
    """Temperature T > 0 minimising the NLL of softmax(logits / T) on held-out data.

    Optimised over log T with L-BFGS (deterministic). Shapes: logits (N, K), labels (N,) int.
    """
    z = torch.as_tensor(logits, dtype=torch.float64)
    y = torch.as_tensor(labels, dtype=torch.long)
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.5, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(z / log_t.exp(), y)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp())


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of logits (N, K) / temperature, in float64."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def reliability_bins(probs: np.ndarray, labels: np.ndarray, n_bins: int = 15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-label reliability: per equal-width confidence bin, (mean confidence, accuracy, count).

    Shapes: probs (N, K), labels (N,) -> three (n_bins,) arrays (NaN for empty bins).
    """
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(bins, confidence, minlength=n_bins) / count
        accuracy = np.bincount(bins, correct, minlength=n_bins) / count
    return mean_conf, accuracy, count


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, n_bins: int = 15) -> float:
    """Top-label ECE: count-weighted mean |accuracy - confidence| over equal-width bins."""
    mean_conf, accuracy, count = reliability_bins(probs, labels, n_bins)
    filled = count > 0
    return float(np.sum(count[filled] * np.abs(accuracy[filled] - mean_conf[filled])) / count.sum())
