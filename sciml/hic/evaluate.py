"""Evaluation of every method against the truth: SCC, per-distance Pearson, SSIM/PSNR, TADs, loops."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from sciml.hic.baselines import balance, gaussian_smooth
from sciml.hic.denoise import Denoiser
from sciml.hic.loops import call_loops, loop_recall_precision
from sciml.hic.metrics import distance_pearson, patch_ssim_psnr, scc
from sciml.hic.tads import boundary_f1, call_boundaries, insulation_score

RAW_SPACE = ("raw",)


@dataclass(frozen=True)
class EvalSettings:
    """Metric settings. scc_max_bins / scc_h: HiCRep strata and smoothing; ssim_patch: patch side;
    insulation_window / boundary_prominence / boundary_prominence_window / boundary_mask_distance: TAD
    calling when not tuned; tad_windows / tad_prominences / tad_prominence_windows / tad_mask_distances:
    the grid searched on validation chromosomes per method (prominence window 0 = prominence against the
    whole chromosome; mask distance 0 = keep calls next to masked bins; see `tads.call_boundaries`); loop_enrichment / loop_max_bins: loop
    calling; curve_max_bins: distances of the Pearson curve; gauss_sigma: ICE + Gaussian baseline."""

    scc_max_bins: int = 30
    scc_h: int = 1
    ssim_patch: int = 40
    insulation_window: int = 5
    boundary_prominence: float = 0.1
    boundary_prominence_window: int = 0
    boundary_mask_distance: int = 0
    tad_windows: tuple[int, ...] = (3, 5, 7, 10)
    tad_prominences: tuple[float, ...] = (0.05, 0.1, 0.15, 0.2, 0.3)
    tad_prominence_windows: tuple[int, ...] = (0,)
    tad_mask_distances: tuple[int, ...] = (0,)
    loop_enrichment: float = 2.0
    loop_max_bins: int = 60
    curve_max_bins: int = 50
    gauss_sigma: float = 1.0


def method_maps(
    low: np.ndarray, models: Mapping[str, Denoiser], settings: EvalSettings,
    path: str = "<matrix>", device: str | torch.device = "cpu",
) -> dict[str, np.ndarray]:
    """Every method's output for one low-depth count map (N, N).

    raw: the counts; ice: ICE-balanced (scaled to the raw total); ice_gauss: ICE + 2D Gaussian;
    each entry of `models` (name -> Denoiser): denoised ICE-balanced map.
    """
    balanced, valid = balance(low, path=path)
    maps = {"raw": low.astype(np.float64), "ice": balanced,
            "ice_gauss": gaussian_smooth(balanced, settings.gauss_sigma, valid)}
    for name, denoiser in models.items():
        maps[name] = denoiser(balanced, device)
    return maps


def score_map(
    pred: np.ndarray, truth: np.ndarray, valid: np.ndarray, settings: EvalSettings,
    boundaries: np.ndarray | None = None, loops: np.ndarray | None = None,
    tad_calling: tuple[int, float, int, int] | None = None,
) -> tuple[dict[str, float], np.ndarray]:
    """Metrics of one method's map against the truth on the same bins; returns (metrics, Pearson curve).

    tad_calling : (insulation window, prominence, prominence window, mask distance) for the boundary F1
    (default: the settings' values).
    """
    out = {"scc": scc(pred, truth, settings.scc_max_bins, settings.scc_h, valid)}
    out["ssim"], out["psnr"] = patch_ssim_psnr(pred, truth, settings.ssim_patch, valid)
    if boundaries is not None:
        out["tad_f1"] = tad_f1(pred, valid, boundaries,
                               tad_calling or (settings.insulation_window, settings.boundary_prominence,
                                              settings.boundary_prominence_window, settings.boundary_mask_distance))
    if loops is not None:
        found = call_loops(pred, valid, max_distance=settings.loop_max_bins, enrichment=settings.loop_enrichment)
        rp = loop_recall_precision(found, loops)
        out["loop_recall"], out["loop_precision"] = rp["recall"], rp["precision"]
    return out, distance_pearson(pred, truth, settings.curve_max_bins, valid)


def tad_f1(
    matrix: np.ndarray, valid: np.ndarray, boundaries: np.ndarray, tad_calling: tuple[int, float, int, int],
) -> float:
    """Boundary F1 (+-1 bin) of insulation minima called with (window, prominence, prominence window,
    mask distance) on an (N, N) map with valid bins (N,)."""
    window, prominence, prominence_window, mask_distance = tad_calling
    called = call_boundaries(insulation_score(matrix, window, valid), prominence, prominence_window=prominence_window,
                             valid=valid, mask_distance=mask_distance)
    return boundary_f1(called, boundaries)["f1"]


def summarise(rows: list[dict]) -> tuple[dict[str, float], pd.DataFrame]:
    """Mean of per-chromosome metrics per method -> flat {'<metric>_<method>': value} and the table."""
    table = pd.DataFrame(rows)
    means = table.drop(columns=["chrom"]).groupby("method").mean(numeric_only=True)
    flat = {f"{metric}_{method}": float(value)
            for method, row in means.iterrows() for metric, value in row.items() if np.isfinite(value)}
    return flat, table


def curves_table(curves: dict[tuple[str, str], np.ndarray], binsize: int) -> pd.DataFrame:
    """Long table (method, distance_bp, pearson) of per-distance correlations averaged over chromosomes."""
    methods = sorted({m for _, m in curves})
    frames = []
    for method in methods:
        stack = np.vstack([c for (_, m), c in curves.items() if m == method])
        with np.errstate(all="ignore"):
            mean = np.nanmean(stack, axis=0)
        frames.append(pd.DataFrame({"method": method, "distance_bp": np.arange(mean.size) * binsize,
                                    "pearson": mean}))
    return pd.concat(frames, ignore_index=True)
