"""The evaluation step of the ECG workflow: every held-out measurement into metrics.json, tables and figures."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sciml.ecg.aami import CLASSES, split_records
from sciml.ecg.beats import BeatSet
from sciml.ecg.compress import deployed_model, latencies_ms_per_beat, model_size_bytes, quantize_int8
from sciml.ecg.evaluate import calibrated_scores, patient_adaptive, per_record_table, pooled_detection
from sciml.ecg.figures import plot_confusion, plot_reliability, plot_saliency
from sciml.ecg.io import load_current_beats, load_model
from sciml.ecg.models import BeatNet
from sciml.ecg.saliency import mean_beat_and_saliency
from sciml.ecg.scores import class_scores, confusion
from sciml.ecg.training import predict_logits
from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.provenance import write_metrics
from sciml.train.calibration import reliability_bins, softmax

#: Keys of the per-class block copied into metrics.json.
_SCORE_KEYS = ("accuracy", "macro_f1", "n_beats") + tuple(
    f"{c}_{m}" for c in CLASSES for m in ("se", "ppv", "n"))


def _finite(block: dict[str, Any]) -> dict[str, Any]:
    """Drop undefined (NaN) scores, e.g. the sensitivity of a class absent from the test records."""
    return {k: v for k, v in block.items() if not (isinstance(v, float) and math.isnan(v))}


def _compression_blocks(models: dict[str, Any], beats: BeatSet, macro_f1: dict[str, float]) -> dict[str, dict]:
    """Size of each model and its CPU latency per beat at batch 1 and 256, all timed in turn.

    A float `BeatNet` is timed as deployed (`deployed_model`: re-parametrised by `InferenceBeatNet` and
    frozen by TorchScript, same logits), and as trained (`latency_module_*`); a quantized model is timed as it is.
    """
    timed: dict[str, Any] = {}
    for name, model in models.items():
        if isinstance(model, BeatNet):
            timed[f"{name}/module"] = model
            timed[name] = deployed_model(model)
        else:
            timed[name] = model
    b1 = latencies_ms_per_beat(timed, beats, 1, repeats=200)
    b256 = latencies_ms_per_beat(timed, beats, 256, repeats=20)
    blocks = {}
    for name, model in models.items():
        block = {"size_bytes": model_size_bytes(model), "macro_f1": macro_f1[name],
                 "latency_ms_per_beat": b1[name], "latency_b256_ms_per_beat": b256[name]}
        if f"{name}/module" in timed:
            block["latency_module_ms_per_beat"] = b1[f"{name}/module"]
            block["latency_module_b256_ms_per_beat"] = b256[f"{name}/module"]
        blocks[name] = block
    return blocks


def evaluate_pipeline(
    *,
    beats_path: str | os.PathLike[str],
    teacher_dir: str | os.PathLike[str],
    student_dir: str | os.PathLike[str],
    compare_dirs: list[Path],
    rpeaks_path: str | os.PathLike[str],
    test_records: list[str] | None,
    adapt_minutes: float,
    adapt_l2: float,
    adapt_prototype_weight: float,
    metrics_path: str | os.PathLike[str],
    per_record_path: str | os.PathLike[str],
    confusion_path: str | os.PathLike[str],
    reliability_path: str | os.PathLike[str],
    saliency_path: str | os.PathLike[str],
    seed: int,
    settings: dict[str, Any],
) -> dict[str, Any]:
    """Evaluate teacher, loss variants, student and int8 student on the held-out DS2 records.

    Writes metrics.json (with provenance), the per-record TSV and three figures; returns the metrics.
    """
    beats = load_current_beats(beats_path)
    _, ds2 = split_records(sorted(set(beats.record.tolist())))
    test = beats.of_records(test_records or ds2)
    if len(test) == 0:
        raise InputError(beats_path, f"no beats of the test records {test_records or ds2}")
    rpeaks = pd.read_csv(rpeaks_path, sep="\t", dtype={"record": str})
    teacher = load_model(teacher_dir)
    student = load_model(student_dir)

    logits = predict_logits(teacher, test)
    scores = calibrated_scores(logits, test.label, teacher.temperature)
    pred = logits.argmax(axis=1)
    metrics: dict[str, Any] = {
        "test": _finite({k: scores[k] for k in (*_SCORE_KEYS, "ece_before", "ece_after", "nll_before",
                                                "nll_after", "temperature")}),
        "receptive_field_samples": teacher.receptive_field(),
        "receptive_field_s": teacher.receptive_field() / test.fs,
        "n_test_records": len(set(test.record.tolist())),
    }

    adaptive_logits, adapted = patient_adaptive(teacher, test, adapt_s=60.0 * adapt_minutes, l2=adapt_l2,
                                                 prototype_weight=adapt_prototype_weight)
    scored = ~adapted
    adaptive = class_scores(test.label[scored], adaptive_logits[scored].argmax(axis=1))
    baseline_same_beats = class_scores(test.label[scored], pred[scored])
    metrics["adaptive"] = _finite({k: adaptive[k] for k in _SCORE_KEYS})
    metrics["adaptive"]["inter_patient_accuracy_same_beats"] = baseline_same_beats["accuracy"]
    # Beside the contract number: S sensitivity on the records whose labelled minutes hold an S beat (the
    # protocol gives the adaptation no label of a class a patient shows only later).
    s_class = CLASSES.index("S")
    with_s = sorted({str(r) for r in test.record[adapted & (test.label == s_class)]})
    s_beats = scored & np.isin(test.record, with_s) & (test.label == s_class)
    metrics["adaptive"]["records_with_labelled_S"] = with_s
    metrics["adaptive"]["S_se_records_with_labelled_S"] = (
        float(np.mean(adaptive_logits[s_beats].argmax(axis=1) == s_class)) if s_beats.any() else None)

    losses = {teacher.saved_config.get("loss", "teacher"): scores}
    for directory in compare_dirs:
        other = load_model(directory)
        losses[other.saved_config.get("loss", directory.name)] = calibrated_scores(
            predict_logits(other, test), test.label, other.temperature)
    metrics["loss_comparison"] = {name: _finite({k: s[k] for k in ("accuracy", "macro_f1", "S_se", "S_ppv",
                                                                     "V_se", "V_ppv", "ece_after")})
                                  for name, s in losses.items()}

    student_logits = predict_logits(student, test)
    student_scores = class_scores(test.label, student_logits.argmax(axis=1))
    int8 = quantize_int8(student, beats.of_records(sorted(set(beats.record.tolist()) - set(test.record.tolist()))),
                         seed=seed)
    int8_scores = class_scores(test.label, predict_logits(int8, test).argmax(axis=1))
    metrics.update(_compression_blocks({"teacher": teacher, "student": student, "student_int8": int8}, test,
                                       {"teacher": scores["macro_f1"], "student": student_scores["macro_f1"],
                                        "student_int8": int8_scores["macro_f1"]}))
    metrics["student"]["accuracy"] = student_scores["accuracy"]
    metrics["student_int8"]["accuracy"] = int8_scores["accuracy"]
    for name in ("student", "student_int8"):
        block = metrics[name]
        block["size_ratio"] = metrics["teacher"]["size_bytes"] / block["size_bytes"]
        block["latency_speedup_b1"] = metrics["teacher"]["latency_ms_per_beat"] / block["latency_ms_per_beat"]
        block["latency_speedup_b256"] = (metrics["teacher"]["latency_b256_ms_per_beat"]
                                         / block["latency_b256_ms_per_beat"])

    se, ppv = pooled_detection(rpeaks, "sciml")
    xse, xppv = pooled_detection(rpeaks, "xqrs")
    metrics["rpeak"] = {"se": se, "ppv": ppv, "xqrs_se": xse, "xqrs_ppv": xppv, "n_records": len(rpeaks),
                        "n_beats": int(rpeaks["n_beats"].sum())}

    table = per_record_table(test.label, pred, test.record)
    adaptive_pred = np.full(len(test), -1)
    adaptive_pred[scored] = adaptive_logits[scored].argmax(axis=1)
    table["adaptive_accuracy"] = [float(np.mean(adaptive_pred[(test.record == r) & scored]
                                                == test.label[(test.record == r) & scored]))
                                  for r in table["record"]]
    with atomic_path(per_record_path) as staged:
        table.to_csv(staged, sep="\t", index=False, float_format="%.4f")
    plot_confusion(confusion(test.label, pred), confusion_path,
                   f"teacher, inter-patient, DS2 records present ({len(test)} beats)")
    plot_reliability({"before (T=1)": reliability_bins(softmax(logits), test.label),
                      f"after (T={teacher.temperature:.2f})": reliability_bins(softmax(logits, teacher.temperature),
                                                                            test.label)}, reliability_path)
    panels = {}
    for k, name in enumerate(CLASSES):
        members = test.subset(test.label == k)
        if len(members):
            panels[f"{name} ({len(members)} beats)"] = mean_beat_and_saliency(teacher, members.subset(
                np.arange(min(len(members), 500))), k)
    plot_saliency(panels, test.fs, float(test.meta.get("before_s", 0.3)), saliency_path)
    write_metrics(metrics_path, metrics, settings=settings, seed=seed, datasets=["mitdb"])
    return metrics
