"""Evaluation on real maps against independent targets (never the thinned map's own parent alone).

A real map A is thinned (`sciml.hic.sample.sample_cool`, which also writes the complement: A minus
the kept reads); every method's output on the thinned map is scored against
  - `complement`: the reads of A that were not kept (independent counting noise, same library), and
  - each replicate given (another library of the same cell type: the noise users face),
with HiCRep SCC (h and the maximum distance written into the key) and Pearson per distance, in two
spaces: `raw` (outputs put back on the thinned map's raw scale with its own ICE weights, against the
target's raw counts; the raw input is scored as it is) and `ice` (balanced outputs against the
target's ICE-balanced map; the raw input's entry there is ICE itself). The replicate ceiling is the
full map A against the replicate (the complement's ceiling is a perfect score: it is part of A).

With `frac = 1` nothing is thinned: the library is the input as it is (a shallow library a user would
bring) and is scored against the replicates only (library-to-library noise; no complement, and no
ceiling: the raw input is the full map).

The workflow scores several such cases (`sciml.hic.settings.RealEvalCase`), one folder each;
`read_cases` gathers their metrics for the domain's metrics.json and `sciml.hic.plots.real_scores`.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from sciml.errors import ConfigError, InputError
from sciml.hic.baselines import balance, gaussian_smooth, ice_weights, unbalance
from sciml.hic.io import open_cool, read_matrix
from sciml.hic.metrics import distance_pearson, scc
from sciml.hic.models import Denoiser
from sciml.hic.protocol import protocol_scores
from sciml.hic.sample import sample_cool, total_contacts
from sciml.hic.settings import RealEvalSettings

THINNED, COMPLEMENT = "thinned.cool", "complement.cool"


def scc_key(settings: RealEvalSettings) -> str:
    """'scc_h{h}_{max}kb': the SCC's settings, part of every SCC metric name."""
    return f"scc_h{settings.scc_h}_{settings.scc_max_distance_bp // 1000}kb"


def method_maps(thinned: np.ndarray, models: Mapping[str, Denoiser], sigma: float,
                path: str | os.PathLike[str]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Balanced outputs of every method on one thinned chromosome.

    Returns:
        ({"ice", "ice_gauss", <model names>} -> balanced map, ICE weights of the thinned map, valid).

    Shapes:
        thinned: (N, N) counts; maps (N, N); weights (N,), NaN = masked; valid (N,) bool.
    """
    balanced, valid = balance(thinned, path=path)
    maps = {"ice": balanced, "ice_gauss": gaussian_smooth(balanced, sigma, valid)}
    for name, model in models.items():
        maps[name] = model.denoise(balanced)
    return maps, ice_weights(thinned, path=path), valid


def score_chromosome(thinned: np.ndarray, full: np.ndarray | None, targets: Mapping[str, np.ndarray],
                     models: Mapping[str, Denoiser], settings: RealEvalSettings, resolution_bp: int,
                     path: str | os.PathLike[str]) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Scores of every method on one chromosome against every target.

    Args:
        thinned: the thinned counts (the methods' input).
        full: the unthinned map (for the ceiling); None when the input is not thinned (no ceiling).
        targets: target name -> raw counts (independent of the kept reads).
        models: denoisers by name.
        settings: SCC settings, Gaussian sd.
        resolution_bp: bin size (turns the maximum distance into strata).
        path: for messages.

    Returns:
        (metrics `<target>_<space>_<scc key>_<method>` and, for replicates, `..._ceiling`, plus
        `protocol_{ssim,psnr}_<method>` with `settings.protocol` (`sciml.hic.protocol`); Pearson-per-distance
        curves under the same names with `pearson` for the SCC key).

    Shapes:
        thinned, full, targets: (N, N).
    """
    max_bins = max(int(settings.scc_max_distance_bp // resolution_bp), 1)
    key = scc_key(settings)
    maps, weights, valid = method_maps(thinned, models, settings.gauss_sigma, path)
    metrics: dict[str, float] = {}
    curves: dict[str, np.ndarray] = {}
    full_balanced, full_valid = balance(full, path=path) if full is not None else (None, None)
    raw_space = {"raw": thinned} | {m: unbalance(b, weights) for m, b in maps.items()}
    if settings.protocol and full is not None:
        outputs = {m: o for m, o in raw_space.items() if m != "raw"}
        metrics |= protocol_scores(thinned, outputs, full, settings.frac, resolution_bp, valid)
    for target_name, target in targets.items():
        target_balanced, target_valid = balance(target, path=path)
        both = valid & target_valid
        spaces = {"raw": (raw_space, target, both), "ice": (maps, target_balanced, both)}
        for space, (outputs, reference, keep) in spaces.items():
            for method, output in outputs.items():
                name = f"{target_name}_{space}_{key}_{method}"
                metrics[name] = scc(output, reference, max_bins, settings.scc_h, keep)
                curves[name.replace(key, "pearson")] = distance_pearson(output, reference, max_bins, keep)
        if target_name == "complement" or full is None:  # the full map contains the complement
            continue
        ceiling = {"raw": (full, target, target_valid & full_valid),
                   "ice": (full_balanced, target_balanced, target_valid & full_valid)}
        for space, (a, b, keep) in ceiling.items():
            metrics[f"{target_name}_{space}_{key}_ceiling"] = scc(a, b, max_bins, settings.scc_h, keep)
            curves[f"{target_name}_{space}_pearson_ceiling"] = distance_pearson(a, b, max_bins, keep)
    return metrics, curves


def evaluate_real(input_cool: str | os.PathLike[str], replicates: Mapping[str, str | os.PathLike[str]],
                  models: Mapping[str, Denoiser], out_dir: str | os.PathLike[str], settings: RealEvalSettings
                  ) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Thin `input_cool` (writing `thinned.cool` and `complement.cool` to `out_dir`) and score every
    method against the complement and each replicate, averaged over the chosen chromosomes; with
    `settings.frac == 1`, score the input as it is against the replicates.

    Args:
        input_cool: the real map A (raw integer counts).
        replicates: name -> another library of the same cell type (same bins).
        models: denoisers by name.
        out_dir: folder receiving the thinned map and its complement.
        settings: thinning and scoring settings.

    Returns:
        (metrics: the chromosome mean of each `score_chromosome` key, plus `n_chromosomes` and
        `kept_contacts`; per-distance Pearson curves averaged over chromosomes).

    Raises:
        InputError: a replicate does not share the input's bins, or an unknown chromosome is asked for.
        ConfigError: `frac == 1` without a replicate (nothing independent to score against).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clr = open_cool(input_cool)
    chroms = list(settings.chromosomes) or list(clr.chromnames)
    missing = sorted(set(chroms) - set(clr.chromnames))
    if missing:
        raise InputError(input_cool, f"no chromosomes {missing} (has {', '.join(clr.chromnames)})")
    for name, path in replicates.items():
        other = open_cool(path)
        if other.binsize != clr.binsize or list(other.chromnames) != list(clr.chromnames):
            raise InputError(path, f"replicate {name} does not share the bins of {input_cool}")
    thinning = settings.frac < 1
    if thinning:
        sampled = sample_cool(input_cool, out_dir / THINNED, frac=settings.frac, seed=settings.seed,
                              complement_out=out_dir / COMPLEMENT)
    elif not replicates:
        raise ConfigError("frac", "frac 1 scores the library as it is: it needs a --replicate to score against")
    else:
        total = total_contacts(clr, input_cool)
        sampled = {"kept_contacts": total, "input_contacts": total}
    per_chrom: list[dict[str, float]] = []
    curves: dict[str, list[np.ndarray]] = {}
    part = slice(None) if settings.bins is None else slice(*settings.bins)

    def read(path: str | os.PathLike[str], chrom: str) -> np.ndarray:
        return read_matrix(path, chrom)[part, part]

    for chrom in chroms:
        targets = {"complement": read(out_dir / COMPLEMENT, chrom)} if thinning else {}
        targets |= {f"replicate_{name}": read(path, chrom) for name, path in replicates.items()}
        full = read(input_cool, chrom)
        metrics, chrom_curves = score_chromosome(read(out_dir / THINNED, chrom) if thinning else full,
                                                 full if thinning else None, targets, models, settings,
                                                 int(clr.binsize), input_cool)
        per_chrom.append(metrics)
        for k, v in chrom_curves.items():
            curves.setdefault(k, []).append(v)
    mean = {k: float(np.nanmean([m[k] for m in per_chrom])) for k in per_chrom[0]}
    mean |= {"n_chromosomes": len(chroms), "kept_contacts": sampled["kept_contacts"],
             "input_contacts": sampled["input_contacts"]}
    with warnings.catch_warnings():  # distances no chromosome reaches are NaN in every curve
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_curves = {k: np.nanmean(np.stack(v), axis=0) for k, v in curves.items()}
    return mean, mean_curves


def write_curves(path: str | os.PathLike[str], curves: Mapping[str, np.ndarray], resolution_bp: int) -> Path:
    """Pearson-per-distance curves as a TSV: distance_bp, then one column per curve (atomic)."""
    from sciml.files import write_text_atomic

    names = sorted(curves)
    length = max(len(curves[n]) for n in names)
    lines = ["distance_bp\t" + "\t".join(names)]
    for d in range(length):
        lines.append(f"{d * resolution_bp}\t" + "\t".join(f"{curves[n][d]:.6g}" if d < len(curves[n]) else "nan"
                                                            for n in names))
    return write_text_atomic(path, "\n".join(lines) + "\n")


SCORE_KEY = re.compile(r"^(?P<target>.+?)_(?P<space>raw|ice)_(?P<scc>scc_h\d+_\d+kb)_(?P<method>.+)$")


def parse_score_key(key: str) -> tuple[str, str, str, str] | None:
    """(target, space, SCC settings, method) of a `<target>_<space>_scc_h<h>_<max>kb_<method>` metric
    name (`method` may be `ceiling`); None for any other key."""
    found = SCORE_KEY.match(key)
    return None if found is None else (found["target"], found["space"], found["scc"], found["method"])


def read_cases(case_dirs: Mapping[str, str | os.PathLike[str]]) -> dict[str, dict[str, float]]:
    """The numeric metrics of each evaluated case (`metrics.json` of an `evaluate-real` folder).

    Args:
        case_dirs: case name -> folder written by `evaluate-real`.

    Returns:
        case name -> {metric: value} (numbers only; the provenance and the file names are left out).

    Raises:
        InputError: a folder has no readable metrics.json.
    """
    import json

    cases = {}
    for name, folder in case_dirs.items():
        path = Path(folder) / "metrics.json"
        try:
            document = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise InputError(path, f"no readable metrics of case {name}: {exc}") from None
        cases[name] = {k: float(v) for k, v in document.items()
                       if isinstance(v, int | float) and not isinstance(v, bool)}
    return cases
