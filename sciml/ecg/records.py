"""WFDB records: validated reading, lead choice by name, resampling and zero-phase filtering."""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from sciml.ecg.aami import is_beat
from sciml.errors import InputError

log = logging.getLogger("sciml.ecg")

#: Lead preference when the caller gives none: MLII first (the lead of the MIT-BIH protocol),
#: then the precordial leads present in the database.
DEFAULT_LEADS: tuple[str, ...] = ("MLII", "V1", "V2", "V4", "V5", "II")

MIN_FS = 100.0  # below this a QRS complex (~80 ms) spans fewer than 8 samples
MIN_DURATION_S = 1.0  # a record shorter than this cannot be band-pass filtered or hold a beat
#: The uncompressed WFDB storage formats wfdb reads, with their bytes per sample (so truncation is checked
#: exactly before reading). The FLAC formats (508, 516, 524) are not accepted.
BYTES_PER_SAMPLE: dict[str, float] = {"8": 1.0, "16": 2.0, "24": 3.0, "32": 4.0, "61": 2.0, "80": 1.0, "160": 2.0,
                                      "212": 1.5, "310": 4 / 3, "311": 4 / 3}


@dataclass
class Record:
    """One ECG lead of a WFDB record, filtered and at the working sampling rate.

    Attributes:
        name: record name (e.g. "100").
        path: record path without extension.
        signal: (T,) float32 filtered signal in mV.
        fs: sampling rate in Hz of `signal` and the annotation samples.
        lead: name of the lead read.
        ann_sample: (B,) int64 positions of the reference beats at `fs`, or None without annotations.
        ann_symbol: (B,) str beat symbols matching `ann_sample`, or None.
        native_fs: sampling rate of the file on disk.
        native_length: samples of the lead on disk (at `native_fs`).
        ann_native_sample: (B,) the reference beat positions as annotated, at `native_fs`, or None.
        second_signal: (T,) float32 a second lead, filtered and resampled like `signal`, or None (not asked
            for, not in the record, or unusable).
        second_lead: name of the second lead, or None.
    """

    name: str
    path: Path
    signal: np.ndarray
    fs: float
    lead: str
    ann_sample: np.ndarray | None = None
    ann_symbol: np.ndarray | None = None
    native_fs: float | None = None
    native_length: int | None = None
    ann_native_sample: np.ndarray | None = None
    second_signal: np.ndarray | None = None
    second_lead: str | None = None

    @property
    def duration_s(self) -> float:
        return len(self.signal) / self.fs


def choose_lead(names: list[str], preferences: tuple[str, ...] | list[str], path: str | os.PathLike[str]) -> int:
    """Index of the first lead of `preferences` present in `names` (by name, never by position).

    Raises:
        InputError: none of the preferred leads is in the record.
    """
    for wanted in preferences:
        if wanted in names:
            return names.index(wanted)
    if len(preferences) == 1:
        raise InputError(path, f"lead {preferences[0]!r} is not in the record; its leads are {names}")
    raise InputError(path, f"none of the leads {list(preferences)} is in the record; its leads are {names}")


def remove_baseline_and_noise(x: np.ndarray, fs: float, low_hz: float = 0.5, high_hz: float = 40.0) -> np.ndarray:
    """Zero-phase Butterworth band-pass: removes baseline wander (< `low_hz`) and HF noise (> `high_hz`).

    Shapes: x (T,) -> (T,), same dtype; no delay since the filter runs forwards and backwards.
    """
    # scipy.signal is imported on use: `sciml.ecg.settings`, read at every workflow start, imports this module.
    from scipy import signal as sps

    high = min(high_hz, 0.45 * fs)
    sos = sps.butter(4, [low_hz, high], btype="bandpass", fs=fs, output="sos")
    return sps.sosfiltfilt(sos, x).astype(x.dtype, copy=False)


def resample(x: np.ndarray, fs_in: float, fs_out: float) -> np.ndarray:
    """Polyphase resampling of x (T,) from `fs_in` to `fs_out` Hz (anti-aliased)."""
    if fs_in == fs_out:
        return x
    from scipy import signal as sps

    ratio = Fraction(fs_out / fs_in).limit_denominator(1000)
    return sps.resample_poly(x, ratio.numerator, ratio.denominator).astype(x.dtype, copy=False)


def _check_files(path: Path, header) -> None:
    """Formats, presence and length of the signal files named by a header."""
    for fmt in header.fmt:
        if fmt not in BYTES_PER_SAMPLE:
            raise InputError(path.with_suffix(".hea"),
                             f"unsupported signal format {fmt!r} (supported: {sorted(BYTES_PER_SAMPLE)})",
                             record=header.record_name)
    for file_name in dict.fromkeys(header.file_name):
        dat = path.parent / file_name
        if not dat.is_file():
            raise InputError(dat, f"signal file named in {path.name}.hea is missing", record=header.record_name)
        channels = [i for i, f in enumerate(header.file_name) if f == file_name]
        per_frame = sum(BYTES_PER_SAMPLE[header.fmt[i]] for i in channels)
        if not header.sig_len:  # the length is optional in a header; wfdb then reads to the end of the file
            continue
        byte_offset = (header.byte_offset or [0] * header.n_sig)[channels[0]] or 0
        expected = byte_offset + math.ceil(per_frame * header.sig_len)
        if dat.stat().st_size < expected:
            raise InputError(dat, f"truncated: {dat.stat().st_size} bytes, the header implies {expected}",
                             record=header.record_name)


def _check_signal(x: np.ndarray, fs: float, path: Path, name: str, max_flat_s: float) -> None:
    """NaN (invalid samples) and flat-line stretches make a record unusable: say where."""
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise InputError(path, f"{bad.size} invalid (NaN) samples, first at {bad[0] / fs:.2f} s", record=name)
    change = np.flatnonzero(np.diff(x) != 0)
    edges = np.concatenate([[-1], change, [len(x) - 1]])
    runs = np.diff(edges)
    longest = int(np.argmax(runs))
    if runs[longest] / fs >= max_flat_s:
        start = (edges[longest] + 1) / fs
        raise InputError(path, f"flat line of {runs[longest] / fs:.1f} s starting at {start:.2f} s "
                               f"(limit {max_flat_s} s): lead off or signal lost", record=name)


def read_annotations(path: str | os.PathLike[str], extension: str = "atr") -> tuple[np.ndarray, np.ndarray] | None:
    """Beat annotations (positions at the record's own rate, symbols) of `path.extension`, or None if absent."""
    import wfdb

    path = Path(path)
    ann_file = path.parent / f"{path.name}.{extension}"
    if not ann_file.is_file():
        return None
    try:
        ann = wfdb.rdann(str(path), extension)
    except Exception as exc:  # wfdb raises bare ValueError/IndexError on corrupt files
        raise InputError(ann_file, f"unreadable annotation file: {exc}", record=path.name) from None
    symbols = np.asarray(ann.symbol, dtype=str)
    keep = np.array([is_beat(s) for s in symbols], dtype=bool)
    return np.asarray(ann.sample, dtype=np.int64)[keep], symbols[keep]


def read_record(
    path: str | os.PathLike[str],
    *,
    leads: tuple[str, ...] | list[str] = DEFAULT_LEADS,
    fs: float | None = None,
    band_hz: tuple[float, float] = (0.5, 40.0),
    annotation: str | None = "atr",
    max_flat_s: float = 2.0,
    second_leads: tuple[str, ...] | list[str] = (),
) -> Record:
    """Read, validate, resample and filter one lead of a WFDB record (and optionally a second lead).

    Args:
        path: record path without extension (e.g. data/raw/mitdb/100).
        leads: lead names in order of preference (MLII, then fallbacks).
        fs: working sampling rate in Hz; None keeps the record's own.
        band_hz: pass band of the zero-phase filter (baseline wander / HF noise removal).
        annotation: annotation extension read for reference beats; None skips them.
        max_flat_s: a constant stretch at least this long is an error (lead off).
        second_leads: names of a second lead, in order of preference: the first present in the record
            that is not the lead read is read too (`Record.second_signal`). None present, or NaN or flat
            stretches in it, leave the record with one lead (logged): the second lead is optional.

    Raises:
        InputError: missing header or signal file, truncated file, unsupported format, sampling rate below
            `MIN_FS`, missing lead, invalid samples or flat line, unreadable annotations or annotations that do
            not fit the record (beats beyond its end, out of time order).
    """
    import wfdb

    path = Path(path)
    name = path.name
    header_file = path.parent / f"{name}.hea"
    if not header_file.is_file():
        raise InputError(header_file, "WFDB header file is missing", record=name)
    try:
        header = wfdb.rdheader(str(path))
    except Exception as exc:  # wfdb's parser raises plain exceptions on malformed headers
        raise InputError(header_file, f"unreadable WFDB header: {exc}", record=name) from None
    if not header.n_sig or not header.file_name:
        raise InputError(header_file, "header lists no signals", record=name)
    if not (isinstance(header.fs, int | float) and math.isfinite(header.fs) and header.fs > 0):
        raise InputError(header_file, f"sampling frequency {header.fs!r} is not a positive number", record=name)
    if header.fs < MIN_FS:
        raise InputError(header_file, f"sampling frequency {header.fs:g} Hz is below {MIN_FS:g} Hz: too low to "
                                      "resolve a QRS complex", record=name)
    _check_files(path, header)
    names = list(header.sig_name)
    channel = choose_lead(names, leads, header_file)
    second = next((names.index(n) for n in second_leads if n in names and names.index(n) != channel), None)
    read = [channel] if second is None else sorted({channel, second})
    try:
        raw = wfdb.rdrecord(str(path), channels=read, physical=True)
    except Exception as exc:
        raise InputError(path.parent / header.file_name[channel], f"unreadable signal: {exc}", record=name) from None
    x = raw.p_signal[:, read.index(channel)].astype(np.float64)
    native_fs = float(header.fs)
    if len(x) < MIN_DURATION_S * native_fs:
        raise InputError(path.parent / header.file_name[channel],
                         f"only {len(x)} samples ({len(x) / native_fs:.3g} s): shorter than {MIN_DURATION_S} s, "
                         "too short to filter or hold a heartbeat", record=name)
    ann_sample = ann_symbol = None
    if annotation is not None:
        found = read_annotations(path, annotation)
        if found is not None:
            ann_sample, ann_symbol = found
            ann_file = path.parent / f"{name}.{annotation}"
            outside = (ann_sample < 0) | (ann_sample >= len(x))
            if outside.any():
                raise InputError(ann_file, f"annotation does not match the record: {int(outside.sum())} beats lie "
                                           f"beyond its {len(x)} samples (first at sample {int(ann_sample[outside][0])})",
                                 record=name)
            if np.any(np.diff(ann_sample) <= 0):
                raise InputError(ann_file, "beat annotations are not in strictly increasing time order", record=name)
    _check_signal(x, native_fs, path.parent / header.file_name[channel], name, max_flat_s)
    target_fs = native_fs if fs is None else float(fs)
    if target_fs != native_fs:
        log.info("%s: resampling %s from %g Hz to %g Hz", name, header.sig_name[channel], native_fs, target_fs)
    x = remove_baseline_and_noise(resample(x, native_fs, target_fs), target_fs, *band_hz).astype(np.float32)
    record = Record(name=name, path=path, signal=x, fs=target_fs, lead=header.sig_name[channel],
                    native_fs=native_fs, native_length=len(raw.p_signal))
    if second is not None:
        y = raw.p_signal[:, read.index(second)].astype(np.float64)
        try:
            _check_signal(y, native_fs, path.parent / header.file_name[second], name, max_flat_s)
        except InputError as exc:
            log.warning("%s: second lead %s not used: %s", name, names[second], exc)
        else:
            record.second_signal = remove_baseline_and_noise(resample(y, native_fs, target_fs), target_fs,
                                                             *band_hz).astype(np.float32)
            record.second_lead = names[second]
    elif second_leads:
        log.info("%s: none of the second leads %s besides %s; one lead", name, list(second_leads), names[channel])
    if ann_sample is not None:
        scaled = np.round(ann_sample * (target_fs / native_fs)).astype(np.int64)
        record.ann_sample, record.ann_symbol = np.minimum(scaled, len(x) - 1), ann_symbol
        record.ann_native_sample = ann_sample
    return record
