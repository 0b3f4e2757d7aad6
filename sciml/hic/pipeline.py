"""End-to-end evaluation runs: every method on simulated test chromosomes and on a thinned real map."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sciml.hic.baselines import balance, ice_weights, unbalance
from sciml.hic.cool import read_matrix
from sciml.hic.dataset import SimulatedTruth, read_truth, split_chromosomes, thinned_name
from sciml.hic.denoise import Denoiser
from sciml.hic.evaluate import (
    RAW_SPACE,
    EvalSettings,
    curves_table,
    method_maps,
    score_map,
    summarise,
    tad_f1,
)
from sciml.hic.matrix import check_same_bins
from sciml.hic.metrics import scc
from sciml.hic.tads import tune_boundary_calling
from sciml.hic.yeast import FULL, thinned_file


@dataclass
class EvalResult:
    """metrics: flat '<metric>_<method>' means; table: per-chromosome rows; curves: Pearson vs distance;
    example: panels (name -> map) of the first chromosome for the heatmap figure."""

    metrics: dict[str, float]
    table: pd.DataFrame
    curves: pd.DataFrame
    example: dict[str, np.ndarray] = field(default_factory=dict)


def _simulated_maps(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, device: str, desc: str,
) -> Iterator[tuple[str, SimulatedTruth, dict[str, np.ndarray]]]:
    """Chromosome by chromosome of a simulated split: (name, its truth, every method's map at 1/`denominator`).

    Streams one chromosome at a time (maps of large chromosomes are big). Shapes: each map (N, N).
    """
    split_dir = Path(split_dir)
    low_path = split_dir / thinned_name(denominator)
    for chrom in tqdm(split_chromosomes(split_dir), desc=desc, unit="chrom", disable=None):
        truth = read_truth(split_dir, chrom)
        low = read_matrix(low_path, chrom)
        check_same_bins(truth.expected, low, split_dir / "expected.cool", low_path, chrom)
        yield chrom, truth, method_maps(low, models, settings, str(low_path), device)


def _tune_tad_calling(
    chromosomes: Iterable[tuple[str, SimulatedTruth, dict[str, np.ndarray]]], settings: EvalSettings,
) -> dict[str, tuple[int, float, int, int, float]]:
    """Per method (and for the bias-free truth, 'truth'), the insulation window, prominence, prominence
    window and mask distance with the best mean boundary F1 over (name, truth, method maps) of a
    validation split: method -> (window, prominence, prominence window, mask distance, validation F1).
    Every method is tuned on the same grid the same way.
    """
    collected: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for _, truth, maps in chromosomes:
        for method, pred in {**maps, "truth": truth.balanced}.items():
            collected.setdefault(method, []).append((pred, truth.valid, truth.boundaries))
    return {method: tune_boundary_calling(items, settings.tad_windows, settings.tad_prominences,
                                           settings.tad_prominence_windows, settings.tad_mask_distances)
            for method, items in collected.items()}


def _score_simulated(
    chromosomes: Iterable[tuple[str, SimulatedTruth, dict[str, np.ndarray]]], settings: EvalSettings,
    binsize: int, tad_calling: Mapping[str, tuple[int, float, int, int, float]],
) -> EvalResult:
    """Score every method's map of each (name, truth, method maps) against its truth (see `evaluate_simulated`)."""
    rows, curves, example = [], {}, {}
    for chrom, truth, maps in chromosomes:
        for method, pred in maps.items():
            target = truth.expected if method in RAW_SPACE else truth.balanced
            calling = tad_calling[method][:4] if method in tad_calling else None
            scores, curve = score_map(pred, target, truth.valid, settings, truth.boundaries, truth.loops, calling)
            rows.append({"chrom": chrom, "method": method, **scores})
            curves[(chrom, method)] = curve
        if "truth" in tad_calling:
            rows.append({"chrom": chrom, "method": "truth",
                         "tad_f1": tad_f1(truth.balanced, truth.valid, truth.boundaries, tad_calling["truth"][:4])})
        if not example:
            example = {"truth": truth.balanced, **maps}
    metrics, table = summarise(rows)
    return EvalResult(metrics, table, curves_table(curves, binsize), example)


def tune_tad_calling(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, device: str = "cpu",
) -> dict[str, tuple[int, float, int, int, float]]:
    """Each method's TAD calling tuned on a (validation) split at depth 1/`denominator` (see
    `validate_simulated`, which also scores the split from the same maps)."""
    return _tune_tad_calling(_simulated_maps(split_dir, denominator, models, settings, device, "tune TAD calling"),
                             settings)


def validate_simulated(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, binsize: int, device: str = "cpu",
) -> tuple[dict[str, tuple[int, float, int, int, float]], EvalResult]:
    """Denoise a validation split once at depth 1/`denominator`: tune each method's TAD calling on it,
    then score every method there with its tuned calling.

    Returns (method -> (window, prominence, prominence window, mask distance, validation F1), including 'truth'; the `evaluate_simulated`
    result with that calling). Holds every chromosome's maps in memory (the tuning needs them all).
    """
    chromosomes = list(_simulated_maps(split_dir, denominator, models, settings, device, "validate"))
    tuned = _tune_tad_calling(chromosomes, settings)
    return tuned, _score_simulated(chromosomes, settings, binsize, tuned)


def evaluate_simulated(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, binsize: int, device: str = "cpu",
    tad_calling: Mapping[str, tuple[int, float, int, int, float]] | None = None,
) -> EvalResult:
    """Every method on every chromosome of a simulated split at depth 1/`denominator`.

    `raw` is scored against the expected map with biases (its own space), the balanced methods and
    the models against the bias-free truth. `tad_calling` (from `tune_tad_calling` or `validate_simulated`) gives each
    method's boundary-calling setting; its 'truth' entry adds the truth map's own F1 (`tad_f1_truth`,
    the ceiling of the boundary caller).
    """
    return _score_simulated(_simulated_maps(split_dir, denominator, models, settings, device, "evaluate"),
                            settings, binsize, tad_calling or {})


def evaluate_real(
    prepared: str | os.PathLike[str], denominator: int, chroms: Sequence[str],
    models: Mapping[str, Denoiser], settings: EvalSettings, binsize: int, device: str = "cpu",
) -> EvalResult:
    """Every method on the thinned real map against its full depth (raw vs raw, others vs balanced).

    Each balanced method also gets `scc_rawspace`: its output put back into raw space with the thinned
    map's own ICE weights (`unbalance`) and scored against the raw full-depth map, like-for-like with
    `scc` of raw (both keep the library's per-bin biases; no full-depth information is used).
    """
    prepared = Path(prepared)
    rows, curves, example = [], {}, {}
    for chrom in tqdm(chroms, desc="evaluate real", unit="chrom", disable=None):
        full = read_matrix(prepared / FULL, chrom)
        full_balanced, valid = balance(full, path=prepared / FULL)
        low_path = prepared / thinned_file(denominator)
        low = read_matrix(low_path, chrom)
        check_same_bins(full, low, prepared / FULL, low_path, chrom)
        maps = method_maps(low, models, settings, str(low_path), device)
        low_weights = ice_weights(low, path=low_path)
        for method, pred in maps.items():
            target = full if method in RAW_SPACE else full_balanced
            scores, curve = score_map(pred, target, valid, settings)
            if method not in RAW_SPACE:
                scores["scc_rawspace"] = scc(unbalance(pred, low_weights), full, settings.scc_max_bins,
                                             settings.scc_h, valid)
            rows.append({"chrom": chrom, "method": method, **scores})
            curves[(chrom, method)] = curve
        if not example or full.shape[0] > next(iter(example.values())).shape[0]:
            example = {"full depth (ICE)": full_balanced, **maps}
    metrics, table = summarise(rows)
    return EvalResult(metrics, table, curves_table(curves, binsize), example)
