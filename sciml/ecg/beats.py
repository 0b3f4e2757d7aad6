"""Heartbeats: waveform windows around R peaks, RR-interval features, labelled beat sets (npz io)."""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from sciml.ecg.aami import class_index
from sciml.ecg.records import Record
from sciml.errors import InputError
from sciml.files import atomic_path

#: Names of the columns of `BeatSet.rr`: seconds, then pre- and post-RR divided by the local RR (prematurity
#: relative to the current rhythm, so a fast but regular or fibrillating rhythm does not look premature),
#: local RR divided by the record average, pre-RR / post-RR, the rhythm context of `rhythm_context`
#: (irregularity of the neighbouring RR intervals at lag 1 and 2, pre- and post-RR divided by their median,
#: and the compensatory-pause ratio (pre-RR + post-RR) / (2 x that median)), and pre- and post-RR divided by
#: the record average.
RR_FEATURES: tuple[str, ...] = (
    "pre_rr_s", "post_rr_s", "local_rr_s", "avg_rr_s", "pre_rr_local", "post_rr_local", "local_rr_rel",
    "pre_post_ratio", "context_irregularity_lag1", "context_irregularity_lag2", "pre_rr_context",
    "post_rr_context", "compensatory_pause", "pre_rr_avg", "post_rr_avg",
)
#: The RR features that are ratios to the patient's own rhythm (every column but the four in seconds): they
#: do not tell one patient's heart rate from another's, so a model reading only them cannot recognise a
#: training patient by the rate.
RECORD_NORMALISED_RR: tuple[str, ...] = tuple(name for name in RR_FEATURES if not name.endswith("_s"))
UNLABELLED = -1
#: Version of the beat inputs (window channels and RR features), raised whenever `extract_beats` or
#: `rr_features` change meaning. Every model folder declares the version it was trained on, and a model of
#: another version is refused instead of misread. Version 4: windows with the local median beat subtracted and
#: neighbouring QRS complexes masked; RR features relative to the local RR; rhythm context (irregularity of
#: the neighbouring RR intervals, post-RR over the context median, compensatory-pause ratio). Version 5: pre- and
#: post-RR over the record average.
FEATURE_VERSION = 5
#: RR intervals on each side of a beat that make its rhythm context (`rhythm_context`).
CONTEXT_HALF_WIDTH = 10


@dataclass
class BeatSet:
    """A set of heartbeats, possibly from many records.

    Attributes:
        waves: (N, C, L) float32: channel 0 the beat window scaled by the record's median R amplitude,
            channel 1 the same minus the local median beat (unlabelled per-record normalisation); with a
            second lead (`Preprocessing.second_leads`) channels 2 and 3 are the same of that lead (zeros
            for a record without one).
        rr: (N, len(RR_FEATURES)) float32 RR-interval features.
        label: (N,) int64 AAMI class index (see `aami.CLASSES`), -1 when unknown.
        sample: (N,) int64 R-peak position in its record (at the working rate `fs`).
        record: (N,) str record name of each beat.
        fs: working sampling rate in Hz.
        meta: how the beats were made (preprocessing settings), saved with them as JSON.
    """

    waves: np.ndarray
    rr: np.ndarray
    label: np.ndarray
    sample: np.ndarray
    record: np.ndarray
    fs: float
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.label)

    def subset(self, mask: np.ndarray) -> BeatSet:
        """The beats selected by a boolean mask or an index array."""
        return BeatSet(self.waves[mask], self.rr[mask], self.label[mask], self.sample[mask],
                       self.record[mask], self.fs, dict(self.meta))

    def of_records(self, names: list[str] | tuple[str, ...]) -> BeatSet:
        """The beats of the named records."""
        return self.subset(np.isin(self.record, list(names)))

    @property
    def time_s(self) -> np.ndarray:
        """(N,) time of each R peak in seconds from the start of its record."""
        return self.sample / self.fs

    @staticmethod
    def concatenate(parts: list[BeatSet]) -> BeatSet:
        """Stack beat sets recorded at the same rate."""
        if not parts:
            raise ValueError("nothing to concatenate")
        if len({p.fs for p in parts}) != 1:
            raise ValueError(f"beat sets at different rates: {sorted({p.fs for p in parts})}")
        arrays = (np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(BeatSet)[:5])
        return BeatSet(*arrays, fs=parts[0].fs, meta=dict(parts[0].meta))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write an uncompressed .npz atomically (no pickled objects)."""
        with atomic_path(path) as staged, open(staged, "wb") as handle:
            np.savez(handle, waves=self.waves, rr=self.rr, label=self.label, sample=self.sample,
                     record=self.record.astype(str), fs=np.float64(self.fs),
                     meta=np.array(json.dumps(self.meta, sort_keys=True)))
        return Path(path)

    @staticmethod
    def load(path: str | os.PathLike[str]) -> BeatSet:
        """Read a beat set written by `save`."""
        path = Path(path)
        if not path.is_file():
            raise InputError(path, "beat file is missing")
        try:
            with np.load(path, allow_pickle=False) as data:
                return BeatSet(data["waves"], data["rr"], data["label"], data["sample"], data["record"],
                               float(data["fs"]), json.loads(str(data["meta"])))
        except (KeyError, ValueError, OSError, json.JSONDecodeError) as exc:
            raise InputError(path, f"not a beat set written by sciml: {exc}") from None


def rhythm_context(rr: np.ndarray, half_width: int = CONTEXT_HALF_WIDTH) -> np.ndarray:
    """Irregularity of the rhythm around each beat, from the RR intervals near it but not its own.

    Beat i has the intervals rr[i-1] (pre) and rr[i] (post); its context is rr[i-1-half_width .. i+half_width]
    without those two, so a premature beat does not make its own context irregular. Medians keep an
    isolated ectopic neighbour (three large differences among ~20) from counting either: a regular rhythm
    with isolated premature beats has low values, an irregularly irregular one (atrial fibrillation,
    flutter with variable block) high values at lag 1 and lag 2, and a bigeminy (regularly irregular)
    a high lag-1 but a low lag-2 value. Relative to the same median: a ventricular premature beat
    leaves the sinus node undisturbed, so its pre- and post-RR add up to two context intervals (a full
    compensatory pause, ratio ~1); an atrial premature beat resets the sinus node, so they usually add up
    to less (ratio < 1).

    Args:
        rr: (N - 1,) RR intervals in seconds of N beats, N >= 2.
        half_width: context intervals on each side.

    Returns:
        (N, 5) float: median |rr[k] - rr[k-1]| and median |rr[k] - rr[k-2]| over pairs of context intervals,
        each divided by the median context interval, the beat's pre-RR and post-RR divided by that median, and
        (pre-RR + post-RR) / (2 x that median). Beats without such pairs (records of a few beats) get 0
        irregularity; beats without any context interval take the median of all intervals instead.
    """
    n = len(rr) + 1
    padded = np.concatenate([np.full(half_width + 1, np.nan), rr, np.full(half_width + 1, np.nan)])
    columns = np.arange(2 * half_width + 2)
    context = padded[np.arange(n)[:, None] + columns[None, :]]  # context[i, c] = rr[i - 1 - half_width + c]
    context[:, [half_width, half_width + 1]] = np.nan  # the beat's own pre- and post-RR
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (very short records) -> fallbacks below
        typical = np.nanmedian(context, axis=1)
        lag1 = np.nanmedian(np.abs(context[:, 1:] - context[:, :-1]), axis=1) / typical
        lag2 = np.nanmedian(np.abs(context[:, 2:] - context[:, :-2]), axis=1) / typical
    pre = np.concatenate([[rr[0]], rr])
    post = np.concatenate([rr, [rr[-1]]])
    typical = np.where(np.isfinite(typical), typical, np.median(rr))
    return np.stack([np.nan_to_num(lag1), np.nan_to_num(lag2), pre / typical, post / typical,
                     (pre + post) / (2 * typical)], axis=1)


def rr_features(r_sample: np.ndarray, fs: float, local_beats: int = 10) -> np.ndarray:
    """RR-interval features of each beat (de Chazal et al. 2004, normalised per record) and its rhythm context.

    Args:
        r_sample: (N,) increasing R-peak positions, N >= 2.
        fs: sampling rate in Hz.
        local_beats: number of preceding RR intervals averaged into the local RR.

    Returns:
        (N, 15) float32 in the order of `RR_FEATURES`: pre-RR, post-RR, local RR, record-average RR (s), pre-RR
        and post-RR divided by the local RR, local RR divided by the record average, pre-RR / post-RR, the
        five columns of `rhythm_context`, and pre-RR and post-RR divided by the record average. The first
        beat takes its post-RR as pre-RR and the last its pre-RR as post-RR.
    """
    if len(r_sample) < 2:
        raise ValueError("RR features need at least two beats")
    rr = np.diff(r_sample.astype(np.float64)) / fs
    pre = np.concatenate([[rr[0]], rr])
    post = np.concatenate([rr, [rr[-1]]])
    cumulative = np.concatenate([[0.0], np.cumsum(pre)])
    idx = np.arange(len(pre))
    start = np.maximum(idx + 1 - local_beats, 0)
    local = (cumulative[idx + 1] - cumulative[start]) / (idx + 1 - start)
    avg = np.full_like(pre, np.mean(rr))
    return np.concatenate([
        np.stack([pre, post, local, avg, pre / local, post / local, local / avg, pre / post], axis=1),
        rhythm_context(rr), np.stack([pre / avg, post / avg], axis=1)], axis=1).astype(np.float32)


def local_median_beats(waves: np.ndarray, half_width: int, step: int = 20) -> np.ndarray:
    """Running median beat: for each block of `step` beats, the median of the beats within `half_width`
    beats of the block centre. Shapes: waves (N, L) -> (N, L). Blocks keep the cost at N / step medians."""
    out = np.empty_like(waves)
    for start in range(0, len(waves), step):
        centre = start + step // 2
        lo, hi = max(0, centre - half_width), min(len(waves), centre + half_width)
        out[start:start + step] = np.median(waves[lo:hi], axis=0)
    return out


def own_beat_mask(t: np.ndarray, pre_rr_s: np.ndarray, post_rr_s: np.ndarray, neighbour_margin_s: float) -> np.ndarray:
    """(N, L) bool: the window samples at times `t` (L,) (seconds from the R peak) that lie farther than
    `neighbour_margin_s` from the previous (`pre_rr_s`, (N,)) and next (`post_rr_s`, (N,)) R peaks."""
    return (t[None, :] > -(pre_rr_s[:, None] - neighbour_margin_s)) & (t[None, :] < post_rr_s[:, None] - neighbour_margin_s)


def r_peak_index(beats: BeatSet) -> int:
    """Index of the R peak in the beat windows, from the beats' `before_s` meta."""
    return round(float(beats.meta.get("before_s", 0.3)) * beats.fs)


def window_times(beats: BeatSet) -> np.ndarray:
    """(L,) time of each window sample relative to the R peak (seconds), from the beats' `before_s` meta."""
    return (np.arange(beats.waves.shape[2]) - r_peak_index(beats)) / beats.fs


def lead_windows(signal: np.ndarray, r_sample: np.ndarray, before: int, after: int, amplitude: float,
                 median_half_width: int) -> np.ndarray:
    """The two window channels of one lead: (N, 2, L) = the windows divided by `amplitude`, and the same minus
    the local median beat (`local_median_beats`). Samples beyond the ends of `signal` (T,) are zero."""
    offsets = np.arange(-before, after)
    # zeros beyond the record's ends: the first and last beats keep their place (the AAMI beat counts are
    # exact) and their missing samples read as masked, like the neighbouring beats' samples
    padded = np.pad(signal, (before, after))
    waves = padded[r_sample[:, None] + before + offsets[None, :]] / amplitude
    return np.stack([waves, waves - local_median_beats(waves, median_half_width)], axis=1)


def qrs_amplitude(signal: np.ndarray, r_sample: np.ndarray, half_width: int) -> float:
    """Median over beats of the largest |signal| within `half_width` samples of each R peak (1 if zero).

    The scale of a lead whose R peak is not its largest deflection (V1's rS complex): the annotated sample
    can sit near a zero crossing of such a lead, the largest deflection beside it cannot."""
    offsets = np.arange(-half_width, half_width + 1)
    index = np.clip(r_sample[:, None] + offsets[None, :], 0, len(signal) - 1)
    return float(np.median(np.abs(signal[index]).max(axis=1))) or 1.0


def extract_beats(
    record: Record,
    r_sample: np.ndarray,
    symbols: np.ndarray | None = None,
    *,
    before_s: float = 0.3,
    after_s: float = 0.5,
    two_leads: bool = False,
    median_half_width: int = 100,
    neighbour_margin_s: float = 0.15,
    qrs_half_width_s: float = 0.05,
) -> BeatSet:
    """Beat windows and RR features of `record` at the given R peaks.

    Args:
        record: a filtered record.
        r_sample: (N,) increasing R-peak positions at `record.fs` (annotations or a detector).
        symbols: (N,) MIT-BIH beat symbols for labels, or None (labels -1).
        before_s: window extent before each R peak; the part of a window beyond the record's ends is zero
            (every beat is kept).
        after_s: window extent after each R peak, likewise.
        two_leads: add channels 2 and 3, the same two channels of `record.second_signal` (scaled by its
            `qrs_amplitude`); zeros when the record has no second lead.
        median_half_width: channel 1 subtracts the median of the beats within this many beats of each
            beat (a local median beat: it follows slow changes of rhythm and morphology, e.g. the onset of
            atrial flutter in MIT-BIH 202, which a whole-record median does not).
        neighbour_margin_s: samples closer than this to the previous or next R peak are set to zero, so
            at fast rates the neighbouring QRS complexes do not enter the window.
        qrs_half_width_s: half-width of the search for the second lead's QRS amplitude.

    Returns:
        BeatSet with waves (N, C, L), C = 2 (4 with `two_leads`), L = round(before_s * fs) + round(after_s * fs):
        one row per R peak.

    Raises:
        InputError: fewer than 2 beats, positions outside the signal or not increasing.
    """
    r_sample = np.asarray(r_sample, dtype=np.int64)
    if len(r_sample) < 2:
        raise InputError(record.path, f"only {len(r_sample)} beats found; at least 2 are needed", record=record.name)
    labels = class_index(list(symbols)) if symbols is not None else np.full(len(r_sample), UNLABELLED)
    outside = (r_sample < 0) | (r_sample >= len(record.signal))
    if outside.any():
        raise InputError(record.path, f"{int(outside.sum())} beat positions lie outside the signal "
                                      f"(first {int(r_sample[outside][0])}, signal length {len(record.signal)})",
                         record=record.name)
    if np.any(np.diff(r_sample) <= 0):
        raise InputError(record.path, "beat positions are not strictly increasing", record=record.name)
    rr = rr_features(r_sample, record.fs)
    before, after = round(before_s * record.fs), round(after_s * record.fs)
    amplitude = float(np.median(np.abs(record.signal[r_sample]))) or 1.0
    channels = [lead_windows(record.signal, r_sample, before, after, amplitude, median_half_width)]
    if two_leads and record.second_signal is not None:
        second = record.second_signal
        scale = qrs_amplitude(second, r_sample, round(qrs_half_width_s * record.fs))
        channels.append(lead_windows(second, r_sample, before, after, scale, median_half_width))
    elif two_leads:
        channels.append(np.zeros_like(channels[0]))
    stacked = np.concatenate(channels, axis=1)
    offsets = np.arange(-before, after)
    own_beat = own_beat_mask(offsets / record.fs, rr[:, 0], rr[:, 1], neighbour_margin_s)
    own_beat &= (r_sample[:, None] + offsets[None, :] >= 0) & (r_sample[:, None] + offsets[None, :] < len(record.signal))
    stacked = (stacked * own_beat[:, None, :]).astype(np.float32)
    return BeatSet(stacked, rr, labels, r_sample, np.full(len(r_sample), record.name), record.fs)


def annotated_beats(record: Record, *, before_s: float = 0.3, after_s: float = 0.5, two_leads: bool = False) -> BeatSet:
    """Beats at the reference annotations of `record`, labelled with their AAMI class (see `extract_beats`)."""
    if record.ann_sample is None:
        raise InputError(record.path, "record has no beat annotations", record=record.name)
    return extract_beats(record, record.ann_sample, record.ann_symbol, before_s=before_s, after_s=after_s,
                         two_leads=two_leads)
