"""ECG speed benchmark -> results/bench/ecg.json.

Times, on CPU with one thread: reading + filtering + R-peak detection + beat extraction +
classification of whole 30-minute MIT-BIH records (target < 5 s each), our detector against
wfdb's XQRS, and per-beat latency of teacher, student, int8 student, pruned student and int8 pruned
student at batch 1 and 256, side by side in one loop, the float models as trained, re-parametrised for
inference (`InferenceBeatNet`, same logits) and as deployed (`deployed_model`: that, frozen by TorchScript).
Uses the trained models of `--models` (default results/ecg/: model/, student/, student_pruned/) when present,
else freshly initialised ones of the default architecture, pruned at the default ratio (speed does not depend
on the weights).
Run: `python benchmarks/ecg.py [--records 100,113] [--mitdb DIR] [--models DIR]` (data via sciml.data.fetch).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="100,113,202")
    parser.add_argument("--mitdb", type=Path, default=None, help="folder of records (default: fetch mitdb)")
    parser.add_argument("--models", type=Path, default=Path("results/ecg"),
                        help="folder with model/, student/ and (optionally) student_pruned/")
    parser.add_argument("--out", type=Path, default=Path("results/bench/ecg.json"))
    args = parser.parse_args()
    torch.set_num_threads(1)

    from sciml.data import fetch
    from sciml.ecg.beats import extract_beats
    from sciml.ecg.compress import (
        InferenceBeatNet,
        deployed_model,
        latencies_ms_per_beat,
        model_size_bytes,
        quantize_int8,
    )
    from sciml.ecg.detect import detect_r_peaks, xqrs_r_peaks
    from sciml.ecg.models import BeatNet, BeatNetConfig, load_model
    from sciml.ecg.pruning import prune_beatnet
    from sciml.ecg.records import read_record
    from sciml.ecg.settings import Preprocessing, PruneSettings
    from sciml.ecg.training import predict_logits
    from sciml.files import write_text_atomic

    folder = args.mitdb or fetch("mitdb")
    teacher_dir, student_dir, pruned_dir = (args.models / name for name in ("model", "student", "student_pruned"))
    trained = teacher_dir.is_dir() and student_dir.is_dir()
    if trained:
        teacher, student = load_model(teacher_dir), load_model(student_dir)
        prep = teacher.preprocessing
    else:
        prep = Preprocessing()
        teacher = BeatNet(BeatNetConfig()).eval()
        student = BeatNet(BeatNetConfig(width_multiplier=0.5, dilations=(2, 4))).eval()
    trained_pruned = trained and pruned_dir.is_dir()
    pruned = load_model(pruned_dir) if trained_pruned else prune_beatnet(student, PruneSettings().ratio)

    records = {}
    for name in args.records.split(","):
        started = time.perf_counter()
        record = read_record(folder / name, leads=prep.leads, fs=prep.fs, band_hz=tuple(prep.band_hz),
                             second_leads=prep.second_leads)
        read_s = time.perf_counter() - started
        t = time.perf_counter()
        peaks = detect_r_peaks(record.signal, record.fs)
        detect_s = time.perf_counter() - t
        t = time.perf_counter()
        beats = extract_beats(record, peaks, before_s=prep.before_s, after_s=prep.after_s,
                              two_leads=bool(prep.second_leads))
        logits = predict_logits(InferenceBeatNet(teacher), beats)
        classify_s = time.perf_counter() - t
        t = time.perf_counter()
        xqrs_r_peaks(record.signal, record.fs)
        xqrs_s = time.perf_counter() - t
        records[name] = {"duration_s": record.duration_s, "n_beats": len(logits), "read_filter_seconds": read_s,
                         "detect_seconds": detect_s, "classify_seconds": classify_s,
                         "total_seconds": read_s + detect_s + classify_s, "xqrs_detect_seconds": xqrs_s}
        last_beats = beats
    floats = {"teacher": teacher, "student": student, "student_pruned": pruned}
    timed = dict(floats)
    for name, model in floats.items():
        if name != "teacher":
            timed[f"{name}_int8"] = quantize_int8(model, last_beats)
        timed[f"{name}_inference"] = InferenceBeatNet(model)
        timed[f"{name}_deployed"] = deployed_model(model)
    b1 = latencies_ms_per_beat(timed, last_beats, 1, repeats=200)
    b256 = latencies_ms_per_beat(timed, last_beats, 256, repeats=20)
    trained_form = {f"{name}_deployed": model for name, model in floats.items()}  # frozen modules hold no parameters
    models = {label: {"size_bytes": model_size_bytes(trained_form.get(label, model)), "latency_b1_ms_per_beat": b1[label],
                      "latency_b256_ms_per_beat": b256[label]} for label, model in timed.items()}
    result = {
        "records": records,
        "max_record_total_seconds": max(r["total_seconds"] for r in records.values()),
        "models": models,
        "trained_models": trained,
        "trained_pruned_model": trained_pruned,
        "machine": {"python": platform.python_version(), "torch": torch.__version__, "threads": 1,
                    "processor": platform.processor() or platform.machine()},
        "note": "wall times on a shared machine; contention inflates them; latencies are best-of-N with the models timed in turn",
    }
    write_text_atomic(args.out, json.dumps(result, indent=2, sort_keys=True) + "\n")
    print(json.dumps({"max_record_total_seconds": result["max_record_total_seconds"],
                      **{k: v["latency_b1_ms_per_beat"] for k, v in models.items()}}, indent=1))
    return 0 if np.isfinite(result["max_record_total_seconds"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
