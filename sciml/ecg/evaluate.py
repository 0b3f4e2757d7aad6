"""Held-out evaluation: inter-patient scores with calibration, per-record tables, patient-adaptive mode."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sciml.ecg.adaptive import adapted_logits
from sciml.ecg.beats import BeatSet
from sciml.ecg.detect import detect_r_peaks, score_detections, xqrs_r_peaks
from sciml.ecg.models import BeatNet
from sciml.ecg.records import read_record
from sciml.ecg.scores import class_scores
from sciml.ecg.training import embed_beats
from sciml.train.calibration import expected_calibration_error, softmax


def calibrated_scores(logits: np.ndarray, labels: np.ndarray, temperature: float) -> dict[str, float]:
    """Class scores of argmax(logits) plus ECE before and after dividing logits by `temperature`."""
    out = class_scores(labels, logits.argmax(axis=1))
    out["ece_before"] = expected_calibration_error(softmax(logits), labels)
    out["ece_after"] = expected_calibration_error(softmax(logits, temperature), labels)
    out["nll_before"] = float(-np.mean(np.log(softmax(logits)[np.arange(len(labels)), labels] + 1e-12)))
    out["nll_after"] = float(-np.mean(np.log(softmax(logits, temperature)[np.arange(len(labels)), labels] + 1e-12)))
    out["temperature"] = float(temperature)
    return out


def per_record_table(labels: np.ndarray, pred: np.ndarray, records: np.ndarray) -> pd.DataFrame:
    """One row per record: beats, accuracy and per-class sensitivity / PPV (NaN where undefined)."""
    rows = []
    for name in sorted(set(records.tolist())):
        mask = records == name
        scores = class_scores(labels[mask], pred[mask])
        rows.append({"record": name, **{k: scores[k] for k in (
            "n_beats", "accuracy", "N_se", "N_ppv", "S_n", "S_se", "S_ppv", "V_n", "V_se", "V_ppv", "F_n", "F_se",
            "F_ppv", "macro_f1")}})
    return pd.DataFrame(rows)


def patient_adaptive(
    model: BeatNet, beats: BeatSet, *, adapt_s: float = 300.0, l2: float = 1.0, prototype_weight: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """Patient-adaptive logits of every beat (record by record) and the mask of beats used for adaptation.

    Each record's head is fine-tuned on its beats before `adapt_s` (their labels are used) and combined
    with a prototype head (`adaptive.adapted_logits`);
    only the other beats may be scored. Shapes: (N, K) logits, (N,) bool.
    """
    weight = model.head.weight.detach().cpu().numpy()
    bias = model.head.bias.detach().cpu().numpy()
    embeddings = embed_beats(model, beats)
    logits = np.zeros((len(beats), weight.shape[0]), dtype=np.float32)
    adapted = np.zeros(len(beats), dtype=bool)
    for name in sorted(set(beats.record.tolist())):
        mask = beats.record == name
        logits[mask], adapted[mask] = adapted_logits(weight, bias, embeddings[mask], beats.time_s[mask],
                                                     beats.label[mask], adapt_s=adapt_s, l2=l2,
                                                     prototype_weight=prototype_weight)
    return logits, adapted


def rpeak_table(
    directory: str | os.PathLike[str], records: list[str], *, fs: float, leads: list[str],
    band_hz: tuple[float, float] = (0.5, 40.0), window_s: float = 0.15,
) -> pd.DataFrame:
    """Per record: our detector and wfdb's XQRS against the reference beats (150 ms matching window)."""
    rows = []
    for name in tqdm(records, desc="r-peaks", unit="record", disable=None):
        record = read_record(Path(directory) / name, leads=leads, fs=fs, band_hz=band_hz)
        row: dict[str, object] = {"record": name, "lead": record.lead, "n_beats": len(record.ann_sample)}
        for label, detector in (("sciml", detect_r_peaks), ("xqrs", xqrs_r_peaks)):
            score = score_detections(record.ann_sample, detector(record.signal, record.fs), record.fs, window_s)
            row.update({f"{label}_tp": score.tp, f"{label}_fn": score.fn, f"{label}_fp": score.fp,
                        f"{label}_se": score.sensitivity, f"{label}_ppv": score.ppv})
        rows.append(row)
    return pd.DataFrame(rows)


def pooled_detection(table: pd.DataFrame, label: str) -> tuple[float, float]:
    """Gross (beat-pooled) sensitivity and PPV of detector `label` over a `rpeak_table`."""
    tp, fn, fp = (int(table[f"{label}_{k}"].sum()) for k in ("tp", "fn", "fp"))
    return tp / max(tp + fn, 1), tp / max(tp + fp, 1)

