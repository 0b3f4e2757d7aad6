"""R-peak detectors on every record of the mitdb folder -> results/bench/ecg_rpeaks.json (+ .tsv per record).

Our detector (`sciml.ecg.detect.detect_r_peaks`), wfdb's XQRS (`wfdb.processing.xqrs_detect`) and NeuroKit2's
default (`nk.ecg_clean` then `nk.ecg_peaks`, method "neurokit") run on the same signal: the lead the models
read (MLII, else the preference list), resampled to 180 Hz and band-passed 0.5-40 Hz. Each is scored against
the reference beat annotations (AAMI beat symbols) with a 150 ms matching window, on the whole record and
with the ventricular flutter stretches removed (`detect.flutter_intervals`; reference beats and detections
inside them are dropped, as AAMI EC57 does). Wall time per detector is the sum over records (one thread,
shared machine).
Run: `python benchmarks/ecg_rpeaks.py [--mitdb DIR] [--records 100,207]` (data via sciml.data.fetch).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd


def neurokit_r_peaks(x: np.ndarray, fs: float) -> np.ndarray:
    """R peaks by NeuroKit2's default ECG pipeline (ecg_clean, then ecg_peaks with method "neurokit")."""
    import neurokit2 as nk

    _, info = nk.ecg_peaks(nk.ecg_clean(x, sampling_rate=int(round(fs))), sampling_rate=int(round(fs)))
    return np.asarray(info["ECG_R_Peaks"], dtype=np.int64)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mitdb", type=Path, default=None, help="folder of records (default: fetch mitdb)")
    parser.add_argument("--records", default=None, help="comma-separated names (default: every record)")
    parser.add_argument("--out", type=Path, default=Path("results/bench/ecg_rpeaks.json"))
    args = parser.parse_args()

    from sciml.data import fetch
    from sciml.ecg.dataset import available_records
    from sciml.ecg.detect import (
        detect_r_peaks,
        flutter_intervals,
        outside_intervals,
        score_detections,
        xqrs_r_peaks,
    )
    from sciml.ecg.records import read_record
    from sciml.ecg.settings import Preprocessing
    from sciml.files import write_text_atomic

    folder = args.mitdb or fetch("mitdb")
    names = args.records.split(",") if args.records else available_records(folder)
    prep = Preprocessing()
    detectors = {"sciml": detect_r_peaks, "xqrs": xqrs_r_peaks, "neurokit2": neurokit_r_peaks}
    seconds = dict.fromkeys(detectors, 0.0)
    rows = []
    for name in names:
        record = read_record(folder / name, leads=prep.leads, fs=prep.fs, band_hz=prep.band_hz)
        scale = record.fs / record.native_fs
        flutter = np.round(flutter_intervals(str(folder / name)) * scale).astype(np.int64)
        reference = record.ann_sample
        kept_reference = reference[outside_intervals(reference, flutter)]
        row: dict[str, object] = {"record": name, "lead": record.lead, "n_beats": len(reference),
                                  "flutter_s": float((flutter[:, 1] - flutter[:, 0]).sum() / record.fs)}
        for label, detector in detectors.items():
            started = time.perf_counter()
            found = detector(record.signal, record.fs)
            seconds[label] += time.perf_counter() - started
            for suffix, ref, det in (("", reference, found),
                                     ("_no_vf", kept_reference, found[outside_intervals(found, flutter)])):
                score = score_detections(ref, det, record.fs, 0.15)
                row.update({f"{label}{suffix}_fn": score.fn, f"{label}{suffix}_fp": score.fp,
                            f"{label}{suffix}_tp": score.tp})
        rows.append(row)
        print(name, {k: row[k] for k in row if k.endswith(("_fn", "_fp")) and "no_vf" not in k}, flush=True)
    table = pd.DataFrame(rows)
    pooled = {}
    for label in detectors:
        for suffix in ("", "_no_vf"):
            tp, fn, fp = (int(table[f"{label}{suffix}_{k}"].sum()) for k in ("tp", "fn", "fp"))
            pooled[f"{label}{suffix}"] = {"se": tp / max(tp + fn, 1), "ppv": tp / max(tp + fp, 1),
                                          "tp": tp, "fn": fn, "fp": fp}
    result = {
        "pooled": pooled,
        "seconds": seconds,
        "n_records": len(table),
        "n_beats": int(table["n_beats"].sum()),
        "window_s": 0.15,
        "fs": prep.fs,
        "records": rows,
        "machine": {"python": platform.python_version(), "threads": 1,
                    "processor": platform.processor() or platform.machine()},
        "note": "wall times on a shared machine; contention inflates them",
    }
    write_text_atomic(args.out, json.dumps(result, indent=2) + "\n")
    write_text_atomic(args.out.with_suffix(".tsv"), table.to_csv(sep="\t", index=False))
    print(json.dumps(pooled, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
