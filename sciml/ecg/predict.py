"""Classify the beats of one WFDB record with a saved model (optionally patient-adaptive)."""

from __future__ import annotations

import logging
import os

import numpy as np
import pandas as pd

from sciml.ecg.aami import CLASSES
from sciml.ecg.adaptive import adapted_logits
from sciml.ecg.beats import extract_beats
from sciml.ecg.detect import detect_r_peaks
from sciml.ecg.models import load_model
from sciml.ecg.records import read_record
from sciml.ecg.training import embed_beats
from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.train.calibration import softmax

log = logging.getLogger("sciml.ecg")


def predict_record(
    model_dir: str | os.PathLike[str],
    record_path: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    lead: str | None = None,
    second_lead: str | None = None,
    beats: str = "auto",
    adapt_minutes: float | None = None,
) -> pd.DataFrame:
    """One row per beat: sample (at the record's own rate), time_s, pred, prob_N..prob_Q (calibrated); the
    leads read are in `table.attrs["lead"]` and `table.attrs["second_lead"]` (None: one lead).

    The record is read at any sampling rate >= 100 Hz and resampled to the model's rate; beat positions are
    reported at the record's own rate (annotated beats at exactly their annotated sample).

    Args:
        model_dir: model folder (kind `ecg.beatnet`).
        record_path: WFDB record path without extension.
        out: TSV written atomically when given.
        lead: lead to classify, by name (e.g. "ECG1"); None takes the first lead of the model's preference
            list present in the record.
        second_lead: the second lead of a two-lead model (`Preprocessing.second_leads`), by name; None takes the
            first of the model's second leads the record has besides `lead`, and none present reads one lead
            (the model was trained with lead dropout for this).
        beats: "annotations" (reference .atr, required), "detect" (R-peak detector), or "auto"
            (annotations when the record has them, else the detector).
        adapt_minutes: patient-adaptive mode: the labels of beats in the first `adapt_minutes` adapt
            the classifier head; those rows get `adapted = 1`. Needs annotations.

    Raises:
        InputError: bad record files, unknown lead or second lead (the error lists the record's leads), a
            second lead asked of a one-lead model, rate below 100 Hz,
            NaN or flat-line stretches, annotations that do not fit the record, a beat source the record
            lacks; all before any beat is classified, and nothing is written.
    """
    if beats not in ("auto", "annotations", "detect"):
        raise InputError(record_path, f"unknown beat source {beats!r} (annotations, detect or auto)")
    if adapt_minutes is not None and not adapt_minutes > 0:
        raise InputError(record_path, f"--adapt-minutes must be > 0, got {adapt_minutes}")
    model = load_model(model_dir)
    prep = model.preprocessing
    leads = (lead,) if lead is not None else prep.leads
    if second_lead is not None and not prep.second_leads:
        raise InputError(model_dir, f"--second-lead {second_lead}: this model reads one lead")
    second_leads = (second_lead,) if second_lead is not None else prep.second_leads
    record = read_record(record_path, leads=leads, fs=prep.fs, band_hz=prep.band_hz, max_flat_s=prep.max_flat_s,
                         second_leads=second_leads)
    if second_lead is not None and record.second_lead != second_lead:
        import wfdb

        names = list(wfdb.rdheader(str(record_path)).sig_name)
        problem = "is the lead read first" if second_lead == record.lead else (
            "has NaN or flat stretches" if second_lead in names else "is not in the record")
        raise InputError(record_path, f"second lead {second_lead!r} {problem}; its leads are {names}",
                         record=record.name)
    has_ann = record.ann_sample is not None
    if beats == "annotations" and not has_ann:
        raise InputError(record_path, "--beats annotations asked for, but the record has no .atr file",
                         record=record.name)
    use_ann = beats == "annotations" or (beats == "auto" and has_ann)
    if adapt_minutes is not None and not use_ann:
        raise InputError(record_path, "the patient-adaptive mode needs the record's reference annotations",
                         record=record.name)
    native = record.native_fs or record.fs
    if use_ann:
        beat_set = extract_beats(record, record.ann_sample, record.ann_symbol, before_s=prep.before_s,
                                 after_s=prep.after_s, two_leads=bool(prep.second_leads))
        native_sample = record.ann_native_sample
    else:
        peaks = detect_r_peaks(record.signal, record.fs)
        log.info("%s: %d beats detected", record.name, len(peaks))
        beat_set = extract_beats(record, peaks, before_s=prep.before_s, after_s=prep.after_s,
                                 two_leads=bool(prep.second_leads))
        native_sample = np.minimum(np.round(beat_set.sample * native / record.fs).astype(np.int64),
                                   (record.native_length or len(record.signal)) - 1)
    embeddings = embed_beats(model, beat_set)
    weight = model.head.weight.detach().numpy()
    bias = model.head.bias.detach().numpy()
    if adapt_minutes is not None:
        logits, adapted = adapted_logits(weight, bias, embeddings, beat_set.time_s, beat_set.label,
                                         adapt_s=60.0 * adapt_minutes)
    else:
        logits, adapted = embeddings @ weight.T + bias, None
    probs = softmax(logits, model.temperature)
    table = pd.DataFrame({"sample": native_sample, "time_s": np.round(native_sample / native, 4),
                          "pred": [CLASSES[i] for i in probs.argmax(axis=1)]})
    for k, name in enumerate(CLASSES):
        table[f"prob_{name}"] = np.round(probs[:, k], 6)
    if use_ann:
        table["reference"] = [CLASSES[i] for i in beat_set.label]
    if adapted is not None:
        table["adapted"] = adapted.astype(int)
    table.attrs["lead"] = record.lead
    table.attrs["second_lead"] = record.second_lead
    if out is not None:
        with atomic_path(out) as staged:
            table.to_csv(staged, sep="\t", index=False)
    return table
