"""A WFDB record rewritten as another database would store it: another sampling rate, lead names and gain.

This is a simulation of a cross-database test, not one: the patient, the electrodes and the annotators
stay those of the source record; only what a reader of files can trip over changes (rate, names, units,
storage format). It checks that `predict_record` gives the same beats and classes on such a copy.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from sciml.ecg.records import read_annotations, resample
from sciml.errors import InputError


def write_as_other_database(
    record_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    fs: float = 128.0,
    lead_names: tuple[str, ...] = ("ECG1", "ECG2"),
    gain: float = 0.5,
    fmt: str = "16",
    annotation: str = "atr",
) -> Path:
    """Write record `record_path` to `out_dir` (same name) resampled to `fs`, leads renamed and scaled.

    Every lead is resampled (polyphase, anti-aliased) and multiplied by `gain`; the beat annotations
    are moved to the new rate (rounded to the nearest sample; only beat annotations are carried over).

    Args:
        record_path: source WFDB record (path without extension) with `annotation`.
        out_dir: folder to write the copy into.
        fs: sampling rate of the copy in Hz.
        lead_names: new names of the leads, in the source's order (one per lead).
        gain: amplitude factor applied to every lead (a change of electrodes or amplifier gain).
        fmt: WFDB storage format of the copy.
        annotation: annotation extension copied.

    Returns:
        The copy's record path (without extension).

    Raises:
        InputError: the number of names differs from the source's leads, or it has no annotations.
    """
    import wfdb

    source = Path(record_path)
    record = wfdb.rdrecord(str(source))
    if len(lead_names) != record.n_sig:
        raise InputError(source.with_suffix(".hea"), f"{record.n_sig} leads but {len(lead_names)} new names")
    signals = np.stack([resample(record.p_signal[:, k], float(record.fs), fs) for k in range(record.n_sig)], axis=1)
    signals = gain * signals
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    name = source.name
    wfdb.wrsamp(name, fs=fs, units=["mV"] * record.n_sig, sig_name=list(lead_names), p_signal=signals,
                fmt=[fmt] * record.n_sig, write_dir=str(out))
    beats = read_annotations(source, annotation)
    if beats is None:
        raise InputError(source, f"no .{annotation} annotation file to carry over")
    sample = np.minimum(np.round(beats[0] * fs / record.fs).astype(np.int64), len(signals) - 1)
    wfdb.wrann(name, annotation, sample, symbol=list(beats[1]), write_dir=str(out))
    return out / name
