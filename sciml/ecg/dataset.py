"""Beat sets of many records: the inter-patient (DS1/DS2) protocol and the patient-leaking beat split."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from sciml.ecg.beats import BeatSet, annotated_beats
from sciml.ecg.records import DEFAULT_LEADS, read_record
from sciml.errors import ConfigError, InputError

log = logging.getLogger("sciml.ecg")


def available_records(directory: str | os.PathLike[str]) -> list[str]:
    """Names of the WFDB records (header files) in `directory`, sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "record directory does not exist")
    return sorted(p.stem for p in directory.glob("*.hea"))


def load_annotated_beats(
    directory: str | os.PathLike[str],
    records: list[str],
    *,
    leads: tuple[str, ...] | list[str] = DEFAULT_LEADS,
    fs: float = 180.0,
    before_s: float = 0.3,
    after_s: float = 0.5,
    max_flat_s: float = 2.0,
    second_leads: tuple[str, ...] | list[str] = (),
) -> BeatSet:
    """Labelled beats of `records` in `directory` (reference annotations, AAMI classes).

    With `second_leads` every beat has four window channels (`extract_beats` with `two_leads`), the last two
    from the first of those leads each record has besides the first lead (zeros if none).
    """
    directory = Path(directory)
    missing = [r for r in records if not (directory / f"{r}.hea").is_file()]
    if missing:
        raise InputError(directory, f"records not found: {missing}")
    parts = []
    for name in tqdm(records, desc="records", unit="record", disable=None):
        record = read_record(directory / name, leads=leads, fs=fs, max_flat_s=max_flat_s, second_leads=second_leads)
        if record.ann_sample is None:
            raise InputError(directory / f"{name}.atr", "reference annotations are missing", record=name)
        log.info("%s: lead %s (second %s), %d beats", name, record.lead, record.second_lead, len(record.ann_sample))
        parts.append(annotated_beats(record, before_s=before_s, after_s=after_s, two_leads=bool(second_leads)))
    return BeatSet.concatenate(parts)


def choose_validation(train_records: list[str], val_records: list[str]) -> tuple[list[str], list[str]]:
    """Split DS1 into (fit records, validation records); validation must be held-out DS1 records."""
    unknown = [r for r in val_records if r not in train_records]
    if unknown:
        raise ConfigError("ecg.val_records", f"{unknown} are not among the training records {train_records}")
    fit_records = [r for r in train_records if r not in val_records]
    if not fit_records or not val_records:
        raise ConfigError("ecg.val_records", "need at least one training and one validation record")
    return fit_records, list(val_records)


def random_beat_split(beats: BeatSet, val_fraction: float, seed: int) -> tuple[BeatSet, BeatSet]:
    """Random beat-level split. It leaks patients (beats of one record on both sides) and inflates
    every score; available only for comparison with papers that used it, and warned about."""
    warnings.warn("random beat-level split: the same patients are in training and validation; "
                  "scores are optimistic and not inter-patient", stacklevel=2)
    order = np.random.default_rng(seed).permutation(len(beats))
    n_val = int(round(val_fraction * len(beats)))
    return beats.subset(np.sort(order[n_val:])), beats.subset(np.sort(order[:n_val]))
