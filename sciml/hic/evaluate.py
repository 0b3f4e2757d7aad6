"""Evaluation of every method against the truth: SCC, per-distance Pearson, SSIM/PSNR, TADs, loops.

The protocol (`evaluate_all`): TAD calling tuned per method on the simulated validation
chromosomes, every method scored on the simulated test chromosomes at each depth, and on the
held-out chromosomes of a thinned real map against its full depth.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from tqdm.auto import tqdm

from sciml.hic.baselines import balance, gaussian_smooth, ice_weights, unbalance
from sciml.hic.dataset import SimulatedTruth, read_truth, split_chromosomes, thinned_name
from sciml.hic.io import chromosome_sizes, open_cool, read_matrix
from sciml.hic.loops import call_loops, loop_recall_precision
from sciml.hic.matrix import check_same_bins
from sciml.hic.metrics import distance_pearson, patch_ssim_psnr, scc
from sciml.hic.models import Denoiser
from sciml.hic.settings import EvalSettings, EvaluateSettings
from sciml.hic.tads import TadCalling, boundary_f1, call_boundaries, insulation_score, tune_boundary_calling
from sciml.hic.yeast import FULL, split_real, thinned_file

RAW_SPACE = ("raw",)


def method_maps(
    low: np.ndarray, models: Mapping[str, Denoiser], settings: EvalSettings,
    path: str = "<matrix>", device: str | torch.device = "cpu",
) -> dict[str, np.ndarray]:
    """Every method's output for one low-depth count map.

    raw: the counts; ice: ICE-balanced (scaled to the raw total); ice_gauss: ICE + 2D Gaussian;
    each entry of `models` (name -> Denoiser): denoised ICE-balanced map.

    Shapes:
        low: (N, N); every returned map (N, N).
    """
    balanced, valid = balance(low, path=path)
    maps = {"raw": low.astype(np.float64), "ice": balanced,
            "ice_gauss": gaussian_smooth(balanced, settings.gauss_sigma, valid)}
    for name, denoiser in models.items():
        maps[name] = denoiser.denoise(balanced, device)
    return maps


def score_map(
    pred: np.ndarray, truth: np.ndarray, valid: np.ndarray, settings: EvalSettings,
    boundaries: np.ndarray | None = None, loops: np.ndarray | None = None,
    tad_calling: TadCalling | None = None,
) -> tuple[dict[str, float], np.ndarray]:
    """Metrics of one method's map against the truth on the same bins.

    Args:
        pred: the method's map.
        truth: the target map.
        valid: bins scored.
        settings: metric settings.
        boundaries: truth TAD boundaries (adds `tad_f1`).
        loops: truth loops (adds `loop_recall`, `loop_precision`).
        tad_calling: boundary calling for the F1 (default: the settings' untuned values).

    Returns:
        (metrics, Pearson-per-distance curve).

    Shapes:
        pred, truth: (N, N); valid: (N,) bool; returns curve (curve_max_bins,).
    """
    out = {"scc": scc(pred, truth, settings.scc_max_bins, settings.scc_h, valid)}
    out["ssim"], out["psnr"] = patch_ssim_psnr(pred, truth, settings.ssim_patch, valid)
    if boundaries is not None:
        out["tad_f1"] = tad_f1(pred, valid, boundaries,
                               tad_calling or TadCalling(settings.insulation_window, settings.boundary_prominence,
                                                         settings.boundary_prominence_window,
                                                         settings.boundary_mask_distance))
    if loops is not None:
        found = call_loops(pred, valid, max_distance=settings.loop_max_bins, enrichment=settings.loop_enrichment)
        rp = loop_recall_precision(found, loops)
        out["loop_recall"], out["loop_precision"] = rp["recall"], rp["precision"]
    return out, distance_pearson(pred, truth, settings.curve_max_bins, valid)


def tad_f1(matrix: np.ndarray, valid: np.ndarray, boundaries: np.ndarray, tad_calling: TadCalling) -> float:
    """Boundary F1 (+-1 bin) of insulation minima called with `tad_calling`.

    Shapes:
        matrix: (N, N); valid: (N,) bool; boundaries: (B,) bin indices.
    """
    called = call_boundaries(insulation_score(matrix, tad_calling.window, valid), tad_calling.prominence,
                             prominence_window=tad_calling.prominence_window, valid=valid,
                             mask_distance=tad_calling.mask_distance)
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


@dataclass
class EvalResult:
    """The scores of every method on one data set.

    Attributes:
        metrics: flat '<metric>_<method>' means over chromosomes.
        table: per-chromosome rows.
        curves: Pearson per distance (method, distance_bp, pearson).
        example: panels (name -> map) of one chromosome for the heatmap figure.
    """

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
) -> dict[str, TadCalling]:
    """Per method (and for the bias-free truth, 'truth'), the boundary calling with the best mean
    F1 over (name, truth, method maps) of a validation split. Every method is tuned on the same grid
    the same way.
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
    binsize: int, tad_calling: Mapping[str, TadCalling],
) -> EvalResult:
    """Score every method's map of each (name, truth, method maps) against its truth (see `evaluate_simulated`)."""
    rows, curves, example = [], {}, {}
    for chrom, truth, maps in chromosomes:
        for method, pred in maps.items():
            target = truth.expected if method in RAW_SPACE else truth.balanced
            calling = tad_calling.get(method)
            scores, curve = score_map(pred, target, truth.valid, settings, truth.boundaries, truth.loops, calling)
            rows.append({"chrom": chrom, "method": method, **scores})
            curves[(chrom, method)] = curve
        if "truth" in tad_calling:
            rows.append({"chrom": chrom, "method": "truth",
                         "tad_f1": tad_f1(truth.balanced, truth.valid, truth.boundaries, tad_calling["truth"])})
        if not example:
            example = {"truth": truth.balanced, **maps}
    metrics, table = summarise(rows)
    return EvalResult(metrics, table, curves_table(curves, binsize), example)


def tune_tad_calling(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, device: str = "cpu",
) -> dict[str, TadCalling]:
    """Each method's TAD calling tuned on a (validation) split at depth 1/`denominator` (see
    `validate_simulated`, which also scores the split from the same maps)."""
    return _tune_tad_calling(_simulated_maps(split_dir, denominator, models, settings, device, "tune TAD calling"),
                             settings)


def validate_simulated(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, binsize: int, device: str = "cpu",
) -> tuple[dict[str, TadCalling], EvalResult]:
    """Denoise a validation split once at depth 1/`denominator`: tune each method's TAD calling on it,
    then score every method there with its tuned calling.

    Returns (method -> tuned `TadCalling`, including 'truth'; the `evaluate_simulated` result with
    that calling). Holds every chromosome's maps in memory (the tuning needs them all).
    """
    chromosomes = list(_simulated_maps(split_dir, denominator, models, settings, device, "validate"))
    tuned = _tune_tad_calling(chromosomes, settings)
    return tuned, _score_simulated(chromosomes, settings, binsize, tuned)


def evaluate_simulated(
    split_dir: str | os.PathLike[str], denominator: int, models: Mapping[str, Denoiser],
    settings: EvalSettings, binsize: int, device: str = "cpu",
    tad_calling: Mapping[str, TadCalling] | None = None,
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


@dataclass
class Evaluation:
    """The whole evaluation protocol's result (see `evaluate_all`).

    Attributes:
        metrics: block -> metrics: `sim` (headline depth), `sim_1_<K>` (other depths), `sim_val`
            (validation split, headline depth), `yeast` (real map).
        simulated: the headline-depth simulated test result.
        real: the real-map result.
        settings: the settings it ran with.
    """

    metrics: dict[str, dict[str, float]]
    simulated: EvalResult
    real: EvalResult
    settings: EvaluateSettings


def tad_calling_metrics(tuned: Mapping[str, TadCalling]) -> dict[str, float]:
    """Flat `tad_<setting>_<method>` entries of tuned boundary calling (window, prominence, ..., f1_val)."""
    return {f"tad_{name}_{method}": value for method, calling in tuned.items()
            for name, value in calling._asdict().items()}


def evaluate_all(
    test_dir: str | os.PathLike[str], val_dir: str | os.PathLike[str], real_dir: str | os.PathLike[str],
    models: Mapping[str, Denoiser], finetuned: Mapping[str, Denoiser], settings: EvaluateSettings,
    device: str | torch.device = "cpu",
) -> Evaluation:
    """The Hi-C evaluation protocol.

    At each depth of `settings.depths`, each method's TAD calling is tuned on the simulated
    validation split and applied to the test split; at the headline depth (the first) the same
    validation maps (denoised once) also give the validation scores (`sim_val`). Then every method,
    plus the `finetuned` models, is scored on the real map's test chromosomes at 1/`yeast.depth`.

    Args:
        test_dir: simulated test split folder.
        val_dir: simulated validation split folder.
        real_dir: folder of `sciml.hic.yeast.prepare_real`.
        models: name -> denoiser scored everywhere.
        finetuned: name -> denoiser scored on the real map only.
        settings: depths, the real-data protocol, metric settings.
        device: where the denoisers run.

    Returns:
        The metrics of every block and the headline simulated and real results.
    """
    metrics: dict[str, dict[str, float]] = {}
    binsize = int(open_cool(Path(test_dir) / "expected.cool").binsize)
    headline = settings.depths[0]
    for depth in settings.depths:
        if depth == headline:
            tuned, val = validate_simulated(val_dir, depth, models, settings.metrics, binsize, device)
            metrics["sim_val"] = val.metrics
        else:
            tuned = tune_tad_calling(val_dir, depth, models, settings.metrics, device)
        result = evaluate_simulated(test_dir, depth, models, settings.metrics, binsize, device, tad_calling=tuned)
        metrics["sim" if depth == headline else f"sim_1_{depth}"] = result.metrics | tad_calling_metrics(tuned)
        if depth == headline:
            simulated = result
    chroms = list(chromosome_sizes(Path(real_dir) / FULL))
    _, _, test_chroms = split_real(chroms, settings.yeast.test_chromosomes, settings.yeast.val_chromosomes)
    real = evaluate_real(real_dir, settings.yeast.depth, test_chroms, {**models, **finetuned}, settings.metrics,
                         int(open_cool(Path(real_dir) / FULL).binsize), device)
    metrics["yeast"] = real.metrics | {"n_test_chromosomes": len(test_chroms)}
    return Evaluation(metrics, simulated, real, settings)


def write_evaluation(evaluation: Evaluation, out_dir: str | os.PathLike[str]) -> Path:
    """Write an `Evaluation`: metrics.json (with provenance), per-chromosome and per-distance tables, figures.

    Returns:
        The metrics.json path.
    """
    from sciml.files import atomic_path
    from sciml.hic.plots import distance_curves, heatmaps
    from sciml.provenance import write_metrics

    out = Path(out_dir)
    sim, real, settings = evaluation.simulated, evaluation.real, evaluation.settings
    depth, real_depth = settings.depths[0], settings.yeast.depth
    for name, frame in (("sim_per_chromosome.tsv", sim.table), ("yeast_per_chromosome.tsv", real.table),
                        ("sim_distance_pearson.tsv", sim.curves), ("yeast_distance_pearson.tsv", real.curves)):
        with atomic_path(out / name) as staged:
            frame.to_csv(staged, sep="\t", index=False, float_format="%.6g")
    heatmaps(sim.example, out / "sim_heatmaps.png", f"simulated test chromosome, 1/{depth} depth")
    heatmaps(real.example, out / "yeast_heatmaps.png", f"S. cerevisiae, 1/{real_depth} depth")
    distance_curves(sim.curves, out / "sim_distance_pearson.png", f"simulated test, 1/{depth}")
    distance_curves(real.curves, out / "yeast_distance_pearson.png", f"yeast held-out chromosomes, 1/{real_depth}")
    path = out / "metrics.json"
    write_metrics(path, evaluation.metrics, seed=settings.seed, datasets=["hic-yeast-10kb"],
                  settings={"evaluation": asdict(settings.metrics), "depths": list(settings.depths),
                            "real_depth": real_depth, "test_chromosomes": list(settings.yeast.test_chromosomes),
                            "val_chromosomes": list(settings.yeast.val_chromosomes)})
    return path
