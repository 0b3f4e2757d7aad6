"""TAD boundaries from insulation scores (Crane et al. 2015) and boundary F1 against a truth set."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.signal import find_peaks


def insulation_score(matrix: np.ndarray, window: int, valid: np.ndarray | None = None) -> np.ndarray:
    """log2 insulation score per bin boundary, shape (N,); NaN where undefined.

    Score of bin i = mean of the (window x window) square M[i-window:i, i:i+window] just off the
    diagonal (contacts crossing the boundary before bin i), over its mean across bins.
    """
    n = matrix.shape[0]
    m = matrix.astype(np.float64)
    ok = np.ones(n, dtype=bool) if valid is None else valid.astype(bool)
    m = m * np.outer(ok, ok)
    # Summed-area table gives every square sum in O(1).
    sat = np.zeros((n + 1, n + 1))
    sat[1:, 1:] = m.cumsum(0).cumsum(1)
    cnt = np.zeros((n + 1, n + 1))
    cnt[1:, 1:] = np.outer(ok, ok).astype(float).cumsum(0).cumsum(1)
    raw = np.full(n, np.nan)
    for i in range(window, n - window + 1):
        r0, r1, c0, c1 = i - window, i, i, i + window
        total = sat[r1, c1] - sat[r0, c1] - sat[r1, c0] + sat[r0, c0]
        count = cnt[r1, c1] - cnt[r0, c1] - cnt[r1, c0] + cnt[r0, c0]
        if count >= 0.5 * window * window:
            raw[i] = total / count
    finite = np.isfinite(raw) & (raw > 0)
    score = np.full(n, np.nan)
    if finite.any():
        score[finite] = np.log2(raw[finite] / np.mean(raw[finite]))
    return score


def call_boundaries(score: np.ndarray, prominence: float = 0.2, min_separation: int = 3) -> np.ndarray:
    """Bins where the insulation score has a local minimum with at least `prominence` (log2 units)."""
    filled = np.where(np.isfinite(score), score, np.nanmax(score) if np.isfinite(score).any() else 0.0)
    peaks, _ = find_peaks(-filled, prominence=prominence, distance=min_separation)
    return peaks[np.isfinite(score[peaks])]


def boundary_f1(called: np.ndarray, truth: np.ndarray, tolerance: int = 1) -> dict[str, float]:
    """Precision, recall and F1 of called boundaries against true ones, matched within +-`tolerance` bins.

    Each true boundary can be matched by at most one call (greedy by distance).
    """
    called, truth = np.sort(np.asarray(called)), np.sort(np.asarray(truth))
    used = np.zeros(truth.size, dtype=bool)
    hits = 0
    for c in called:
        gaps = np.abs(truth - c)
        gaps = np.where(used, np.iinfo(np.int64).max, gaps)
        if gaps.size and gaps.min() <= tolerance:
            used[int(np.argmin(gaps))] = True
            hits += 1
    precision = hits / called.size if called.size else 0.0
    recall = hits / truth.size if truth.size else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def tune_boundary_calling(
    maps: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], windows: Sequence[int],
    prominences: Sequence[float], tolerance: int = 1,
) -> tuple[int, float, float]:
    """Insulation window and prominence with the best mean boundary F1 over (map, valid, truth) triples.

    Meant for validation maps only (never test). Ties go to the first setting in grid order.
    Returns (window, prominence, mean F1).
    """
    best = (int(windows[0]), float(prominences[0]), -1.0)
    for window in windows:
        scores = [insulation_score(m, int(window), v) for m, v, _ in maps]
        for prominence in prominences:
            f1 = float(np.mean([boundary_f1(call_boundaries(s, float(prominence)), truth, tolerance)["f1"]
                                for s, (_, _, truth) in zip(scores, maps, strict=True)]))
            if f1 > best[2]:
                best = (int(window), float(prominence), f1)
    return best
