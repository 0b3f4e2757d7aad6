"""Held-out evaluation, one function per result block of `metrics.json`.

Test scores (`held_out_scores`), calibration (`calibration_scores`), the patient-adaptive mode
(`adaptive_block`), the loss comparison (`loss_comparison_block`), the compressed models
(`compression_blocks`: teacher, student, int8 student, pruned student and its int8 form) and the R-peak detector (`rpeak_block`),
plus the per-record table. `sciml.ecg.pipeline.evaluate_models` assembles them.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sciml.ecg.aami import CLASSES
from sciml.ecg.adaptive import adapted_logits
from sciml.ecg.beats import BeatSet
from sciml.ecg.compress import deployed_model, latencies_ms_per_beat, model_size_bytes, quantize_int8
from sciml.ecg.detect import detect_r_peaks, score_detections, xqrs_r_peaks
from sciml.ecg.models import BeatNet, count_parameters
from sciml.ecg.records import read_record
from sciml.ecg.scores import class_scores
from sciml.ecg.settings import Adaptation
from sciml.ecg.training import embed_beats, predict_logits
from sciml.train.calibration import expected_calibration_error, fit_temperature, softmax

#: Keys of the per-class block copied into metrics.json.
SCORE_KEYS: tuple[str, ...] = ("accuracy", "macro_f1", "n_beats") + tuple(
    f"{c}_{m}" for c in CLASSES for m in ("se", "ppv", "f1", "n"))

#: Per-class keys of the compressed-model blocks.
CLASS_KEYS: tuple[str, ...] = tuple(f"{c}_{m}" for c in CLASSES for m in ("se", "ppv", "f1"))


def finite(block: dict[str, Any]) -> dict[str, Any]:
    """Drop undefined (NaN) scores, e.g. the sensitivity of a class absent from the test records."""
    return {k: v for k, v in block.items() if not (isinstance(v, float) and math.isnan(v))}


def calibration_scores(logits: np.ndarray, labels: np.ndarray, temperature: float) -> dict[str, float]:
    """ECE and NLL before and after dividing the logits by `temperature`, and the temperature.

    Shapes:
        logits: (N, K); labels: (N,) class indices.
    """
    return {
        "ece_before": expected_calibration_error(softmax(logits), labels),
        "ece_after": expected_calibration_error(softmax(logits, temperature), labels),
        "nll_before": float(-np.mean(np.log(softmax(logits)[np.arange(len(labels)), labels] + 1e-12))),
        "nll_after": float(-np.mean(np.log(softmax(logits, temperature)[np.arange(len(labels)), labels] + 1e-12))),
        "temperature": float(temperature),
    }


def cross_fitted_ece(logits: np.ndarray, labels: np.ndarray, records: np.ndarray, min_temperature: float = 0.0) -> float:
    """ECE of temperature scaling on records it was not fitted on: each record's beats are scaled by the
    temperature fitted on the other records (leave-one-record-out), then the ECE of all beats is taken.

    An honest estimate of the calibration a new patient gets, from the validation records alone (the
    temperature fitted on all of them would be scored in-sample).

    Shapes:
        logits: (N, K); labels: (N,) class indices; records: (N,) record name of each beat (>= 2 records).
    """
    names = sorted(set(records.tolist()))
    if len(names) < 2:
        raise ValueError("cross-fitting needs beats of at least two records")
    probs = np.empty(logits.shape, dtype=np.float64)
    for name in names:
        held = records == name
        temperature = max(fit_temperature(logits[~held], labels[~held]), min_temperature)
        probs[held] = softmax(logits[held], temperature)
    return expected_calibration_error(probs, labels)


def calibrated_scores(logits: np.ndarray, labels: np.ndarray, temperature: float) -> dict[str, float]:
    """Class scores of argmax(logits) (`scores.class_scores`) plus `calibration_scores`."""
    return {**class_scores(labels, logits.argmax(axis=1)), **calibration_scores(logits, labels, temperature)}


def held_out_scores(logits: np.ndarray, labels: np.ndarray, temperature: float) -> dict[str, Any]:
    """The `test` block: accuracy, macro-F1 and per-class Se/PPV of the teacher with its calibration.

    Shapes:
        logits: (N, K) inter-patient logits of the test beats; labels: (N,).
    """
    scores = calibrated_scores(logits, labels, temperature)
    return finite({k: scores[k] for k in (*SCORE_KEYS, "ece_before", "ece_after", "nll_before", "nll_after",
                                          "temperature")})


def adaptive_block(
    model: BeatNet, test: BeatSet, adaptation: Adaptation, inter_patient_pred: np.ndarray,
) -> tuple[dict[str, Any], np.ndarray]:
    """The `adaptive` block (patient-adaptive mode) and the adaptive prediction of every beat.

    Scores only beats after each record's labelled minutes; beside them, the inter-patient accuracy
    on the same beats, and the S sensitivity on the records whose labelled minutes hold an S beat (the
    protocol gives the adaptation no label of a class a patient shows only later).

    Returns:
        (block, pred) with pred (N,) the adaptive class of each test beat, -1 for labelled beats.
    """
    logits, adapted = patient_adaptive(model, test, adapt_s=60.0 * adaptation.minutes, l2=adaptation.l2,
                                       prototype_weight=adaptation.prototype_weight)
    scored = ~adapted
    adaptive = class_scores(test.label[scored], logits[scored].argmax(axis=1))
    block = finite({k: adaptive[k] for k in SCORE_KEYS})
    block["inter_patient_accuracy_same_beats"] = class_scores(test.label[scored],
                                                              inter_patient_pred[scored])["accuracy"]
    s_class = CLASSES.index("S")
    with_s = sorted({str(r) for r in test.record[adapted & (test.label == s_class)]})
    s_beats = scored & np.isin(test.record, with_s) & (test.label == s_class)
    block["records_with_labelled_S"] = with_s
    block["S_se_records_with_labelled_S"] = (
        float(np.mean(logits[s_beats].argmax(axis=1) == s_class)) if s_beats.any() else None)
    pred = np.full(len(test), -1)
    pred[scored] = logits[scored].argmax(axis=1)
    return block, pred


def cross_database_block(
    model_dir: str | os.PathLike[str], records_dir: str | os.PathLike[str], records: list[str], work_dir: Path,
    *, fs: float = 128.0, lead_names: tuple[str, ...] = ("ECG1", "ECG2"), gain: float = 0.5,
) -> dict[str, Any]:
    """The `cross_database_simulated` block: the test records rewritten as another database would store them
    (`simulate.write_as_other_database`: `fs`, leads renamed, amplitude x `gain`), classified through
    `predict_record` with the leads picked by their new names, against the same records as recorded.

    A simulation of another database, not one (same patients, electrodes and annotators). Reports the scores
    on both versions and the share of beats given the same class.
    """
    import wfdb

    from sciml.ecg.predict import predict_record
    from sciml.ecg.simulate import write_as_other_database

    native, other = [], []
    for name in tqdm(records, desc="other-database copies", unit="record", disable=None):
        source = Path(records_dir) / name
        source_leads = list(wfdb.rdheader(str(source)).sig_name)
        names = [*lead_names, *(f"ECG{k}" for k in range(len(lead_names) + 1, len(source_leads) + 1))]
        copy = write_as_other_database(source, work_dir, fs=fs, lead_names=tuple(names[: len(source_leads)]),
                                       gain=gain)
        native.append(predict_record(model_dir, source))
        lead = names[source_leads.index(native[-1].attrs["lead"])]
        second = native[-1].attrs["second_lead"]
        other.append(predict_record(model_dir, copy, lead=lead,
                                    second_lead=None if second is None else names[source_leads.index(second)]))
    a, b = pd.concat(native), pd.concat(other)
    to_index = {c: k for k, c in enumerate(CLASSES)}
    block: dict[str, Any] = {"fs": fs, "gain": gain, "records": list(records), "n_beats": len(b),
                             "same_beats": bool(len(a) == len(b)),
                             "agreement": float(np.mean(a["pred"].to_numpy() == b["pred"].to_numpy()))
                             if len(a) == len(b) else None}
    for label, table in (("native", a), ("other", b)):
        scores = class_scores(table["reference"].map(to_index).to_numpy(), table["pred"].map(to_index).to_numpy())
        block[label] = finite({k: scores[k] for k in ("accuracy", "macro_f1", "S_se", "S_ppv", "V_se", "V_ppv")})
    return block


def rr_baseline_block(train: BeatSet, test: BeatSet) -> dict[str, Any]:
    """The `baseline_rr` block: a class-balanced multinomial logistic regression on the standardised RR
    features alone (no waveform), fitted on the training beats, scored on the test beats.

    This is the reference every CNN score stands beside: what the rhythm tells without the beat shape.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=2000))
    model.fit(train.rr, train.label)
    pred = model.predict(test.rr)
    scores = class_scores(test.label, pred)
    return finite({k: scores[k] for k in ("accuracy", "macro_f1", "S_se", "S_ppv", "V_se", "V_ppv", "n_beats")}
                  | {"train_records": sorted(set(train.record.tolist()))})


def loss_comparison_block(models: dict[str, BeatNet], test: BeatSet) -> dict[str, dict[str, float]]:
    """The `loss_comparison` block: headline scores of teachers trained with different losses."""
    out = {}
    for name, model in models.items():
        scores = calibrated_scores(predict_logits(model, test), test.label, model.temperature)
        out[name] = finite({k: scores[k] for k in ("accuracy", "macro_f1", "S_se", "S_ppv", "V_se", "V_ppv",
                                                   "ece_after")})
    return out


def compression_blocks(
    teacher: BeatNet, student: BeatNet, test: BeatSet, calibration: BeatSet, *, teacher_macro_f1: float,
    pruned: BeatNet | None = None, n_calibration: int = 2048, seed: int = 0,
) -> dict[str, dict[str, float]]:
    """The `teacher`, `student` and `student_int8` blocks (with `pruned`, also `student_pruned` and
    `student_pruned_int8`): size, CPU latency per beat and scores (macro-F1, accuracy, per-class Se, PPV and
    F1, and the share of beats given the teacher's class, `agreement_with_teacher`).

    Each student is quantized to int8 (`compress.quantize_int8`, calibrated on `n_calibration` beats
    drawn with `seed` from `calibration`, beats of non-test records). A float `BeatNet` is timed as
    deployed (`deployed_model`: re-parametrised by `InferenceBeatNet` and frozen by TorchScript, same
    logits) and as trained (`latency_module_*`); a quantized model as it is. All models are timed in
    turn at batch 1 and 256, in the same loop.
    """
    floats = {"teacher": teacher, "student": student} | ({"student_pruned": pruned} if pruned is not None else {})
    models: dict[str, Any] = dict(floats)
    for name in [n for n in floats if n != "teacher"]:
        models[f"{name}_int8"] = quantize_int8(floats[name], calibration, n_calibration=n_calibration, seed=seed)
    preds = {name: predict_logits(model, test).argmax(axis=1) for name, model in models.items()}
    scores = {name: class_scores(test.label, pred) for name, pred in preds.items()}
    timed: dict[str, Any] = {}
    for name, model in models.items():
        if isinstance(model, BeatNet):
            timed[f"{name}/module"] = model
            timed[name] = deployed_model(model)
        else:
            timed[name] = model
    b1 = latencies_ms_per_beat(timed, test, 1, repeats=200)
    b256 = latencies_ms_per_beat(timed, test, 256, repeats=20)
    blocks: dict[str, dict[str, float]] = {}
    for name, model in models.items():
        block = {"size_bytes": model_size_bytes(model),
                 "macro_f1": teacher_macro_f1 if name == "teacher" else scores[name]["macro_f1"],
                 "latency_ms_per_beat": b1[name], "latency_b256_ms_per_beat": b256[name]}
        if f"{name}/module" in timed:
            block["latency_module_ms_per_beat"] = b1[f"{name}/module"]
            block["latency_module_b256_ms_per_beat"] = b256[f"{name}/module"]
        block |= finite({key: scores[name][key] for key in CLASS_KEYS})
        if name != "teacher":
            block["accuracy"] = scores[name]["accuracy"]
            block["agreement_with_teacher"] = float(np.mean(preds[name] == preds["teacher"]))
            block["size_ratio"] = model_size_bytes(teacher) / block["size_bytes"]
            block["latency_speedup_b1"] = b1["teacher"] / block["latency_ms_per_beat"]
            block["latency_speedup_b256"] = b256["teacher"] / block["latency_b256_ms_per_beat"]
        if isinstance(model, BeatNet):
            block["parameters"] = count_parameters(model)
        blocks[name] = block
    return blocks


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


def rpeak_block(table: pd.DataFrame) -> dict[str, Any]:
    """The `rpeak` block: pooled Se and PPV of our detector and of XQRS over a `rpeak_table`."""
    se, ppv = pooled_detection(table, "sciml")
    xse, xppv = pooled_detection(table, "xqrs")
    return {"se": se, "ppv": ppv, "xqrs_se": xse, "xqrs_ppv": xppv, "n_records": len(table),
            "n_beats": int(table["n_beats"].sum())}


def pooled_detection(table: pd.DataFrame, label: str) -> tuple[float, float]:
    """Gross (beat-pooled) sensitivity and PPV of detector `label` over a `rpeak_table`."""
    tp, fn, fp = (int(table[f"{label}_{k}"].sum()) for k in ("tp", "fn", "fp"))
    return tp / max(tp + fn, 1), tp / max(tp + fp, 1)

