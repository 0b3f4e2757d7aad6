"""Training copies of supraventricular premature beats conducted with aberrancy (wide QRS, class S).

An aberrated atrial premature beat (MIT-BIH symbol `a`, AAMI class S) reaches the ventricles while part of
the conduction system is still refractory, so its QRS is wide like a ventricular beat's; what stays
supraventricular is the premature P wave before it and the RR pattern of an atrial premature beat (the
sinus node is reset, so there is usually no full compensatory pause). A training set with almost no such
beats teaches "wide QRS = V". These copies of the training S beats keep the P-wave region and the RR
features of each beat and widen its QRS-T complex around the R peak by slowing it down in time (slowed
ventricular conduction), label S.
"""

from __future__ import annotations

import numpy as np

from sciml.ecg.aami import CLASSES
from sciml.ecg.beats import BeatSet, own_beat_mask, window_times

_S = CLASSES.index("S")


def widen_qrs(waves: np.ndarray, factor: np.ndarray, r_index: int, onset: int) -> np.ndarray:
    """Slow each waveform down by its `factor` (>= 1) around the R peak, keeping the R peak in place.

    From the QRS onset (`onset` samples before the R peak, moved to `onset * factor` before it) on,
    sample r_index + d takes the value at r_index + d / factor; earlier samples (P wave, PR segment) are
    shifted earlier by `onset * (factor - 1)` samples (a slightly longer PR interval). Values come from
    linear interpolation, and the window's first sample where the source lies before it.

    Args:
        waves: (N, C, L) beat windows.
        factor: (N,) stretch factors.
        r_index: sample of the R peak in the window.
        onset: QRS onset, in samples before the R peak.

    Returns:
        (N, C, L) float32 widened windows.
    """
    length = waves.shape[2]
    d = np.arange(length, dtype=np.float64)[None, :] - r_index
    k = factor[:, None]
    source = r_index + np.where(d >= -onset * k, d / k, d + onset * (k - 1))
    source = np.clip(source, 0, length - 1)
    low = np.floor(source).astype(np.int64)
    high = np.minimum(low + 1, length - 1)
    frac = (source - low)[:, None, :]
    rows = np.arange(len(waves))[:, None, None]
    channels = np.arange(waves.shape[1])[None, :, None]
    out = waves[rows, channels, low[:, None, :]] * (1 - frac) + waves[rows, channels, high[:, None, :]] * frac
    return out.astype(np.float32)


def add_aberrant_copies(
    beats: BeatSet,
    copies: int,
    seed: int,
    *,
    widen: tuple[float, float] = (1.4, 2.2),
    onset_s: float = 0.04,
    neighbour_margin_s: float = 0.15,
) -> BeatSet:
    """`beats` plus `copies` aberrantly conducted copies of each of its S beats.

    Each copy keeps the beat's RR features, label S and its P wave, and has its QRS-T complex from `onset_s`
    before the R peak on widened around the R peak by a factor drawn uniformly from `widen` (`widen_qrs`, every lead alike;
    1.4-2.2 turns a QRS of 80 ms into one of 110-180 ms, the range of bundle-branch aberrancy); each lead's
    window-minus-local-median-beat channel is recomputed from its stretched window, and samples within
    `neighbour_margin_s` of the neighbouring R peaks are zeroed again as `extract_beats` does.
    Deterministic for a given `seed`. Shapes as in `BeatSet`.
    """
    premature = np.flatnonzero(beats.label == _S)
    if copies <= 0 or len(premature) == 0:
        return beats
    rng = np.random.default_rng(seed)
    picked = np.repeat(premature, copies)
    out = beats.subset(picked)
    before = round(float(beats.meta.get("before_s", 0.3)) * beats.fs)
    raw = out.waves[:, 0::2]  # each lead's window (channels 0 and, with a second lead, 2)
    median_beat = raw - out.waves[:, 1::2]
    stretched = widen_qrs(raw, rng.uniform(*widen, size=len(picked)), before, round(onset_s * beats.fs))
    own_beat = own_beat_mask(window_times(beats), out.rr[:, 0], out.rr[:, 1], neighbour_margin_s)
    channels = np.stack([stretched, stretched - median_beat], axis=2).reshape(out.waves.shape)
    out.waves = (channels * own_beat[:, None, :]).astype(np.float32)
    return BeatSet.concatenate([beats, out])
