"""Per-bin multiplicative Hi-C biases: GC-like, mappability-like and restriction-site tracks."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d

from sciml.hic.settings import BiasParams

__all__ = ["BiasParams", "bin_biases", "dead_bins"]


def _smooth_track(n_bins: int, smooth_bins: float, rng: np.random.Generator) -> np.ndarray:
    """Standardised smooth Gaussian track, shape (n_bins,)."""
    track = gaussian_filter1d(rng.standard_normal(n_bins), sigma=max(smooth_bins, 1e-3), mode="reflect")
    return (track - track.mean()) / max(track.std(), 1e-12)


def dead_bins(n_bins: int, fraction: float, rng: np.random.Generator, run_length: int = 3) -> np.ndarray:
    """Boolean mask (n_bins,) of unmappable bins, placed in runs of about `run_length`."""
    dead = np.zeros(n_bins, dtype=bool)
    n_runs = int(round(fraction * n_bins / run_length))
    for start in rng.integers(0, max(n_bins - run_length, 1), size=n_runs):
        dead[start:start + rng.integers(1, 2 * run_length)] = True
    return dead


def bin_biases(n_bins: int, params: BiasParams, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Per-bin multiplicative bias b_i and the mask of bins that are effectively unobservable.

    Returns:
        (bias, dead): bias positive, mean 1 over observable bins, ~1e-3 on dead bins; dead True
        where b_i is near zero (mask these in any evaluation).

    Shapes:
        bias: (n_bins,) float64; dead: (n_bins,) bool.
    """
    if params.ranged():
        raise ValueError(f"bias parameters {params.ranged()} are ranges: call params.draw(rng) first")
    gc = np.exp(params.gc_sigma * _smooth_track(n_bins, params.gc_smooth_bins, rng))
    logistic = 1.0 / (1.0 + np.exp(-2.0 * _smooth_track(n_bins, 2 * params.gc_smooth_bins, rng)))
    mappability = params.mappability_floor + (1.0 - params.mappability_floor) * logistic
    restriction = np.exp(params.re_sigma * rng.standard_normal(n_bins))
    bias = gc * mappability * restriction
    dead = dead_bins(n_bins, params.dead_fraction, rng)
    bias /= bias[~dead].mean() if (~dead).any() else 1.0
    bias[dead] = 1e-3
    return bias, dead
