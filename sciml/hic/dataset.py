"""Simulated data sets on disk: one folder per split with cools per depth and the planted truth."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.hic.biases import BiasParams
from sciml.hic.io import chromosome_sizes, read_matrix, read_weights, write_cool
from sciml.hic.simulate import (
    SimulatedChromosome,
    SimulationParams,
    simulate_chromosome,
    simulation_settings,
    thin,
)

EXPECTED = "expected.cool"
OBSERVED = "observed.cool"
TADS = "tads.bed"
LOOPS = "loops.bedpe"
SUMMARY = "simulation.json"


def thinned_name(denominator: int) -> str:
    """File name of the 1/`denominator` depth copy."""
    return f"thin{denominator}.cool"


def write_simulated_split(
    out_dir: str | os.PathLike[str], n_chroms: int, n_bins: int, params: SimulationParams,
    bias_params: BiasParams, depths: Sequence[int], seed: int, binsize: int = 10_000, prefix: str = "sim",
) -> Path:
    """Simulate `n_chroms` chromosomes and write them as a folder, atomically.

    Contents: expected.cool (float lambda; `weight` = 1/b_i, NaN on dead bins, so balancing gives the
    bias-free truth), observed.cool (full-depth counts), thin<K>.cool per K in `depths` (binomial
    thinning to 1/K), tads.bed (chrom, start, end, level), loops.bedpe, simulation.json.
    """
    rng = np.random.default_rng(seed)
    chroms: dict[str, SimulatedChromosome] = {}
    for k in tqdm(range(n_chroms), desc="simulate", unit="chrom", disable=None):
        chroms[f"{prefix}{k + 1}"] = simulate_chromosome(n_bins, params, bias_params, rng)
    thinned = {d: {c: thin(s.observed, 1.0 / d, rng) for c, s in chroms.items()} for d in depths}
    weights = {c: np.where(s.dead, np.nan, 1.0 / s.bias) for c, s in chroms.items()}
    with atomic_path(out_dir) as staged:
        staged.mkdir()
        write_cool(staged / EXPECTED, {c: s.expected for c, s in chroms.items()}, binsize, weights=weights)
        write_cool(staged / OBSERVED, {c: s.observed for c, s in chroms.items()}, binsize)
        for d, maps in thinned.items():
            write_cool(staged / thinned_name(d), maps, binsize)
        tads = pd.concat([s.tads.assign(chrom=c) for c, s in chroms.items()], ignore_index=True)
        bed = pd.DataFrame({"chrom": tads["chrom"], "start": tads["start"] * binsize,
                            "end": tads["end"] * binsize, "level": tads["level"]})
        bed.to_csv(staged / TADS, sep="\t", header=False, index=False)
        loops = [(c, i * binsize, (i + 1) * binsize, c, j * binsize, (j + 1) * binsize)
                 for c, s in chroms.items() for i, j in s.loops]
        pd.DataFrame(loops).to_csv(staged / LOOPS, sep="\t", header=False, index=False)
        summary = {"seed": seed, "binsize": binsize, "depths": list(depths),
                   "settings": simulation_settings(params, bias_params),
                   "chromosomes": {c: s.drawn for c, s in chroms.items()}}
        (staged / SUMMARY).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return Path(out_dir)


@dataclass
class SimulatedTruth:
    """Truth of one simulated chromosome read back from a split folder.

    Attributes:
        expected: lambda with biases; (N, N).
        balanced: the bias-free truth; (N, N).
        valid: usable bins; (N,) bool.
        boundaries: planted TAD/sub-TAD boundary bins.
        loops: loop bins; (K, 2).
    """

    expected: np.ndarray
    balanced: np.ndarray
    valid: np.ndarray
    boundaries: np.ndarray
    loops: np.ndarray


def read_truth(split_dir: str | os.PathLike[str], chrom: str) -> SimulatedTruth:
    """Read the truth of `chrom` from a folder written by `write_simulated_split`."""
    split_dir = Path(split_dir)
    for name in (EXPECTED, TADS, LOOPS, SUMMARY):
        if not (split_dir / name).is_file():
            raise InputError(split_dir / name, "missing from the simulated data folder")
    binsize = json.loads((split_dir / SUMMARY).read_text())["binsize"]
    expected = read_matrix(split_dir / EXPECTED, chrom)
    balanced = read_matrix(split_dir / EXPECTED, chrom, balance=True)
    valid = np.isfinite(read_weights(split_dir / EXPECTED, chrom))
    tads = pd.read_csv(split_dir / TADS, sep="\t", header=None, names=["chrom", "start", "end", "level"])
    tads = tads[tads["chrom"] == chrom]
    edges = np.unique(np.concatenate([tads["start"], tads["end"]]) // binsize)
    boundaries = edges[(edges > 0) & (edges < expected.shape[0])]
    loops_path = split_dir / LOOPS
    loops = (pd.read_csv(loops_path, sep="\t", header=None) if loops_path.stat().st_size else pd.DataFrame())
    if len(loops):
        loops = loops[loops[0] == chrom]
        pairs = np.stack([loops[1].to_numpy() // binsize, loops[4].to_numpy() // binsize], axis=1)
    else:
        pairs = np.zeros((0, 2), dtype=np.int64)
    return SimulatedTruth(expected, balanced, valid, boundaries, pairs.astype(np.int64))


def split_chromosomes(split_dir: str | os.PathLike[str]) -> list[str]:
    """Chromosome names of a simulated split folder."""
    return list(chromosome_sizes(Path(split_dir) / EXPECTED))
