"""Speed of the enhancers pipeline on this machine -> results/bench/enhancers.json.

Measures (CPU, 1 thread unless SCIML_BENCH_THREADS is set), for the synthetic-set motif CNN of the
default settings (`sciml.enhancers.settings`): training throughput (sequences/s, 200 bp; with the configured
task weighting of the loss and, beside it, plain BCE), prediction throughput, and
PWM extraction from its first-layer filters + Tomtom against all JASPAR 2024 CORE vertebrate
motifs (target < 10 s); and for the gkm-SVM of the iEnhancer section, its fit (inner-CV choice of C
plus the final fit) on 2,968 sequences (the size of iEnhancer-2L layer 1) and its prediction
throughput; and the exact Bayes posterior of the planted-motif generator (the synthetic set's
ceiling, computed on the test split by the workflow) per 1,000 sequences; and the training
throughput of the ChIP-seq jobs' model with its whole-sequence filter means (`global_pool`) beside
the same model without them. Timings on a shared machine vary with its load.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import torch

import sciml.enhancers  # noqa: F401  (sets the numba threading layer before memelite loads)
from sciml.enhancers.bayes import bayes_posterior
from sciml.enhancers.evaluate import predict_proba
from sciml.enhancers.gkm import GkmSVM
from sciml.enhancers.jaspar import load_jaspar, select_motifs
from sciml.enhancers.matching import tomtom_compare
from sciml.enhancers.models import MotifCNNConfig, build_model
from sciml.enhancers.pwm import filter_pwms
from sciml.enhancers.settings import KOO_EDDY_TFS, ChipSeqModelSettings, IEnhancerSettings, SyntheticSettings
from sciml.enhancers.synthetic import planted_motif_set
from sciml.enhancers.training import RCWeightedLoss, rc_augmented_loss
from sciml.files import write_text_atomic
from sciml.train.fit import LossFn
from sciml.train.seed import seed_everything

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "results/bench/enhancers.json")


def train_rate(model: torch.nn.Module, loss_fn: LossFn, X: torch.Tensor, y: torch.Tensor) -> float:
    """Sequences/s of one training epoch over `X (N, 4, L)`, `y (N, T)` in batches of 128."""
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    started = time.perf_counter()
    for start in range(0, len(X), 128):
        optimizer.zero_grad()
        loss = loss_fn(model, (X[start:start + 128], y[start:start + 128]))
        loss.backward()
        optimizer.step()
    return len(X) / (time.perf_counter() - started)


def main() -> None:
    threads = int(os.environ.get("SCIML_BENCH_THREADS", "1"))
    torch.set_num_threads(threads)
    seed_everything(0)
    started = time.perf_counter()
    jaspar = load_jaspar()
    load_seconds = time.perf_counter() - started
    planted = select_motifs(jaspar, KOO_EDDY_TFS)
    X, y = planted_motif_set([m.frequencies for m in planted], n=4096, length=200, seed=0)
    synthetic, ienhancer = SyntheticSettings(), IEnhancerSettings()  # the default run's settings
    model = build_model(MotifCNNConfig.for_data(synthetic.model, 200, [m.name for m in planted]))
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    train_rate(build_model(model.config), rc_augmented_loss, Xt[:256], yt[:256])  # warm-up, not reported
    loss_fn = RCWeightedLoss(synthetic.loss)  # the default's task weighting
    plain_rate = train_rate(build_model(model.config), rc_augmented_loss, Xt, yt)
    rate = train_rate(model, loss_fn, Xt, yt)
    chipseq = {}
    for global_pool in (True, False):  # the ChIP-seq model (one task) with and without the filter means
        settings = ChipSeqModelSettings(global_pool=global_pool)
        chip_model = build_model(MotifCNNConfig.for_data(settings, 200, ["peak"]))
        chipseq[f"global_pool_{str(global_pool).lower()}"] = round(
            train_rate(chip_model, rc_augmented_loss, Xt, yt[:, :1]), 1)
    started = time.perf_counter()
    predict_proba(model, X, batch_size=512)
    predict_rate = len(X) / (time.perf_counter() - started)
    tomtom_compare({"warm": planted[0].ppm}, jaspar[:30])  # numba compilation, not timed
    started = time.perf_counter()
    pwms = filter_pwms(model, X)
    tomtom_compare({p.name: p.ppm for p in pwms}, jaspar, n_jobs=threads)
    pwm_tomtom = time.perf_counter() - started
    gkm = ienhancer.gkm
    started = time.perf_counter()
    svm = GkmSVM.fit(X[:2968], y[:2968, 0].astype(int), gkm.word, gkm.informative, seed=0)
    gkm_fit = time.perf_counter() - started
    started = time.perf_counter()
    svm.predict_proba(X)
    gkm_predict_rate = len(X) / (time.perf_counter() - started)
    started = time.perf_counter()
    bayes_posterior(X[:1000], [m.frequencies for m in planted], count_weights=synthetic.count_weights)
    bayes_seconds = time.perf_counter() - started
    report = {
        "threads": threads,
        "machine": platform.processor() or platform.machine(),
        "note": "shared 2-core machine; timings depend on its load",
        "train_sequences_per_s": round(rate, 1),
        "train_loss_weighting": loss_fn.weighting,
        "train_sequences_per_s_plain_bce": round(plain_rate, 1),
        "chipseq_model_train_sequences_per_s": chipseq,
        "predict_sequences_per_s": round(predict_rate, 1),
        "pwm_extraction_plus_tomtom_seconds": round(pwm_tomtom, 2),
        "n_filters": model.config.n_filters,
        "n_filter_pwms": len(pwms),
        "n_jaspar_motifs": len(jaspar),
        "jaspar_load_seconds": round(load_seconds, 2),
        "pwm_tomtom_under_10s": pwm_tomtom < 10,
        "bayes_posterior_seconds_per_1000_sequences": round(bayes_seconds, 2),
        "gkm_svm": {"word": gkm.word, "informative": gkm.informative, "fit_sequences": 2968,
                    "fit_seconds": round(gkm_fit, 2), "predict_sequences_per_s": round(gkm_predict_rate, 1)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(OUT, json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
