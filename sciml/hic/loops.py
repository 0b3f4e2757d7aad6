"""Loop calling by local (donut) enrichment on observed/expected maps, and recall/precision scoring."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import convolve, gaussian_filter, maximum_filter


def observed_over_expected(matrix: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """Divide each diagonal by its mean over valid pixels, shape (N, N); masked pixels are 0."""
    n = matrix.shape[0]
    ok = np.ones(n, dtype=bool) if valid is None else valid.astype(bool)
    out = np.zeros_like(matrix, dtype=np.float64)
    rows = np.arange(n)
    for d in range(n):
        i = rows[: n - d]
        keep = ok[i] & ok[i + d]
        values = matrix[i, i + d]
        mean = values[keep].mean() if keep.any() else 0.0
        if mean > 0:
            oe = np.where(keep, values / mean, 0.0)
            out[i, i + d] = oe
            out[i + d, i] = oe
    return out


def donut_kernel(inner: int = 1, outer: int = 4) -> np.ndarray:
    """Normalised ring kernel: ones in the (2*outer+1)^2 square minus the (2*inner+1)^2 centre."""
    size = 2 * outer + 1
    kernel = np.ones((size, size))
    kernel[outer - inner: outer + inner + 1, outer - inner: outer + inner + 1] = 0
    return kernel / kernel.sum()


def call_loops(
    matrix: np.ndarray, valid: np.ndarray | None = None, min_distance: int = 5, max_distance: int = 200,
    enrichment: float = 1.5, inner: int = 1, outer: int = 4, sigma: float = 1.0,
) -> np.ndarray:
    """Loop pixels (i < j): local maxima of O/E whose value exceeds `enrichment` x their donut mean.

    O/E is first smoothed with a Gaussian of `sigma` bins (0 = none) so single noisy pixels do not
    count as dots. Returns (K, 2) int array of bin pairs.
    """
    oe = observed_over_expected(matrix, valid)
    if sigma > 0:
        oe = gaussian_filter(oe, sigma, mode="constant")
    background = convolve(oe, donut_kernel(inner, outer), mode="constant")
    peak = (oe == maximum_filter(oe, size=2 * inner + 3)) & (oe > enrichment * np.maximum(background, 1e-12))
    i, j = np.nonzero(np.triu(peak, k=min_distance))
    keep = (j - i) <= max_distance
    if valid is not None:
        keep &= valid[i] & valid[j]
    return np.stack([i[keep], j[keep]], axis=1).astype(np.int64).reshape(-1, 2)


def loop_recall_precision(called: np.ndarray, truth: np.ndarray, tolerance: int = 2) -> dict[str, float]:
    """Recall (planted loops with a call within +-tolerance bins in both coordinates) and precision."""
    called, truth = np.asarray(called).reshape(-1, 2), np.asarray(truth).reshape(-1, 2)
    if called.size and truth.size:
        close = np.max(np.abs(truth[:, None, :] - called[None, :, :]), axis=2) <= tolerance
        recall = float(close.any(axis=1).mean())
        precision = float(close.any(axis=0).mean())
    else:
        recall = 0.0 if truth.size else float("nan")
        precision = 0.0 if called.size else float("nan")
    return {"recall": recall, "precision": precision}
