"""Hi-C: simulated contact maps with biases, ICE/smoothing baselines, CNN denoisers and their evaluation.

Library use::

    from sciml.hic import simulate_chromosome, SimulationParams, BiasParams, load_model, denoise_matrix
"""

from sciml.hic.baselines import apply_weights, balance, gaussian_smooth, ice_weights
from sciml.hic.biases import BiasParams, bin_biases
from sciml.hic.denoise import denoise_chromosome, denoise_matrix
from sciml.hic.io import read_matrix, read_weights, write_cool
from sciml.hic.loops import call_loops, loop_recall_precision
from sciml.hic.metrics import distance_pearson, patch_ssim_psnr, psnr, scc, ssim
from sciml.hic.models import Denoiser, build_net
from sciml.hic.settings import DenoiserSettings
from sciml.hic.simulate import SimulationParams, simulate_chromosome, thin
from sciml.hic.tads import TadCalling, boundary_f1, call_boundaries, insulation_score, tune_boundary_calling
from sciml.hic.tracks import bin_tracks
from sciml.models import load_model

__all__ = [
    "BiasParams",
    "Denoiser",
    "DenoiserSettings",
    "SimulationParams",
    "TadCalling",
    "apply_weights",
    "balance",
    "bin_biases",
    "bin_tracks",
    "boundary_f1",
    "build_net",
    "call_boundaries",
    "call_loops",
    "denoise_chromosome",
    "denoise_matrix",
    "distance_pearson",
    "gaussian_smooth",
    "ice_weights",
    "insulation_score",
    "load_model",
    "loop_recall_precision",
    "patch_ssim_psnr",
    "psnr",
    "read_matrix",
    "read_weights",
    "scc",
    "simulate_chromosome",
    "ssim",
    "thin",
    "tune_boundary_calling",
    "write_cool",
]
