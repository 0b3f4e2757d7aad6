"""TAD boundaries from insulation scores (Crane et al. 2015) and boundary F1 against a truth set."""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy.signal import find_peaks

# fewest bins between two called boundaries (scipy's `distance`)
MIN_SEPARATION = 3


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


def _candidates(
    score: np.ndarray, min_separation: int, prominence_window: int, valid: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Local minima of the insulation score (N,) before any strength or mask threshold.

    Returns (bins (K,), prominences (K,), distance to the nearest masked bin (K,), inf without masked
    bins). scipy's `find_peaks` applies `distance` before `prominence`, so keeping the candidates with
    prominence >= p is exactly `find_peaks(..., prominence=p)`: the tuning grid reuses one search per
    (score, prominence window) for every prominence and mask distance.
    """
    filled = np.where(np.isfinite(score), score, np.nanmax(score) if np.isfinite(score).any() else 0.0)
    with warnings.catch_warnings():
        # minima at the edge of a prominence window can have prominence 0; they are simply not called
        warnings.filterwarnings("ignore", message="some peaks have a prominence of 0")
        peaks, properties = find_peaks(-filled, prominence=0.0, distance=min_separation,
                                       wlen=prominence_window if prominence_window > 0 else None)
    finite = np.isfinite(score[peaks])
    peaks, prominences = peaks[finite], properties["prominences"][finite]
    masked = np.flatnonzero(~valid.astype(bool)) if valid is not None else np.empty(0, dtype=np.int64)
    if masked.size and peaks.size:
        to_mask = np.abs(peaks[:, None] - masked[None, :]).min(axis=1).astype(np.float64)
    else:
        to_mask = np.full(peaks.shape, np.inf)
    return peaks, prominences, to_mask


def call_boundaries(
    score: np.ndarray, prominence: float = 0.2, min_separation: int = MIN_SEPARATION, prominence_window: int = 0,
    valid: np.ndarray | None = None, mask_distance: int = 0,
) -> np.ndarray:
    """Bins where the insulation score has a local minimum with at least `prominence` (log2 units).

    Args:
        score: the log2 insulation score (`insulation_score`).
        prominence: minimum prominence of a minimum.
        min_separation: minimum distance (bins) between calls.
        prominence_window: if > 0, the prominence (boundary strength) is measured within that many
            bins centred on the minimum (scipy's `wlen`), i.e. against the local insulation level
            only; 0 = against the whole chromosome. A local reference keeps nested sub-TAD
            boundaries, whose dip is shallow relative to the surrounding TAD's boundaries, from
            being judged against distant maxima.
        valid: usable bins (needed by `mask_distance`).
        mask_distance: if > 0, calls within that many bins of a masked bin are dropped: the score
            next to a masked bin is computed from a partial square.

    Shapes:
        score: (N,); valid: (N,) bool; returns (B,) bin indices.
    """
    peaks, prominences, to_mask = _candidates(score, min_separation, prominence_window, valid)
    return peaks[_kept(prominences, to_mask, prominence, mask_distance)]


def _kept(prominences: np.ndarray, to_mask: np.ndarray, prominence: float, mask_distance: int) -> np.ndarray:
    """Which candidates (K,) pass the strength threshold and, if mask_distance > 0, the mask distance."""
    return (prominences >= prominence) & ((mask_distance <= 0) | (to_mask > mask_distance))


def boundary_f1(called: np.ndarray, truth: np.ndarray, tolerance: int = 1) -> dict[str, float]:
    """Precision, recall and F1 of called boundaries against true ones, matched within +-`tolerance` bins.

    Each true boundary can be matched by at most one call (greedy by distance).
    """
    # plain Python over sorted lists: the tuning grid calls this ~10^4 times per method and depth, and
    # per-call numpy overhead dominated for these few dozen boundaries
    calls, true = sorted(int(c) for c in np.asarray(called)), sorted(int(t) for t in np.asarray(truth))
    used = [False] * len(true)
    hits = 0
    for c in calls:
        lo, hi = bisect_left(true, c - tolerance), bisect_right(true, c + tolerance)
        free = [k for k in range(lo, hi) if not used[k]]
        if free:
            used[min(free, key=lambda k: abs(true[k] - c))] = True  # nearest; ties to the first
            hits += 1
    precision = hits / len(calls) if calls else 0.0
    recall = hits / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


class TadCalling(NamedTuple):
    """A TAD boundary calling setting (see `call_boundaries`), with its validation F1 once tuned.

    Attributes:
        window: insulation window (bins).
        prominence: minimum prominence of an insulation minimum.
        prominence_window: prominence measured within this many bins (0 = the whole chromosome).
        mask_distance: drop calls this close to masked bins (0 = keep them).
        f1_val: mean boundary F1 on the validation maps it was tuned on (NaN when not tuned).
    """

    window: int
    prominence: float
    prominence_window: int = 0
    mask_distance: int = 0
    f1_val: float = float("nan")


def tune_boundary_calling(
    maps: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], windows: Sequence[int],
    prominences: Sequence[float], prominence_windows: Sequence[int] = (0,), mask_distances: Sequence[int] = (0,),
    tolerance: int = 1,
) -> TadCalling:
    """The boundary calling setting with the best mean boundary F1 over (map, valid, truth boundaries) triples.

    Meant for validation maps only (never test). Ties go to the first setting in grid order.

    Args:
        maps: (map, valid bins, truth boundaries) per chromosome.
        windows: insulation windows searched.
        prominences: prominences searched.
        prominence_windows: prominence windows searched.
        mask_distances: mask distances searched.
        tolerance: boundary match tolerance (bins).

    Returns:
        The best setting; its `f1_val` is the mean F1.

    Shapes:
        maps: each map (N, N), valid (N,) bool, boundaries (B,) bin indices.
    """
    best = (int(windows[0]), float(prominences[0]), int(prominence_windows[0]), int(mask_distances[0]), -1.0)
    for window in windows:
        scores = [insulation_score(m, int(window), v) for m, v, _ in maps]
        for prominence_window in prominence_windows:
            candidates = [_candidates(s, MIN_SEPARATION, int(prominence_window), valid)
                          for s, (_, valid, _) in zip(scores, maps, strict=True)]
            for mask_distance in mask_distances:
                for prominence in prominences:
                    f1 = float(np.mean([
                        boundary_f1(peaks[_kept(strength, to_mask, prominence, mask_distance)], truth, tolerance)["f1"]
                        for (peaks, strength, to_mask), (_, _, truth) in zip(candidates, maps, strict=True)]))
                    if f1 > best[4]:
                        best = (int(window), float(prominence), int(prominence_window), int(mask_distance), f1)
    return TadCalling(*best)
