"""End-to-end runners of the ECG verbs: records -> beats -> teacher -> student -> held-out evaluation.

Each function is what one `sciml ecg <verb>` (and one workflow rule) runs: it reads its inputs,
computes with the settings dataclass it is given and writes its outputs atomically.

Example:
    >>> from sciml.ecg.settings import PreprocessSettings, TrainSettings
    >>> beats = preprocess_records("data/raw/mitdb", "beats.npz", PreprocessSettings())  # doctest: +SKIP
    >>> model = train_teacher("beats.npz", "model", TrainSettings(epochs=2))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sciml.ecg.aami import CLASSES, split_records
from sciml.ecg.beats import FEATURE_VERSION, BeatSet
from sciml.ecg.compress import distill
from sciml.ecg.dataset import available_records, load_annotated_beats
from sciml.ecg.evaluate import (
    CLASS_KEYS,
    adaptive_block,
    calibrated_scores,
    compression_blocks,
    cross_database_block,
    cross_fitted_ece,
    held_out_scores,
    loss_comparison_block,
    per_record_table,
    rpeak_block,
    rpeak_table,
    rr_baseline_block,
)
from sciml.ecg.models import BeatNet, BeatNetConfig, load_model, save_classifier
from sciml.ecg.plots import plot_confusion, plot_reliability, plot_saliency
from sciml.ecg.pruning import prune_beatnet
from sciml.ecg.saliency import mean_beat_and_saliency
from sciml.ecg.scores import confusion
from sciml.ecg.settings import (
    BeatData,
    DistillSettings,
    EvaluateSettings,
    Preprocessing,
    PreprocessSettings,
    PruneSettings,
    RPeakSettings,
    TrainSettings,
)
from sciml.ecg.training import (
    calibrate_temperature,
    irregular_rhythm_check,
    predict_logits,
    split_beats,
    train_beat_classifier,
)
from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.provenance import write_metrics
from sciml.settings import from_dict, to_dict
from sciml.train import seed_everything
from sciml.train.calibration import reliability_bins, softmax
from sciml.train.fit import FitResult

log = logging.getLogger("sciml.ecg")

PathLike = str | os.PathLike[str]


def protocol_records(directory: PathLike, records: tuple[str, ...] | None) -> list[str]:
    """`records`, or by default every DS1 and DS2 record present in `directory` (paced records excluded)."""
    available = available_records(directory)
    if records:
        return list(records)
    ds1, ds2 = split_records(available)
    return ds1 + ds2


def preprocess_records(records_dir: PathLike, out: PathLike, settings: PreprocessSettings) -> BeatSet:
    """Labelled beats of the records in `records_dir` (reference annotations, AAMI classes) -> `out` (.npz).

    The beat set's `meta` holds the preprocessing and `FEATURE_VERSION`; models trained on it store both.
    """
    prep = settings.preprocessing
    records = protocol_records(records_dir, settings.records)
    beats = load_annotated_beats(records_dir, records, leads=prep.leads, fs=prep.fs, before_s=prep.before_s,
                                 after_s=prep.after_s, max_flat_s=prep.max_flat_s, second_leads=prep.second_leads)
    beats.meta = {**to_dict(prep), "feature_version": FEATURE_VERSION}
    beats.save(out)
    log.info("%d beats of %d records -> %s", len(beats), len(records), out)
    return beats


def score_rpeaks(records_dir: PathLike, out: PathLike, settings: RPeakSettings) -> pd.DataFrame:
    """Per record: our R-peak detector and wfdb's XQRS against the reference beats -> `out` (TSV)."""
    prep = settings.preprocessing
    table = rpeak_table(records_dir, protocol_records(records_dir, settings.records), fs=prep.fs,
                        leads=list(prep.leads), band_hz=prep.band_hz, window_s=settings.window_s)
    with atomic_path(out) as staged:
        table.to_csv(staged, sep="\t", index=False, float_format="%.5f")
    return table


def beat_preprocessing(beats: BeatSet) -> Preprocessing:
    """The `Preprocessing` recorded in a beat set written by `preprocess_records`."""
    return from_dict(Preprocessing, {k: v for k, v in beats.meta.items() if k != "feature_version"},
                     prefix="meta")


def _save_calibrated(out: PathLike, model: BeatNet, val: BeatSet, result: FitResult,
                     settings: TrainSettings | DistillSettings | PruneSettings, extra: dict[str, Any]) -> Path:
    """Fit the temperature on the validation beats and save the model with its validation scores."""
    model.cpu()
    temperature, fitted = calibrate_temperature(model, val, settings.calibration)
    logits = predict_logits(model, val)
    scores = calibrated_scores(logits, val.label, temperature)
    if len(set(val.record.tolist())) > 1:
        scores["ece_cross_fitted"] = cross_fitted_ece(logits, val.label, val.record, settings.calibration.min_temperature)
    metrics = {"val": {k: v for k, v in scores.items() if v == v}, "best_epoch": result.best_epoch,
               "epochs_run": result.epochs_run, "temperature_fitted": fitted,
               # other draws than the training copies (seed) and the validation copies (seed + 100)
               **irregular_rhythm_check(model, val, seed=settings.seed + 200)}
    path = save_classifier(out, model, beat_preprocessing(val), temperature=temperature,
                           feature_version=int(val.meta.get("feature_version", FEATURE_VERSION)),
                           extra={**extra, "seed": settings.seed, "val_records": sorted(set(val.record.tolist())),
                                  "training": to_dict(settings)},
                           metrics=metrics)
    log.info("saved %s (val macro-F1 %.4f, T=%.3f)", out, scores["macro_f1"], temperature)
    return path


def train_teacher(
    beats_path: PathLike, out: PathLike, settings: TrainSettings, *, device: str = "auto",
    workdir: PathLike | None = None, resume: bool = False,
) -> BeatNet:
    """Train the inter-patient teacher on the beats of `beats_path`, calibrate it, save it to `out`.

    Args:
        beats_path: beat set from `preprocess_records`.
        out: model folder to write (kind `ecg.beatnet`).
        settings: the run settings.
        device: where to train.
        workdir: checkpoint and `metrics.csv` folder (a rerun with `resume` continues there).
        resume: continue from `workdir`'s checkpoint.

    Returns:
        The trained model (on the CPU, with its temperature).
    """
    beats = BeatSet.load(beats_path)
    train, val = split_beats(beats, settings.data, settings.seed)
    seed_everything(settings.seed)
    model = BeatNet(BeatNetConfig.for_beats(settings.network, beats))
    result = train_beat_classifier(model, train, val, settings, device=device, out_dir=workdir, resume=resume)
    _save_calibrated(out, model, val, result, settings, {"loss": settings.loss, "role": "teacher"})
    return model


def distill_student(
    beats_path: PathLike, teacher_dir: PathLike, out: PathLike, settings: DistillSettings, *,
    device: str = "auto", workdir: PathLike | None = None, resume: bool = False,
) -> BeatNet:
    """Distil the teacher in `teacher_dir` into a compact student, calibrate it, save it to `out`.

    Args:
        beats_path: beat set from `preprocess_records` (the teacher's).
        teacher_dir: the teacher's model folder.
        out: model folder to write (kind `ecg.beatnet`).
        settings: the run settings.
        device: where to train.
        workdir: checkpoint and `metrics.csv` folder.
        resume: continue from `workdir`'s checkpoint.

    Returns:
        The trained student (on the CPU, with its temperature).
    """
    beats = BeatSet.load(beats_path)
    teacher = load_model(teacher_dir)
    train, val = split_beats(beats, settings.data, settings.seed)
    seed_everything(settings.seed)
    student = BeatNet(BeatNetConfig.for_beats(settings.network, beats))
    result = distill(student, teacher, train, val, settings, device=device, out_dir=workdir, resume=resume)
    _save_calibrated(out, student, val, result, settings, {"role": "student", "teacher": str(teacher_dir)})
    return student


def prune_student(
    beats_path: PathLike, teacher_dir: PathLike, student_dir: PathLike, out: PathLike, settings: PruneSettings, *,
    device: str = "auto", workdir: PathLike | None = None, resume: bool = False,
) -> BeatNet:
    """Prune the student in `student_dir` (structured, `pruning.prune_beatnet`), fine-tune it with the distillation
    loss of the teacher in `teacher_dir`, calibrate it, save it to `out`.

    The fine-tune trains on the training records and stops early on the validation records of `settings.data`
    (held-out DS1 records), as the student's distillation did; the temperature is fitted on them too.

    Args:
        beats_path: beat set from `preprocess_records` (the teacher's).
        teacher_dir: the teacher's model folder.
        student_dir: the distilled student's model folder.
        out: model folder to write (kind `ecg.beatnet`; its `settings` hold the pruned widths).
        settings: the run settings (`ratio`, and the fine-tune's).
        device: where to train.
        workdir: checkpoint and `metrics.csv` folder.
        resume: continue from `workdir`'s checkpoint.

    Returns:
        The pruned, fine-tuned student (on the CPU, with its temperature).
    """
    beats = BeatSet.load(beats_path)
    teacher, student = load_model(teacher_dir), load_model(student_dir)
    train, val = split_beats(beats, settings.data, settings.seed)
    seed_everything(settings.seed)
    pruned = prune_beatnet(student, settings.ratio)
    log.info("pruned %s at ratio %.2f: stack %d -> %d channels, blocks %s -> %s, hidden %d -> %d", student_dir,
             settings.ratio, student.config.stack_width, pruned.config.stack_width, list(student.config.block_widths),
             list(pruned.config.block_widths), student.config.hidden, pruned.config.hidden)
    result = distill(pruned, teacher, train, val, settings, device=device, out_dir=workdir, resume=resume)
    _save_calibrated(out, pruned, val, result, settings,
                     {"role": "student_pruned", "teacher": str(teacher_dir), "student": str(student_dir),
                      "pruning_ratio": settings.ratio})
    return pruned


@dataclass(frozen=True)
class EvaluationOutputs:
    """Files `evaluate_models` writes.

    Attributes:
        metrics: metrics.json (every result block, with provenance).
        per_record: per-record TSV (inter-patient and adaptive accuracy, per-class Se/PPV).
        confusion: confusion matrix of the teacher (PNG).
        reliability: reliability diagram before and after temperature scaling (PNG).
        saliency: average beat and input-gradient saliency per class (PNG).
    """

    metrics: Path
    per_record: Path
    confusion: Path
    reliability: Path
    saliency: Path


def held_out_beats(beats: BeatSet, test_records: tuple[str, ...] | None, source: PathLike) -> BeatSet:
    """The beats of `test_records` (default: the DS2 records present); InputError when there are none."""
    _, ds2 = split_records(sorted(set(beats.record.tolist())))
    wanted = list(test_records) if test_records else ds2
    test = beats.of_records(wanted)
    if len(test) == 0:
        raise InputError(source, f"no beats of the test records {wanted}")
    return test


def evaluate_models(
    beats_path: PathLike,
    teacher_dir: PathLike,
    student_dir: PathLike,
    rpeaks_path: PathLike,
    outputs: EvaluationOutputs,
    settings: EvaluateSettings,
    *,
    compare_dirs: tuple[PathLike, ...] = (),
    records_dir: PathLike | None = None,
    pruned_dir: PathLike | None = None,
) -> dict[str, Any]:
    """Evaluate teacher, loss variants, student, int8 student (and the pruned student) on the held-out test records.

    Writes metrics.json (with provenance), the per-record TSV and three figures.

    Args:
        beats_path: beat set from `preprocess_records`.
        teacher_dir: the teacher's model folder.
        student_dir: the student's model folder.
        rpeaks_path: TSV from `score_rpeaks`.
        outputs: the files to write.
        settings: the evaluation settings.
        compare_dirs: teachers trained with other losses (named by their `loss` in the comparison).
        records_dir: folder of the WFDB records; when given, the test records are also rewritten as another
            database would store them and classified again (`cross_database_simulated`).
        pruned_dir: the pruned student's model folder (`prune_student`); when given, it and its int8 form are
            evaluated beside the student (`student_pruned`, `student_pruned_int8`).

    Returns:
        The metrics.
    """
    beats = BeatSet.load(beats_path)
    test = held_out_beats(beats, settings.test_records, beats_path)
    rpeaks = pd.read_csv(rpeaks_path, sep="\t", dtype={"record": str})
    teacher = load_model(teacher_dir)
    student = load_model(student_dir)

    logits = predict_logits(teacher, test)
    pred = logits.argmax(axis=1)
    metrics: dict[str, Any] = {
        "test": held_out_scores(logits, test.label, teacher.temperature),
        "receptive_field_samples": teacher.receptive_field(),
        "receptive_field_s": teacher.receptive_field() / test.fs,
        "n_test_records": len(set(test.record.tolist())),
    }
    metrics["validation"] = validation_block(teacher_dir)
    metrics["baseline_rr"] = rr_baseline_block(split_beats(beats, teacher_data(teacher_dir))[0], test)
    metrics["adaptive"], adaptive_pred = adaptive_block(teacher, test, settings.adaptation, pred)
    teachers = {teacher.model_config.extra.get("loss", "teacher"): teacher}
    for directory in compare_dirs:
        other = load_model(directory)
        teachers[other.model_config.extra.get("loss", Path(directory).name)] = other
    metrics["loss_comparison"] = loss_comparison_block(teachers, test)
    calibration = beats.of_records(sorted(set(beats.record.tolist()) - set(test.record.tolist())))
    pruned = None if pruned_dir is None else load_model(pruned_dir)
    metrics.update(compression_blocks(teacher, student, test, calibration, teacher_macro_f1=metrics["test"]["macro_f1"],
                                      pruned=pruned, n_calibration=settings.int8_calibration_beats, seed=settings.seed))
    metrics["student"]["validation"] = validation_block(student_dir)
    if pruned is not None:
        metrics["student_pruned"]["pruning_ratio"] = pruned.model_config.extra.get("pruning_ratio")
        metrics["student_pruned"]["validation"] = validation_block(pruned_dir)
    metrics["rpeak"] = rpeak_block(rpeaks)
    if records_dir is not None:
        with tempfile.TemporaryDirectory() as work:
            metrics["cross_database_simulated"] = cross_database_block(
                teacher_dir, records_dir, sorted(set(test.record.tolist())), Path(work))

    table = per_record_table(test.label, pred, test.record)
    scored = adaptive_pred >= 0
    table["adaptive_accuracy"] = [float(np.mean(adaptive_pred[(test.record == r) & scored]
                                                == test.label[(test.record == r) & scored]))
                                  for r in table["record"]]
    with atomic_path(outputs.per_record) as staged:
        table.to_csv(staged, sep="\t", index=False, float_format="%.4f")
    write_figures(teacher, test, logits, outputs, saliency_beats=settings.saliency_beats)
    write_metrics(outputs.metrics, metrics, settings=to_dict(settings), seed=settings.seed, datasets=["mitdb"])
    return metrics


def teacher_data(model_dir: PathLike) -> BeatData:
    """The `BeatData` (training and validation records) a model in `model_dir` was trained with."""
    config = json.loads((Path(model_dir) / "config.json").read_text())
    return from_dict(BeatData, config["extra"]["training"]["data"], prefix="extra.training.data")


def validation_block(model_dir: PathLike) -> dict[str, Any]:
    """The `validation` block: the held-out DS1 records that chose the model (early stopping, temperature)
    and the model's scores on them (per class: Se, PPV, F1), with its calibration there (`ece_cross_fitted`:
    each record scaled by the temperature fitted on the others), from the model folder."""
    config = json.loads((Path(model_dir) / "config.json").read_text())
    scores = json.loads((Path(model_dir) / "metrics.json").read_text())
    val = scores.get("val", {})
    return {"records": list(config["extra"].get("val_records", [])), "best_epoch": scores.get("best_epoch"),
            **{k: val[k] for k in ("accuracy", "macro_f1", *CLASS_KEYS, "n_beats", "temperature", "ece_before",
                                   "ece_after", "ece_cross_fitted") if k in val}}


def write_figures(teacher: BeatNet, test: BeatSet, logits: np.ndarray, outputs: EvaluationOutputs,
                  saliency_beats: int = 500) -> None:
    """Confusion matrix, reliability diagram and class saliency of the teacher on the test beats."""
    pred = logits.argmax(axis=1)
    plot_confusion(confusion(test.label, pred), outputs.confusion,
                   f"teacher, inter-patient, DS2 records present ({len(test)} beats)")
    plot_reliability({"before (T=1)": reliability_bins(softmax(logits), test.label),
                      f"after (T={teacher.temperature:.2f})": reliability_bins(softmax(logits, teacher.temperature),
                                                                            test.label)}, outputs.reliability)
    panels = {}
    for k, name in enumerate(CLASSES):
        members = test.subset(test.label == k)
        if len(members):
            panels[f"{name} ({len(members)} beats)"] = mean_beat_and_saliency(teacher, members.subset(
                np.arange(min(len(members), saliency_beats))), k)
    plot_saliency(panels, test.fs, float(test.meta.get("before_s", 0.3)), outputs.saliency)
