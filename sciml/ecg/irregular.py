"""Training beats in synthetic irregularly irregular rhythms (atrial-fibrillation-like RR contexts).

A classifier trained only on regular rhythms has never seen a normal beat whose pre-RR is short because
the whole rhythm is irregular, so it calls such beats premature (S). These copies of training N beats
carry the RR features of a beat inside an irregular RR sequence and keep the label N; the rhythm-context
features (`beats.rhythm_context`) are what lets the network tell them from a premature beat in a regular
rhythm.
"""

from __future__ import annotations

import numpy as np

from sciml.ecg.aami import CLASSES
from sciml.ecg.beats import CONTEXT_HALF_WIDTH, RR_FEATURES, BeatSet, own_beat_mask, rr_features, window_times

_N = CLASSES.index("N")
_PRE, _POST, _LOCAL, _AVG, _LOCAL_REL, _PRE_AVG, _POST_AVG = (RR_FEATURES.index(k) for k in (
    "pre_rr_s", "post_rr_s", "local_rr_s", "avg_rr_s", "local_rr_rel", "pre_rr_avg", "post_rr_avg"))


def irregular_rr_features(
    n: int,
    rng: np.random.Generator,
    *,
    mean_rr_s: tuple[float, float] = (0.4, 1.0),
    cv: tuple[float, float] = (0.1, 0.3),
    min_rr_s: float = 0.25,
    local_beats: int = 10,
) -> np.ndarray:
    """RR features (n, len(RR_FEATURES)) of the middle beat of `n` synthetic irregular RR sequences.

    Each sequence has independent gamma-distributed RR intervals (the ventricular response in atrial
    fibrillation is close to a renewal process with a coefficient of variation of about 0.1-0.3) with a
    mean drawn uniformly from `mean_rr_s` and a coefficient of variation from `cv`, floored at `min_rr_s`
    (refractory period). The record-average RR column is that sequence's mean; callers replace it (and the
    columns relative to it).
    """
    side = CONTEXT_HALF_WIDTH + local_beats + 1
    rows = np.empty((n, len(RR_FEATURES)), dtype=np.float32)
    for k in range(n):
        mean, variation = rng.uniform(*mean_rr_s), rng.uniform(*cv)
        shape = 1.0 / variation**2
        rr = np.maximum(rng.gamma(shape, mean / shape, size=2 * side), min_rr_s)
        rows[k] = rr_features(np.concatenate([[0.0], np.cumsum(rr)]), 1.0, local_beats=local_beats)[side]
    return rows


def add_irregular_context(
    beats: BeatSet, fraction: float, seed: int, *, neighbour_margin_s: float = 0.15,
) -> BeatSet:
    """`beats` plus copies of `fraction` * (number of N beats) of its N beats in irregular RR contexts.

    Each copy keeps its waveform and label N, takes the RR features of `irregular_rr_features` with its own
    record-average RR (the columns relative to it recomputed), and has the samples within `neighbour_margin_s` of its new neighbouring R peaks
    zeroed as `extract_beats` does. Deterministic for a given `seed`. Shapes as in `BeatSet`.
    """
    if fraction <= 0:
        return beats
    rng = np.random.default_rng(seed)
    normal = np.flatnonzero(beats.label == _N)
    if len(normal) == 0:
        return beats
    picked = np.sort(rng.choice(normal, size=min(len(normal), int(round(fraction * len(normal)))), replace=False))
    copies = beats.subset(picked)
    rr = irregular_rr_features(len(picked), rng)
    rr[:, _AVG] = copies.rr[:, _AVG]
    rr[:, _LOCAL_REL] = rr[:, _LOCAL] / rr[:, _AVG]
    rr[:, _PRE_AVG] = rr[:, _PRE] / rr[:, _AVG]
    rr[:, _POST_AVG] = rr[:, _POST] / rr[:, _AVG]
    own_beat = own_beat_mask(window_times(beats), rr[:, 0], rr[:, 1], neighbour_margin_s)
    copies.waves = (copies.waves * own_beat[:, None, :]).astype(np.float32)
    copies.rr = rr
    return BeatSet.concatenate([beats, copies])
