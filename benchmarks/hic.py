"""Hi-C speed and memory: simulate a 5,000-bin chromosome; denoise one within a 2 Mb band with the
simulation-only model (U-Net + per-bin correctors), with the default model (gated correction of
ICE + Gaussian with the depth channel, no correctors) and with the DeepHiC-style GAN's generator
(the baseline's default size), side by side.

Writes results/bench/hic.json. Targets (issue 4): simulate < 10 s; denoise < 30 s on 2 cores with
peak memory < 4 GB. Wall times depend on machine load, so CPU times (summed over threads) are
recorded too; the JSON records the thread count used.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from sciml.files import write_text_atomic
from sciml.hic.baselines import balance
from sciml.hic.biases import BiasParams
from sciml.hic.bincorrect import BinCorrector
from sciml.hic.denoise import denoise_chromosome
from sciml.hic.models import build_net
from sciml.hic.settings import DeepHiCSettings, DenoiserSettings, RealDenoiser
from sciml.hic.simulate import SimulationParams, simulate_chromosome, thin
from sciml.hic.tracks import N_TRACKS

N_BINS = 5_000
BAND_BINS = 200  # 2 Mb at 10 kb
THREADS = 2
N_CORRECTORS = 2  # hic.bin_corrector.seeds (sciml.hic.settings.CorrectorSettings)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (MB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(out: Path = Path("results/bench/hic.json"), n_bins: int = N_BINS) -> dict:
    """Run both measurements on an `n_bins` chromosome (the issue's size by default) and write `out`."""
    torch.set_num_threads(THREADS)
    rng = np.random.default_rng(0)
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    chrom = simulate_chromosome(n_bins, SimulationParams(), BiasParams(), rng)
    simulate_seconds = time.perf_counter() - started
    simulate_cpu_seconds = time.process_time() - cpu
    simulate_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    low = thin(chrom.observed, 1 / 16, rng)
    del chrom
    balanced, _ = balance(low)
    # the default model's architecture: U-Net with the per-bin context tracks as extra channels, applied to
    # the chromosome and to its bin-reversed copy (reverse_average), then the chromosome-level per-bin
    # corrector ensemble of the default config (2 seeds; untrained weights: speed does not depend on them)
    model = build_net("unet", in_channels=2 + 2 * N_TRACKS, channels=16, depth=2, blocks=1, bin_head=True).eval()
    config = DenoiserSettings(patch_size=64, band_bins=BAND_BINS, bin_tracks=True, reverse_average=True)
    started, cpu = time.perf_counter(), time.process_time()
    correctors = [BinCorrector().eval() for _ in range(N_CORRECTORS)]
    denoised = denoise_chromosome(model, config, balanced, correctors=correctors, batch_size=32)
    denoise_seconds = time.perf_counter() - started
    denoise_cpu_seconds = time.process_time() - cpu
    assert denoised.shape == (n_bins, n_bins)
    default = RealDenoiser(patch_size=64, band_bins=BAND_BINS)
    default_net = build_net("unet", **{**asdict(default.model_kwargs), "in_channels": default.input_channels()}).eval()
    started, cpu = time.perf_counter(), time.process_time()
    denoised = denoise_chromosome(default_net, default, balanced, batch_size=32)
    default_seconds = time.perf_counter() - started
    default_cpu_seconds = time.process_time() - cpu
    gan = DeepHiCSettings(patch_size=64, band_bins=BAND_BINS)
    gan_net = build_net("deephic", **asdict(gan.model_kwargs)).eval()
    started, cpu = time.perf_counter(), time.process_time()
    denoised = denoise_chromosome(gan_net, gan, balanced, batch_size=32)
    gan_seconds = time.perf_counter() - started
    gan_cpu_seconds = time.process_time() - cpu
    result = {
        "n_bins": n_bins,
        "band_bins": BAND_BINS,
        "threads": THREADS,
        "n_correctors": N_CORRECTORS,
        "simulate_seconds": simulate_seconds,
        "simulate_cpu_seconds": simulate_cpu_seconds,
        "simulate_peak_numpy_mb": simulate_peak_mb,
        "denoise_seconds": denoise_seconds,
        "denoise_cpu_seconds": denoise_cpu_seconds,
        "denoise_default_model_seconds": default_seconds,
        "denoise_default_model_cpu_seconds": default_cpu_seconds,
        "denoise_deephic_seconds": gan_seconds,
        "denoise_deephic_cpu_seconds": gan_cpu_seconds,
        "process_peak_rss_mb": peak_rss_mb(),
        "targets": {"simulate_seconds": 10, "denoise_seconds": 30, "peak_memory_mb": 4096},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("results/bench/hic.json")
    print(json.dumps(main(target, int(sys.argv[2]) if len(sys.argv) > 2 else N_BINS), indent=2))
