"""ECG heartbeat classification: WFDB records -> AAMI beats -> 1D CNNs, calibration, compression.

Public API: reading records (`read_record`), beats (`BeatSet`, `extract_beats`, `annotated_beats`),
R-peak detection (`detect_r_peaks`), models (`BeatNet`, `BeatNetConfig`, `load_model`), training
(`train_beat_classifier`, `distill`), evaluation (`class_scores`, `patient_adaptive`), prediction
(`predict_record`), structured pruning (`prune_beatnet`), the end-to-end runners (`preprocess_records`,
`train_teacher`, `distill_student`, `prune_student`, `evaluate_models`) and their settings (`sciml.ecg.settings`).
"""

from sciml.lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "CLASSES": ".aami",
    "DS1": ".aami",
    "DS2": ".aami",
    "PACED_RECORDS": ".aami",
    "SYMBOL_TO_CLASS": ".aami",
    "class_index": ".aami",
    "split_records": ".aami",
    "BeatSet": ".beats",
    "RR_FEATURES": ".beats",
    "annotated_beats": ".beats",
    "extract_beats": ".beats",
    "rr_features": ".beats",
    "distill": ".compress",
    "latency_ms_per_beat": ".compress",
    "model_size_bytes": ".compress",
    "quantize_int8": ".compress",
    "available_records": ".dataset",
    "load_annotated_beats": ".dataset",
    "detect_r_peaks": ".detect",
    "score_detections": ".detect",
    "xqrs_r_peaks": ".detect",
    "calibrated_scores": ".evaluate",
    "patient_adaptive": ".evaluate",
    "per_record_table": ".evaluate",
    "rpeak_table": ".evaluate",
    "BeatNet": ".models",
    "BeatNetConfig": ".models",
    "load_model": ".models",
    "save_classifier": ".models",
    "distill_student": ".pipeline",
    "evaluate_models": ".pipeline",
    "preprocess_records": ".pipeline",
    "prune_student": ".pipeline",
    "score_rpeaks": ".pipeline",
    "train_teacher": ".pipeline",
    "predict_record": ".predict",
    "prune_beatnet": ".pruning",
    "Record": ".records",
    "read_record": ".records",
    "class_scores": ".scores",
    "confusion": ".scores",
    "DistillSettings": ".settings",
    "EvaluateSettings": ".settings",
    "Network": ".settings",
    "PreprocessSettings": ".settings",
    "PruneSettings": ".settings",
    "Preprocessing": ".settings",
    "RPeakSettings": ".settings",
    "TrainSettings": ".settings",
    "predict_logits": ".training",
    "train_beat_classifier": ".training",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
