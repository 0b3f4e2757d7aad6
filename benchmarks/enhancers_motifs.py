"""Speed of motif discovery -> results/bench/enhancers_motifs.json.

Measures (CPU, 1 thread unless SCIML_BENCH_THREADS is set), side by side:

- attribution throughput (sequences/s, 200 bp) of DeepLIFT/SHAP with hypothetical contributions
  (tangermeme, 20 dinucleotide-shuffled references per sequence) and, beside it, in-silico
  saturation mutagenesis, on the ChIP-seq task's motif CNN (`ChipSeqSettings`);
- TF-MoDISco (modisco-lite) + its HTML report with the memelite Tomtom backend against all
  JASPAR 2024 CORE vertebrate motifs on 10,000 sequences of 200 bp (target < 3 min), with
  contributions that carry two known motifs at known positions (so the clustering has real
  patterns to find), and beside it the cheaper route: first-layer filter PWMs + Tomtom.

SCIML_BENCH_SEQUENCES sets the modisco sequence count (default 10000). Timings on a shared
machine vary with its load; the file records the load average at the start.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

import sciml.enhancers  # noqa: F401  (sets the numba threading layer before memelite loads)
from sciml.enhancers.attribution import deep_lift_shap, ism
from sciml.enhancers.io import meme_text
from sciml.enhancers.jaspar import load_jaspar, select_motifs
from sciml.enhancers.matching import tomtom_compare
from sciml.enhancers.models import MotifCNNConfig, build_model
from sciml.enhancers.modisco import modisco_report, read_patterns, run_modisco
from sciml.enhancers.pwm import filter_pwms
from sciml.enhancers.settings import ChipSeqSettings
from sciml.files import write_text_atomic
from sciml.train.seed import seed_everything

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "results/bench/enhancers_motifs.json")


def planted_contributions(motifs: list[np.ndarray], n: int, length: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random sequences with one consensus instance of a random motif each, and hypothetical
    contributions equal to the motif's centred log-odds at its positions (small noise elsewhere).

    Shapes:
        -> X (n, 4, length), hypothetical (n, 4, length).
    """
    rng = np.random.default_rng(seed)
    bases = rng.integers(0, 4, (n, length))
    hyp = rng.normal(0, 0.01, (n, 4, length)).astype(np.float32)
    for i in range(n):
        ppm = motifs[rng.integers(len(motifs))]
        width = ppm.shape[1]
        start = rng.integers(0, length - width)
        bases[i, start:start + width] = ppm.argmax(axis=0)
        log_odds = np.log2(ppm / 0.25)
        hyp[i, :, start:start + width] = log_odds - log_odds.mean(axis=0, keepdims=True)
    return np.eye(4, dtype=np.float32)[bases].transpose(0, 2, 1).copy(), hyp


def main() -> None:
    threads = int(os.environ.get("SCIML_BENCH_THREADS", "1"))
    n_modisco = int(os.environ.get("SCIML_BENCH_SEQUENCES", "10000"))
    torch.set_num_threads(threads)
    seed_everything(0)
    load = os.getloadavg()[0]
    jaspar = load_jaspar()
    settings = ChipSeqSettings()
    model = build_model(MotifCNNConfig.for_data(settings.model, 200, ["task"])).eval()
    rng = np.random.default_rng(0)
    X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (200, 200))].transpose(0, 2, 1).copy()
    started = time.perf_counter()
    deep_lift_shap(model, X, n_shuffles=20, hypothetical=True)
    dls_rate = len(X) / (time.perf_counter() - started)
    started = time.perf_counter()
    ism(model, X[:50])
    ism_rate = 50 / (time.perf_counter() - started)

    motifs = [m.ppm for m in select_motifs(jaspar, ["GABPA", "SP1"])]
    Xm, hyp = planted_contributions(motifs, n_modisco, 200, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp) / "modisco.h5"
        started = time.perf_counter()
        run_modisco(Xm, hyp, h5)
        modisco_seconds = time.perf_counter() - started
        patterns = read_patterns(h5)
        database = Path(tmp) / "jaspar.meme"
        database.write_text(meme_text([(f"{m.matrix_id} {m.name}", m.ppm, 20) for m in jaspar]))
        started = time.perf_counter()
        modisco_report(h5, Path(tmp) / "report", database)
        tomtom_compare({p.name: p.ppm for p in patterns}, jaspar, n_jobs=threads)
        report_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pwms = filter_pwms(model, Xm[:2000])
    tomtom_compare({p.name: p.ppm for p in pwms}, jaspar, n_jobs=threads)
    filter_seconds = time.perf_counter() - started

    result = {
        "machine": {"platform": platform.platform(), "threads": threads, "load_average_1min": load},
        "attribution_sequences_per_s": {"deep_lift_shap_hypothetical_20_shuffles": dls_rate,
                                        "saturation_mutagenesis": ism_rate},
        "motif_discovery_seconds": {
            "n_sequences": n_modisco,
            "modisco": modisco_seconds,
            "report_and_tomtom": report_seconds,
            "modisco_plus_report": modisco_seconds + report_seconds,
            "target_modisco_plus_report": 180.0,
            "filter_pwms_2000_sequences_plus_tomtom": filter_seconds,
        },
        "modisco_patterns": len(patterns),
    }
    write_text_atomic(OUT, json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
