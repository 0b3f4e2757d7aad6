"""Simulated Hi-C maps: distance decay x nested TADs x A/B compartments x loops x per-bin biases.

lambda_ij = D * b_i * b_j * c * (|i-j| + 1)^(-alpha) * F_ij, where F_ij multiplies block enrichment
of nested TADs, a compartment checkerboard exp(s * a_i * a_j) from a smooth +-1 track a, and
Gaussian loop dots at TAD corners. Counts are Poisson (or negative binomial) draws of lambda;
low-depth copies come from binomial thinning of the counts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.ndimage import gaussian_filter1d

from sciml.errors import ConfigError
from sciml.hic.biases import bin_biases
from sciml.hic.sample import binomial_thin
from sciml.hic.settings import BiasParams, Range, SimulationParams

__all__ = ["Range", "SimulatedChromosome", "SimulationParams", "simulate_chromosome", "thin"]


@dataclass
class SimulatedChromosome:
    """One simulated chromosome and its truth.

    Attributes:
        expected: lambda (with biases), the clean map; (N, N) float64.
        observed: counts at full depth; (N, N) int64.
        bias: per-bin bias b_i; (N,).
        dead: bins to mask; (N,) bool.
        tads: DataFrame(start, end, level) in bins, end exclusive; level 1 = TAD, 2 = sub-TAD.
        loops: bins (i < j) of planted loop centres; (K, 2) int.
        drawn: the structure parameters drawn for this chromosome.
    """

    expected: np.ndarray
    observed: np.ndarray
    bias: np.ndarray
    dead: np.ndarray
    tads: pd.DataFrame
    loops: np.ndarray
    drawn: dict = field(default_factory=dict)

    @property
    def boundaries(self) -> np.ndarray:
        """Sorted unique planted domain boundaries (bin indices where a TAD or sub-TAD starts), 0 excluded."""
        starts = np.concatenate([self.tads["start"].to_numpy(), self.tads["end"].to_numpy()])
        return np.unique(starts[(starts > 0) & (starts < self.bias.size)])


def nested_tads(n_bins: int, params: SimulationParams, rng: np.random.Generator) -> pd.DataFrame:
    """Partition [0, n_bins) into TADs; split some into two sub-TADs. Columns start, end, level."""
    low, high = int(params.tad_size_bins[0]), int(params.tad_size_bins[1])
    rows, start = [], 0
    while start < n_bins:
        end = min(start + int(rng.integers(low, high + 1)), n_bins)
        if n_bins - end < low:
            end = n_bins
        rows.append((start, end, 1))
        size = end - start
        if size >= 2 * max(low // 2, 4) and rng.random() < params.subtad_probability:
            cut = start + int(rng.integers(max(low // 2, 4), size - max(low // 2, 4) + 1))
            rows += [(start, cut, 2), (cut, end, 2)]
        start = end
    return pd.DataFrame(rows, columns=["start", "end", "level"])


def compartment_track(n_bins: int, smooth_bins: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth A/B track in [-1, 1], shape (n_bins,)."""
    track = gaussian_filter1d(rng.standard_normal(n_bins), sigma=smooth_bins, mode="reflect")
    return np.tanh(3.0 * track / max(track.std(), 1e-12))


def _draw(rng: np.random.Generator, bounds: Range) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


def structure_factor(
    n_bins: int, tads: pd.DataFrame, compartments: np.ndarray, loops: np.ndarray,
    tad_strength: float, subtad_strength: float, compartment_strength: float,
    loop_strength: float, loop_width: float,
) -> np.ndarray:
    """F_ij: TAD blocks x sub-TAD blocks x compartment checkerboard x loop dots, (N, N) float64."""
    level1 = tads[tads["level"] == 1]
    label = np.repeat(np.arange(len(level1)), (level1["end"] - level1["start"]).to_numpy())
    factor = np.where(label[:, None] == label[None, :], tad_strength, 1.0)
    sub = tads[tads["level"] == 2]
    if len(sub):
        sublabel = np.full(n_bins, -1)
        for k, (s, e) in enumerate(zip(sub["start"], sub["end"], strict=True)):
            sublabel[s:e] = k
        same = (sublabel[:, None] == sublabel[None, :]) & (sublabel[:, None] >= 0)
        factor[same] *= subtad_strength
    factor *= np.exp(compartment_strength * np.outer(compartments, compartments))
    radius = int(np.ceil(3 * loop_width))
    offsets = np.arange(-radius, radius + 1)
    dot = 1.0 + loop_strength * np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2 * loop_width**2))
    for i, j in loops:
        rows, cols = i + offsets, j + offsets
        ok_r, ok_c = (rows >= 0) & (rows < n_bins), (cols >= 0) & (cols < n_bins)
        patch = dot[np.ix_(ok_r, ok_c)]
        factor[np.ix_(rows[ok_r], cols[ok_c])] *= patch
        factor[np.ix_(cols[ok_c], rows[ok_r])] *= patch.T
    return factor


def simulate_chromosome(
    n_bins: int, params: SimulationParams, bias_params: BiasParams, rng: np.random.Generator
) -> SimulatedChromosome:
    """Draw structure and biases for one chromosome, its expected map and full-depth counts."""
    if n_bins < 2:
        raise ConfigError("hic.simulation.n_bins", f"must be >= 2, got {n_bins}")
    alpha = _draw(rng, params.alpha)
    drawn = {
        "alpha": alpha,
        "tad_strength": _draw(rng, params.tad_strength),
        "subtad_strength": _draw(rng, params.subtad_strength),
        "compartment_strength": _draw(rng, params.compartment_strength),
        "loop_strength": _draw(rng, params.loop_strength),
        "contacts_per_bin": _draw(rng, params.contacts_per_bin),
    }
    tads = nested_tads(n_bins, params, rng)
    top = tads[(tads["level"] == 1) & (tads["end"] - tads["start"] >= 6)]
    with_loop = rng.random(len(top)) < params.loop_fraction
    loops = np.stack([top["start"].to_numpy()[with_loop] + 1, top["end"].to_numpy()[with_loop] - 2], axis=1)
    loops = loops.reshape(-1, 2).astype(np.int64)
    compartments = compartment_track(n_bins, params.compartment_smooth_bins, rng)
    drawn_bias = bias_params.draw(rng)
    drawn |= {f"bias_{name}": getattr(drawn_bias, name) for name in bias_params.ranged()}
    bias, dead = bin_biases(n_bins, drawn_bias, rng)

    distance = np.abs(np.subtract.outer(np.arange(n_bins), np.arange(n_bins)))
    expected = (distance + 1.0) ** (-alpha)
    expected *= structure_factor(
        n_bins, tads, compartments, loops, drawn["tad_strength"], drawn["subtad_strength"],
        drawn["compartment_strength"], drawn["loop_strength"], params.loop_width_bins,
    )
    if params.max_distance_bins is not None:
        expected[distance > params.max_distance_bins] = 0.0
    del distance
    expected *= np.outer(bias, bias)
    observable = (~dead).sum() or n_bins
    expected *= drawn["contacts_per_bin"] * observable / expected.sum()
    observed = sample_counts(expected, rng, params.dispersion)
    return SimulatedChromosome(expected, observed, bias, dead, tads, loops, drawn)


def sample_counts(expected: np.ndarray, rng: np.random.Generator, dispersion: float | None = None) -> np.ndarray:
    """Symmetric counts Y ~ Poisson(lambda) (or NB with size `dispersion`), shape (N, N) int64."""
    iu = np.triu_indices(expected.shape[0])
    lam = expected[iu]
    if dispersion is not None:
        lam = rng.gamma(dispersion, lam / dispersion)
    upper = rng.poisson(lam)
    return _symmetric(upper, iu, expected.shape[0])


def thin(counts: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Binomial thinning of a symmetric integer map (`sciml.hic.sample.binomial_thin` of its upper triangle)."""
    if not 0 < fraction <= 1:
        raise ConfigError("hic.depths", f"thinning fraction must be in (0, 1], got {fraction}")
    iu = np.triu_indices(counts.shape[0])
    return _symmetric(binomial_thin(counts[iu], fraction, rng), iu, counts.shape[0])


def _symmetric(upper: np.ndarray, iu: tuple[np.ndarray, np.ndarray], n: int) -> np.ndarray:
    out = np.zeros((n, n), dtype=np.int64)
    out[iu] = upper
    out.T[iu] = upper
    return out


def simulation_settings(params: SimulationParams, bias_params: BiasParams) -> dict:
    """Plain-dict record of the settings (for provenance)."""
    return {"simulation": asdict(params), "bias": asdict(bias_params)}
