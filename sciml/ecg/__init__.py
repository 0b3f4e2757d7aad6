"""ECG heartbeat classification: WFDB records -> AAMI beats -> 1D CNNs, calibration, compression.

Public API: reading records (`read_record`), beats (`BeatSet`, `extract_beats`, `annotated_beats`),
R-peak detection (`detect_r_peaks`), models (`BeatNet`, `BeatNetConfig`, `load_model`), training
(`train_beat_classifier`, `distill`), evaluation (`class_scores`, `patient_adaptive`), prediction
(`predict_record`), structured pruning (`prune_beatnet`), the end-to-end runners (`preprocess_records`,
`train_teacher`, `distill_student`, `prune_student`, `evaluate_models`) and their settings (`sciml.ecg.settings`).
"""

from sciml.ecg.aami import CLASSES, DS1, DS2, PACED_RECORDS, SYMBOL_TO_CLASS, class_index, split_records
from sciml.ecg.beats import RR_FEATURES, BeatSet, annotated_beats, extract_beats, rr_features
from sciml.ecg.compress import distill, latency_ms_per_beat, model_size_bytes, quantize_int8
from sciml.ecg.dataset import available_records, load_annotated_beats
from sciml.ecg.detect import detect_r_peaks, score_detections, xqrs_r_peaks
from sciml.ecg.evaluate import calibrated_scores, patient_adaptive, per_record_table, rpeak_table
from sciml.ecg.models import BeatNet, BeatNetConfig, load_model, save_classifier
from sciml.ecg.pipeline import (
    distill_student,
    evaluate_models,
    preprocess_records,
    prune_student,
    score_rpeaks,
    train_teacher,
)
from sciml.ecg.predict import predict_record
from sciml.ecg.pruning import prune_beatnet
from sciml.ecg.records import Record, read_record
from sciml.ecg.scores import class_scores, confusion
from sciml.ecg.settings import (
    DistillSettings,
    EvaluateSettings,
    Network,
    Preprocessing,
    PreprocessSettings,
    PruneSettings,
    RPeakSettings,
    TrainSettings,
)
from sciml.ecg.training import predict_logits, train_beat_classifier

__all__ = [
    "CLASSES", "DS1", "DS2", "PACED_RECORDS", "RR_FEATURES", "SYMBOL_TO_CLASS",
    "BeatNet", "BeatNetConfig", "BeatSet", "DistillSettings", "EvaluateSettings", "Network", "Preprocessing",
    "PreprocessSettings", "PruneSettings", "RPeakSettings", "Record", "TrainSettings",
    "annotated_beats", "available_records", "calibrated_scores", "class_index", "class_scores", "confusion",
    "detect_r_peaks", "distill", "distill_student", "evaluate_models", "extract_beats", "latency_ms_per_beat", "load_annotated_beats", "load_model",
    "model_size_bytes", "patient_adaptive", "per_record_table", "predict_logits", "predict_record",
    "preprocess_records", "prune_beatnet", "prune_student", "quantize_int8", "read_record", "rpeak_table", "rr_features", "save_classifier",
    "score_detections", "score_rpeaks", "split_records", "train_beat_classifier", "train_teacher", "xqrs_r_peaks",
]
