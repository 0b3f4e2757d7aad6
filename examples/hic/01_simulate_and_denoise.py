"""Simulate Hi-C maps with biases, train a small denoiser and compare it with ICE.

Shows the library path of the workflow: simulated splits with a planted truth
(`sciml.hic.pipeline.simulate`), a residual U-Net trained on (1/16 depth, bias-free truth) pairs
(`sciml.hic.pipeline.train`), the model folder loaded back with `sciml.load_model`, and the
HiCRep SCC of ICE, ICE + Gaussian smoothing and the denoiser against the truth on a held-out
chromosome. Set SCIML_EXAMPLES_QUICK=1 for a reduced run (fewer, smaller chromosomes; 1 epoch).
Outputs go to ./hic-example/.
"""

import os
from pathlib import Path

import numpy as np

import sciml
from sciml.hic import balance, gaussian_smooth, read_matrix, scc
from sciml.hic.dataset import read_truth, thinned_name
from sciml.hic.pipeline import simulate, train
from sciml.hic.settings import DenoiserSettings, FitSettings, SimulateSettings, TrainSettings, UNetNetwork

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
OUT = Path("hic-example")
N_BINS = 96 if QUICK else 300
DEPTH = 16

# 1. three simulated splits: train (randomised biases), val and test (held-out biases)
sizes = {"train": 2 if QUICK else 8, "val": 1 if QUICK else 2, "test": 1}
for split, n_chroms in sizes.items():
    if not (OUT / split).exists():
        settings = SimulateSettings(split=split, n_chroms=n_chroms, n_bins=N_BINS, depths=(DEPTH,), seed=0)
        simulate(OUT / split, settings)

# 2. a small U-Net (with the per-bin context tracks) on 1/16-depth maps
settings = TrainSettings(
    denoiser=DenoiserSettings(patch_size=32, stride=16, band_bins=40,
                              model_kwargs=UNetNetwork(channels=8, depth=2, blocks=1, bin_head=True)),
    fit=FitSettings(max_epochs=1 if QUICK else 6, batch_size=16),
    depths=(DEPTH,),
)
train(OUT / "train", OUT / "val", OUT / "model", settings, work_dir=OUT / "checkpoints", device="cpu")
denoiser = sciml.load_model(OUT / "model")  # a sciml.hic.models.Denoiser (nn.Module)

# 3. score ICE, ICE + Gauss and the denoiser against the bias-free truth of a test chromosome
chrom = "sim1"
truth = read_truth(OUT / "test", chrom)
low = read_matrix(OUT / "test" / thinned_name(DEPTH), chrom)
balanced, valid = balance(low)
maps = {"ice": balanced, "ice_gauss": gaussian_smooth(balanced, 1.0, valid), "model": denoiser.denoise(balanced)}
for name, m in maps.items():
    print(f"{name:10s} SCC vs truth: {scc(m, truth.balanced, 30, 1, truth.valid):.4f}")
np.save(OUT / "denoised_sim1.npy", maps["model"])
