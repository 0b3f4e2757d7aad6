"""Hi-C `sciml hic denoise` on coolers: time and peak memory per chromosome size, throughput in bins/s.

Each size runs in its own process (peak RSS is per process): a synthetic single-chromosome cooler at
10 kb with a power-law contact decay, per-bin biases and about 420 contacts per bin (a 1/16-thinned
human 10 kb map), pixels within 8 Mb; the default model's architecture (U-Net with tracks, reverse
averaging, 2 per-bin correctors; untrained weights: speed does not depend on them). Sizes: 5,000
bins (issue target < 20 s, < 3 GB) and 25,000 bins (a 250 Mb chromosome: must fit in 4 GB); the
whole-genome figure is the measured bins/s applied to hg38's ~309,000 bins at 10 kb (an estimate,
stated as such). Writes results/bench/hic_cool.json.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from sciml.files import write_text_atomic

SIZES = (5_000, 25_000)
BINSIZE = 10_000
CONTACTS_PER_BIN = 420.0
MAX_DISTANCE_BINS = 800
THREADS = 2
HG38_BINS_10KB = 308_839
TARGETS = {"seconds_5000_bins": 20, "peak_rss_mb_5000_bins": 3072, "peak_rss_mb_25000_bins": 4096}


def synthetic_cool(path: Path, n: int, seed: int = 0) -> Path:
    """A cooler with one n-bin chromosome: lambda_ij ~ b_i b_j (|i-j|+1)^-1.1, Poisson counts."""
    import cooler
    import pandas as pd

    rng = np.random.default_rng(seed)
    bias = np.exp(rng.normal(0, 0.3, n))
    decay = (np.arange(MAX_DISTANCE_BINS + 1) + 1.0) ** -1.1
    scale = CONTACTS_PER_BIN / (2 * decay.sum())

    def chunks():
        for lo in range(0, n, 2_000):
            rows = np.arange(lo, min(lo + 2_000, n))
            i = np.repeat(rows, MAX_DISTANCE_BINS + 1)
            j = i + np.tile(np.arange(MAX_DISTANCE_BINS + 1), rows.size)
            keep = j < n
            i, j = i[keep], j[keep]
            counts = rng.poisson(scale * bias[i] * bias[j] * decay[j - i])
            nz = counts > 0
            yield pd.DataFrame({"bin1_id": i[nz], "bin2_id": j[nz], "count": counts[nz]})

    bins = cooler.binnify(pd.Series({"chr1": n * BINSIZE}), BINSIZE)
    cooler.create_cooler(str(path), bins, chunks(), ordered=True, dtypes={"count": "int32"})
    return path


def default_model(folder: Path) -> Path:
    """The default model's architecture and 2 correctors, untrained, saved as a model folder."""
    import torch

    from sciml.hic.bincorrect import BinCorrector
    from sciml.hic.models import DENOISER_KIND, Denoiser, build_net
    from sciml.hic.settings import CorrectorSettings, DenoiserSettings
    from sciml.models import save_model

    torch.manual_seed(0)
    settings = DenoiserSettings()
    settings = replace(settings, model_kwargs=replace(settings.model_kwargs, in_channels=settings.input_channels()))
    kwargs = asdict(CorrectorSettings().model_kwargs)
    correctors = [BinCorrector(**kwargs) for _ in range(2)]
    save_model(folder, Denoiser(build_net("unet", **asdict(settings.model_kwargs)), settings, correctors),
               kind=DENOISER_KIND, settings=settings,
               extra={"correctors": {"model_kwargs": kwargs, "members": [{}, {}]}})
    return folder


def run_one(n: int, work: Path) -> dict:
    """Denoise an n-bin synthetic cooler in this process; time, CPU time, peak RSS."""
    import torch

    from sciml.hic.cooldenoise import denoise_cool

    torch.set_num_threads(THREADS)
    cool = synthetic_cool(work / f"in{n}.cool", n)
    model = default_model(work / "model")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    denoise_cool(model, cool, work / f"out{n}.cool", device="cpu", batch_size=32)
    seconds = time.perf_counter() - started
    return {"n_bins": n, "seconds": seconds, "cpu_seconds": time.process_time() - cpu,
            "bins_per_second": n / seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_rss_mb_before_denoise": before}


def main(out: Path = Path("results/bench/hic_cool.json"), sizes: tuple[int, ...] = SIZES) -> dict:
    """Every size in a fresh process; write `out`."""
    runs = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as work:
            done = subprocess.run([sys.executable, __file__, "--one", str(n), work], capture_output=True, text=True,
                                  check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    largest = max(runs, key=lambda r: r["n_bins"])
    result = {
        "binsize": BINSIZE, "contacts_per_bin": CONTACTS_PER_BIN, "max_distance_bins": MAX_DISTANCE_BINS,
        "threads": THREADS, "runs": runs,
        "whole_genome_hg38_10kb_estimated_seconds": HG38_BINS_10KB / largest["bins_per_second"],
        "whole_genome_hg38_10kb_estimated_cpu_seconds": HG38_BINS_10KB * largest["cpu_seconds"] / largest["n_bins"],
        "targets": TARGETS,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("results/bench/hic_cool.json")
        sizes = tuple(int(s) for s in sys.argv[2:]) or SIZES
        print(json.dumps(main(target, sizes), indent=2))
