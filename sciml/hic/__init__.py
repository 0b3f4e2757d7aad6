"""Hi-C: simulated contact maps with biases, ICE/smoothing baselines, CNN denoisers and their evaluation.

Library use::

    from sciml.hic import simulate_chromosome, SimulationParams, BiasParams, load_model, denoise_matrix
"""

from sciml.lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "apply_weights": ".baselines",
    "balance": ".baselines",
    "gaussian_smooth": ".baselines",
    "ice_weights": ".baselines",
    "BiasParams": ".biases",
    "bin_biases": ".biases",
    "denoise_chromosome": ".denoise",
    "denoise_matrix": ".denoise",
    "read_matrix": ".io",
    "read_weights": ".io",
    "write_cool": ".io",
    "call_loops": ".loops",
    "loop_recall_precision": ".loops",
    "distance_pearson": ".metrics",
    "patch_ssim_psnr": ".metrics",
    "psnr": ".metrics",
    "scc": ".metrics",
    "ssim": ".metrics",
    "Denoiser": ".models",
    "build_net": ".models",
    "DenoiserSettings": ".settings",
    "SimulationParams": ".simulate",
    "simulate_chromosome": ".simulate",
    "thin": ".simulate",
    "TadCalling": ".tads",
    "boundary_f1": ".tads",
    "call_boundaries": ".tads",
    "insulation_score": ".tads",
    "tune_boundary_calling": ".tads",
    "bin_tracks": ".tracks",
    "load_model": "sciml.models",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
