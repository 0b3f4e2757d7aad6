"""R-peak detection (Pan & Tompkins 1985 style, with search-back) and its evaluation against annotations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal as sps


def _integrated_energy(x: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """QRS band (5-15 Hz) signal and its centred moving-window integral of the squared slope."""
    sos = sps.butter(2, [5.0, min(15.0, 0.45 * fs)], btype="bandpass", fs=fs, output="sos")
    band = sps.sosfiltfilt(sos, x.astype(np.float64))
    slope = np.gradient(band) * fs
    width = max(int(round(0.15 * fs)), 1)
    energy = np.convolve(slope**2, np.ones(width) / width, mode="same")
    return band, energy


def merge_close_peaks(peaks: np.ndarray, amplitude: np.ndarray, fs: float, *, refractory_s: float = 0.2,
                      close_s: float = 0.36, weak_ratio: float = 0.7) -> np.ndarray:
    """Drop the weaker of two detections closer than `refractory_s`, or closer than `close_s` when
    its amplitude is under `weak_ratio` times the other's (a P or T wave beside its QRS).

    Shapes: peaks (B,) increasing positions, amplitude (B,) QRS-band amplitude at each -> kept peaks.
    """
    kept: list[int] = []
    for k in range(len(peaks)):
        if kept:
            gap = (peaks[k] - peaks[kept[-1]]) / fs
            weak, strong = sorted((kept[-1], k), key=lambda i: amplitude[i])
            if gap < refractory_s or (gap < close_s and amplitude[weak] < weak_ratio * amplitude[strong]):
                kept[-1] = strong
                continue
        kept.append(k)
    return peaks[kept]


def detect_r_peaks(x: np.ndarray, fs: float, *, refractory_s: float = 0.2, t_wave_s: float = 0.36,
                   t_wave_slope_ratio: float = 0.7, max_level_step: float = 3.0) -> np.ndarray:
    """R-peak positions of a single-lead ECG.

    Pan–Tompkins decision rules on the integrated slope energy: adaptive signal/noise peak levels,
    a 200 ms refractory period in which the larger energy peak replaces the beat just detected (two
    QRS complexes cannot be that close, so the first was a tall P wave or the QRS onset), T-wave
    rejection (a candidate within 360 ms of the last beat whose slope is under `t_wave_slope_ratio`
    times that beat's slope; the paper uses 0.5), and search-back with half the threshold when
    no beat came for 1.66 mean RR intervals (and a halved signal level when even that finds
    nothing for 2 s). A detected peak moves the signal level as if it were at most `max_level_step`
    times the current level, so one artefact cannot raise the threshold above the following QRS
    complexes. Each detection is then moved to the largest absolute deflection of the QRS-band signal
    within 80 ms, and `merge_close_peaks` removes double detections of one QRS and P/T waves next to a
    much larger QRS. Written here because wfdb only offers xqrs/gqrs.

    Args:
        x: (T,) filtered ECG.
        fs: sampling rate in Hz.
        refractory_s: refractory period and T-wave window in s.
        t_wave_s: refractory period and T-wave window in s.
        t_wave_slope_ratio: slope ratio under which a candidate in the T-wave window is a T wave.
        max_level_step: largest ratio of a peak to the current signal level used to update that level.

    Returns:
        (B,) int64 increasing sample positions.
    """
    band, energy = _integrated_energy(x, fs)
    refractory = int(refractory_s * fs)
    candidates, _ = sps.find_peaks(energy, distance=max(int(0.1 * fs), 1))
    if candidates.size == 0:
        return np.zeros(0, dtype=np.int64)
    slope = np.abs(np.gradient(band))
    half = max(int(0.04 * fs), 1)
    peak_slope = np.array([slope[max(c - half, 0):c + half + 1].max() for c in candidates])
    head = energy[: int(2 * fs)]
    spk, npk = float(head.max()) / 3.0, float(head.mean()) / 2.0
    beats: list[int] = []
    beat_slopes: list[float] = []
    beat_heights: list[float] = []
    rr_recent: list[float] = []
    last_noise_idx: list[int] = []
    decayed = False

    def signal_level(level: float, height: float, weight: float) -> float:
        return weight * min(height, max_level_step * level) + (1.0 - weight) * level

    for i, (c, height) in enumerate(zip(candidates, energy[candidates], strict=True)):
        threshold = npk + 0.25 * (spk - npk)
        if beats and c - beats[-1] < refractory:
            if height > beat_heights[-1]:
                # two QRS complexes cannot be this close: the larger energy peak is the QRS
                if len(beats) > 1:
                    rr_recent[-1] = c - beats[-2]
                beats[-1], beat_slopes[-1], beat_heights[-1] = int(c), float(peak_slope[i]), float(height)
            continue
        mean_rr = np.mean(rr_recent[-8:]) if rr_recent else None
        if beats and mean_rr is not None and c - beats[-1] > 1.66 * mean_rr:
            # search back: the strongest skipped candidate above half the threshold
            gap = [j for j in last_noise_idx if candidates[j] - beats[-1] >= refractory
                   and c - candidates[j] >= refractory and energy[candidates[j]] > threshold / 2]
            if gap:
                j = max(gap, key=lambda k: energy[candidates[k]])
                rr_recent.append(candidates[j] - beats[-1])
                beats.append(int(candidates[j]))
                beat_slopes.append(float(peak_slope[j]))
                beat_heights.append(float(energy[candidates[j]]))
                spk = signal_level(spk, float(energy[candidates[j]]), 0.25)
            elif c - beats[-1] > 2.0 * fs and not decayed:
                # nothing even at half the threshold for 2 s: let the signal level decay so the
                # detector regains the beats
                spk, decayed = 0.5 * spk, True
            last_noise_idx = []
        if height > threshold:
            if (beats and c - beats[-1] < t_wave_s * fs
                    and peak_slope[i] < t_wave_slope_ratio * beat_slopes[-1]):
                npk = 0.125 * height + 0.875 * npk
                last_noise_idx.append(i)
                continue
            if beats:
                rr_recent.append(c - beats[-1])
            beats.append(int(c))
            beat_slopes.append(float(peak_slope[i]))
            beat_heights.append(float(height))
            spk = signal_level(spk, float(height), 0.125)
            last_noise_idx, decayed = [], False
        else:
            npk = 0.125 * height + 0.875 * npk
            last_noise_idx.append(i)
    reach = max(int(0.08 * fs), 1)
    located = []
    for b in beats:
        lo, hi = max(b - reach, 0), min(b + reach + 1, len(band))
        located.append(lo + int(np.argmax(np.abs(band[lo:hi]))))
    peaks = np.unique(np.asarray(located, dtype=np.int64))
    return merge_close_peaks(peaks, np.abs(band[peaks]), fs, refractory_s=refractory_s, close_s=t_wave_s)


def xqrs_r_peaks(x: np.ndarray, fs: float) -> np.ndarray:
    """R peaks by wfdb's XQRS detector (the reference detector the issue compares against)."""
    from wfdb.processing import xqrs_detect

    return np.asarray(xqrs_detect(sig=x.astype(np.float64), fs=fs, verbose=False), dtype=np.int64)


@dataclass
class DetectionScore:
    """Beat-by-beat detector score against reference annotations (EC57 style)."""

    tp: int
    fn: int
    fp: int

    @property
    def sensitivity(self) -> float:
        return self.tp / max(self.tp + self.fn, 1)

    @property
    def ppv(self) -> float:
        return self.tp / max(self.tp + self.fp, 1)


def score_detections(reference: np.ndarray, detected: np.ndarray, fs: float, window_s: float = 0.15) -> DetectionScore:
    """Match detections to reference beats one-to-one within `window_s` (default 150 ms).

    Uses `wfdb.processing.compare_annotations` (greedy nearest matching).
    """
    from wfdb.processing import compare_annotations

    if len(reference) == 0 or len(detected) == 0:
        return DetectionScore(0, len(reference), len(detected))
    comparison = compare_annotations(np.asarray(reference), np.asarray(detected), int(round(window_s * fs)))
    comparison.compare()
    return DetectionScore(int(comparison.tp), int(comparison.fn), int(comparison.fp))


def flutter_intervals(path: str, extension: str = "atr") -> np.ndarray:
    """(M, 2) [start, end) sample intervals (at the record's own rate) of ventricular flutter or fibrillation
    in the annotation file `path.extension`: from a `(VFL` rhythm annotation or a `[` (flutter onset) to
    the next rhythm change or `]`. AAMI EC57 excludes these stretches from QRS-detection scoring. Empty
    when the record has none."""
    import wfdb

    ann = wfdb.rdann(str(path), extension)
    intervals, start = [], None
    for sample, symbol, aux in zip(ann.sample, ann.symbol, ann.aux_note, strict=True):
        aux = (aux or "").strip("\x00")
        entering = symbol == "[" or (symbol == "+" and aux.startswith("(VF"))
        leaving = symbol == "]" or (symbol == "+" and not aux.startswith("(VF"))
        if start is None and entering:
            start = int(sample)
        elif start is not None and leaving:
            intervals.append((start, int(sample)))
            start = None
    if start is not None:
        intervals.append((start, int(ann.sample[-1]) + 1))
    return np.asarray(intervals, dtype=np.int64).reshape(-1, 2)


def outside_intervals(positions: np.ndarray, intervals: np.ndarray) -> np.ndarray:
    """(N,) bool: positions (N,) outside every [start, end) row of `intervals` (M, 2)."""
    inside = np.zeros(len(positions), dtype=bool)
    for start, end in intervals:
        inside |= (positions >= start) & (positions < end)
    return ~inside
