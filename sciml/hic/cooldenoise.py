"""`sciml hic denoise`: a user's `.cool`/`.mcool` resolution denoised chromosome by chromosome into a
valid cooler with the input's bins, raw-scale counts, cis ICE weights and provenance metadata.

Per chromosome: its cis pixels are read (O(pixels) memory), ICE-balanced from the pixels
(`ice_weights_pixels`), held as a `BandMatrix` and denoised in patches (`denoise_band`); the
denoised band is put back on the input's raw scale (divided by the ICE weights); beyond the model's
band a model correcting ICE + Gaussian gives that baseline out to twice the band
(`sciml.hic.inputs.baseline_reach`); pixels further out, of masked bins and between chromosomes keep
the input counts. A chromosome outside
the model's training range gets the model's baseline instead (ICE + Gaussian for a model correcting
it; the input itself for an ICE-baseline model), with a warning and a metadata record. The whole
input is validated before any denoising; the output appears atomically.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.hic.band import BandMatrix
from sciml.hic.baselines import ice_mask, ice_weights_pixels
from sciml.hic.denoise import band_width, denoise_band
from sciml.hic.inputs import baseline_band, baseline_reach
from sciml.hic.io import open_cool
from sciml.hic.sample import CHUNK_PIXELS, _checked_counts

log = logging.getLogger("sciml.hic")

#: how far (factor) a map's statistic may lie outside the model's training range before it is flagged
RANGE_SLACK = 2.0
IGNORE_DIAGS = 2  # ICE conventions (cooler balance defaults)
MAD_MAX = 5.0
MIN_NNZ = 10


class OutOfTrainingRange(UserWarning):
    """A map's resolution, depth or sparsity lies outside the range the model was trained on."""


@dataclass(frozen=True)
class MapStats:
    """What the training range is checked on, per chromosome (raw counts).

    Attributes:
        resolution_bp: bin size.
        contacts_per_bin: cis contacts per ICE-kept bin (both triangles / kept bins).
        band_nonzero_fraction: share of non-zero pixels at distances 1..band between kept bins.
    """

    resolution_bp: int
    contacts_per_bin: float
    band_nonzero_fraction: float


def map_stats(bm: BandMatrix, resolution_bp: int, band: int) -> MapStats:
    """`MapStats` of a raw-count chromosome held as a band (masked bins zero), band <= bm.width."""
    kept = max(int(bm.valid.sum()), 1)
    pairs = bm.pair_counts()[1:band + 1].sum()
    nonzero = sum(int((bm.values[: bm.n - d, d] > 0).sum()) for d in range(1, min(band, bm.n - 1) + 1))
    return MapStats(int(resolution_bp), bm.valid_total() / kept, float(nonzero / max(pairs, 1)))


def training_range(stats: Sequence[MapStats]) -> dict[str, list[float]]:
    """[min, max] of every `MapStats` field over the training maps (stored in the model folder)."""
    return {k: [float(min(getattr(s, k) for s in stats)), float(max(getattr(s, k) for s in stats))]
            for k in MapStats.__dataclass_fields__}


def range_problems(stats: MapStats, trained: dict[str, list[float]] | None) -> list[str]:
    """Why `stats` lies outside `trained` (a factor RANGE_SLACK beyond [min, max]); [] when inside."""
    if not trained:
        return []
    problems = []
    for key, (lo, hi) in trained.items():
        value = getattr(stats, key)
        if value < lo / RANGE_SLACK or value > hi * RANGE_SLACK:
            problems.append(f"{key} {value:.4g} outside the trained {lo:.4g}..{hi:.4g}")
    return problems


@dataclass(frozen=True)
class _Chrom:
    name: str
    lo: int  # first bin (global id)
    hi: int  # one past the last bin


def _index(clr, name: str) -> np.ndarray:
    with clr.open("r") as group:
        return group[f"indexes/{name}"][:]


def _chromosomes(clr) -> list[_Chrom]:
    offsets = _index(clr, "chrom_offset")
    return [_Chrom(str(c), int(offsets[k]), int(offsets[k + 1])) for k, c in enumerate(clr.chromnames)]


def _pixel_chunks(clr, lo_bin: int, hi_bin: int) -> Iterator[pd.DataFrame]:
    """The pixel table rows whose bin1 lies in [lo_bin, hi_bin), in chunks."""
    offsets = _index(clr, "bin1_offset")
    start, stop = int(offsets[lo_bin]), int(offsets[hi_bin])
    for a in range(start, stop, CHUNK_PIXELS):
        yield clr.pixels()[a:min(a + CHUNK_PIXELS, stop)]


def _cis_pixels(clr, chrom: _Chrom, path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, counts) of `chrom`'s upper-triangle cis pixels, local bin ids, validated counts."""
    parts = []
    for px in _pixel_chunks(clr, chrom.lo, chrom.hi):
        b1, b2 = px["bin1_id"].to_numpy(), px["bin2_id"].to_numpy()
        counts = _checked_counts(px["count"].to_numpy(), path)
        cis = b2 < chrom.hi
        if (b2[cis] < b1[cis]).any():
            raise InputError(path, "pixels below the diagonal: not a symmetric-upper cooler", chrom.name)
        parts.append(((b1[cis] - chrom.lo).astype(np.int32), (b2[cis] - chrom.lo).astype(np.int32), counts[cis]))
    if not parts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int64)
    return tuple(np.concatenate(k) for k in zip(*parts, strict=True))  # type: ignore[return-value]


def check_cool(cool: str | os.PathLike[str], exclude: Sequence[str] = ()) -> dict[str, int]:
    """Validate a whole cooler before denoising: raw counts, and every chromosome balanceable.

    Returns:
        chrom -> number of bins ICE keeps (excluded chromosomes left out).

    Raises:
        InputError: not a cooler (or a missing `.mcool` resolution), a storage mode other than
            symmetric-upper, NaN/inf, negative or non-integer counts, an unknown `exclude` name, an
            empty chromosome or one ICE masks entirely (the message names it and `--exclude`).
    """
    clr = open_cool(cool)
    if clr.storage_mode != "symmetric-upper":
        raise InputError(cool, f"storage mode {clr.storage_mode!r}: denoising needs a symmetric-upper cooler")
    unknown = sorted(set(exclude) - set(clr.chromnames))
    if unknown:
        raise InputError(cool, f"--exclude names chromosomes the file does not have: {unknown}")
    kept = {}
    for chrom in _chromosomes(clr):
        if chrom.name in exclude:
            for px in _pixel_chunks(clr, chrom.lo, chrom.hi):
                _checked_counts(px["count"].to_numpy(), cool)
            continue
        rows, cols, counts = _cis_pixels(clr, chrom, cool)
        n = chrom.hi - chrom.lo
        keep = (cols - rows >= IGNORE_DIAGS) & (counts > 0)
        if not keep.any():
            raise InputError(cool, "no cis contacts off the diagonal (an empty chromosome): leave it out with "
                                   "--exclude", chrom.name)
        r, c, v = rows[keep], cols[keep], counts[keep].astype(np.float64)
        ok = ice_mask(np.bincount(r, minlength=n) + np.bincount(c, minlength=n),
                      np.bincount(r, v, minlength=n) + np.bincount(c, v, minlength=n), MAD_MAX, MIN_NNZ)
        if not ok.any():
            raise InputError(cool, f"ICE masks every bin (no bin has {MIN_NNZ} non-zero pixels): leave it out "
                                   "with --exclude", chrom.name)
        kept[chrom.name] = int(ok.sum())
    return kept


def _sha256(path: str | os.PathLike[str]) -> str:
    from sciml.data.fetch import sha256_file

    return sha256_file(str(path).partition("::")[0])


@dataclass(frozen=True)
class DenoiseReport:
    """What `denoise_cool` did.

    Attributes:
        chromosomes: chromosomes denoised.
        stats: chrom -> `MapStats` of the input.
        range_problems: chrom -> reasons it lies outside the model's training range.
        metadata: the provenance stored in the output's `metadata` attribute.
    """

    chromosomes: list[str]
    stats: dict[str, MapStats]
    range_problems: dict[str, list[str]]
    metadata: dict[str, Any]


def denoise_cool(
    model_dir: str | os.PathLike[str], cool: str | os.PathLike[str], out: str | os.PathLike[str],
    device: str = "auto", exclude: Sequence[str] = (), zoomify: bool = False, batch_size: int = 16,
) -> DenoiseReport:
    """Denoise every chromosome of a cooler into a new cooler with the input's bins.

    Output counts are on the input's raw scale (the denoised ICE-balanced band divided by the
    input's ICE weights and its balancing scale), float; beyond the model's band, up to
    `baseline_reach` (twice the band for an ICE + Gaussian baseline), its baseline; pixels further out, pixels of
    bins ICE masks, trans pixels and `exclude`d chromosomes keep the input counts. The `weight`
    column holds cis ICE weights of the output (cooler's conventions: `cooler balance --cis-only`),
    so `clr.matrix(balance=True)` gives the denoised balanced map. The `metadata` attribute holds
    the provenance: model, settings, sciml version/commit, input file and sha256, map statistics
    and, per chromosome, whether it lies outside the model's training range (also a warning; such a
    chromosome gets the model's baseline, `baseline_fallback`). With `zoomify`, `out` is an `.mcool` (cooler's zoomify from the base resolution, each
    resolution cis-balanced).

    Args:
        model_dir: a `hic.denoiser` model folder.
        cool: input `.cool` or `.mcool::/resolutions/N` with raw integer counts.
        out: the output `.cool` (or `.mcool` with `zoomify`).
        device: where to run ("auto" picks CUDA when available).
        exclude: chromosomes copied unchanged (e.g. chrM, empty contigs).
        zoomify: write a multi-resolution `.mcool`.
        batch_size: patches per forward pass.

    Raises:
        InputError: bad input (`check_cool`), raised before any denoising; nothing is written.
    """
    import cooler

    from sciml import __version__
    from sciml.hic.models import load_denoiser
    from sciml.models import CONFIG_FILE
    from sciml.provenance import git_state
    from sciml.train import select_device

    device = select_device(device)
    denoiser = load_denoiser(model_dir, device)
    check_cool(cool, exclude)
    record = json.loads((Path(model_dir) / CONFIG_FILE).read_text())
    trained = record.get("extra", {}).get("training_range")
    settings = denoiser.settings
    band = settings.band_bins
    width = band_width(settings.patch_size, band)
    reach = baseline_reach(settings, width)
    clr = open_cool(cool)
    binsize = int(clr.binsize)
    chroms = _chromosomes(clr)
    stats: dict[str, MapStats] = {}
    problems: dict[str, list[str]] = {}
    cis_out: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    weights = np.full(int(clr.info["nbins"]), np.nan)
    for chrom in tqdm(chroms, desc="chromosomes", unit="chrom", disable=None):
        rows, cols, counts = _cis_pixels(clr, chrom, cool)
        if chrom.name in exclude:
            cis_out[chrom.name] = (rows, cols, counts.astype(np.float64))
            continue
        n = chrom.hi - chrom.lo
        values = counts.astype(np.float64)
        w = ice_weights_pixels(rows, cols, values, n, IGNORE_DIAGS, MAD_MAX, MIN_NNZ, path=cool)
        valid = np.isfinite(w)
        raw = BandMatrix.from_pixels(rows, cols, values, valid, width)
        stats[chrom.name] = map_stats(raw, binsize, band)
        problems[chrom.name] = range_problems(stats[chrom.name], trained)
        if problems[chrom.name]:
            warnings.warn(f"{cool}: {chrom.name}: outside the model's training range ("
                          f"{'; '.join(problems[chrom.name])}); it gets the model's baseline "
                          f"({settings.baseline}) instead of the model's output", OutOfTrainingRange, stacklevel=2)
        wz = np.nan_to_num(w)
        balanced_values = values * wz[rows] * wz[cols]
        scale = raw.valid_total() / max(_valid_total(rows, cols, balanced_values, valid), 1e-300)
        balanced = BandMatrix.from_pixels(rows, cols, balanced_values * scale, valid, width)
        if problems[chrom.name]:  # do no harm: the baseline the model corrects (ICE: the input itself)
            denoised = baseline_band(balanced, settings, reach)
        else:
            denoised = denoise_band(denoiser.net, settings, balanced, device, list(denoiser.correctors), batch_size)
        del balanced, raw
        cis_out[chrom.name] = _raw_scale_pixels(rows, cols, values, denoised, wz * np.sqrt(scale), valid)
        r, c, v = cis_out[chrom.name]
        weights[chrom.lo:chrom.hi] = ice_weights_pixels(r, c, v, n, IGNORE_DIAGS, MAD_MAX, MIN_NNZ, path=out)
    flagged = {c: p for c, p in problems.items() if p}
    metadata = {
        "sciml": {
            "tool": "sciml hic denoise",
            "sciml_version": __version__,
            "git": git_state(),
            "model": {"path": str(model_dir), "kind": record.get("kind"), "settings": asdict(settings),
                      "n_correctors": len(denoiser.correctors), "training_range": trained},
            "input": {"path": str(cool), "sha256": _sha256(cool), "resolution_bp": binsize},
            "units": "raw-scale counts: the denoised ICE-balanced map divided by the input's ICE weights; "
                     f"the model within {band} bins of the diagonal, its baseline ({settings.baseline}) out to "
                     f"{reach} bins; pixels further out, of ICE-masked bins and trans pixels are the input's",
            "excluded": list(exclude),
            "map_stats": {c: asdict(s) for c, s in stats.items()},
            "training_range_known": trained is not None,
            "out_of_training_range": bool(flagged) if trained is not None else None,
            "range_problems": flagged,
            "baseline_fallback": {c: settings.baseline for c in flagged},
        }
    }
    bins = clr.bins()[["chrom", "start", "end"]][:]
    with atomic_path(out) as staged:
        base = staged.with_suffix(".base.cool") if zoomify else staged
        cooler.create_cooler(str(base), bins, _output_pixels(clr, chroms, cis_out), ordered=True,
                             symmetric_upper=True, dtypes={"count": "float64"}, metadata=metadata)
        _store_weights(str(base), weights)
        if zoomify:
            _zoomify(str(base), str(staged), binsize)
            base.unlink()
    return DenoiseReport([c for c in stats], stats, problems, metadata)


def _valid_total(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, valid: np.ndarray) -> float:
    """Sum of the symmetric map (both triangles) given by upper-triangle pixels, over valid bins."""
    both = valid[rows] & valid[cols]
    return float((values * both * np.where(rows == cols, 1.0, 2.0)).sum())


def _raw_scale_pixels(rows: np.ndarray, cols: np.ndarray, counts: np.ndarray, denoised: np.ndarray,
                      w: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Output cis pixels (local ids, sorted): denoised / (w_i w_j) within the band between valid bins,
    the input counts elsewhere."""
    n, w1 = denoised.shape
    i = np.repeat(np.arange(n), w1)
    j = i + np.tile(np.arange(w1), n)
    ok = (j < n)
    i, j, value = i[ok], j[ok], denoised.ravel()[ok]
    ok = valid[i] & valid[j]
    i, j, value = i[ok], j[ok], value[ok] / (w[i[ok]] * w[j[ok]])
    outside = ~((cols - rows <= w1 - 1) & valid[rows] & valid[cols])
    r = np.concatenate([i, rows[outside]]).astype(np.int64)
    c = np.concatenate([j, cols[outside]]).astype(np.int64)
    v = np.concatenate([value, counts[outside]])
    keep = v > 0
    order = np.lexsort((c[keep], r[keep]))
    return r[keep][order], c[keep][order], v[keep][order]


def _output_pixels(clr, chroms: list[_Chrom], cis: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
                   ) -> Iterator[pd.DataFrame]:
    """Output pixel chunks in (bin1, bin2) order: each chromosome's cis pixels merged with its trans rows."""
    for chrom in chroms:
        r, c, v = cis[chrom.name]
        frame = pd.DataFrame({"bin1_id": r + chrom.lo, "bin2_id": c + chrom.lo, "count": v})
        trans = [px[px["bin2_id"] >= chrom.hi] for px in _pixel_chunks(clr, chrom.lo, chrom.hi)]
        trans = [t.astype({"count": np.float64}) for t in trans if len(t)]
        if trans:
            frame = pd.concat([frame, *trans], ignore_index=True).sort_values(["bin1_id", "bin2_id"], kind="stable")
        yield frame.reset_index(drop=True)


def _store_weights(uri: str, weights: np.ndarray) -> None:
    """Write the `weight` column with cooler balance's attributes (cis-only ICE)."""
    import h5py

    with h5py.File(uri, "r+") as handle:
        dset = handle["bins"].create_dataset("weight", data=weights, compression="gzip", compression_opts=6)
        dset.attrs.update({"ignore_diags": IGNORE_DIAGS, "mad_max": MAD_MAX, "min_nnz": MIN_NNZ,
                           "cis_only": True, "divisive_weights": False, "converged": True})


def _zoomify(base: str, out: str, binsize: int, max_factor: int = 1024, min_bins: int = 64) -> None:
    """cooler's zoomify of `base` at binsize x 2^k (up to `max_factor`, while the largest chromosome
    keeps >= `min_bins` bins); every resolution cis-balanced with cooler's `balance_cooler`."""
    import cooler
    import h5py

    longest = int(cooler.Cooler(base).chromsizes.max())
    resolutions = [binsize]
    while resolutions[-1] * 2 <= binsize * max_factor and longest // (resolutions[-1] * 2) >= min_bins:
        resolutions.append(resolutions[-1] * 2)
    cooler.zoomify_cooler(base, out, resolutions, chunksize=CHUNK_PIXELS, columns=["count"],
                          dtypes={"count": "float64"}, agg={"count": "sum"})
    for res in resolutions:
        with warnings.catch_warnings():  # cooler warns on chromosomes it masks entirely (e.g. chrM)
            warnings.simplefilter("ignore", RuntimeWarning)
            weights, info = cooler.balance_cooler(cooler.Cooler(f"{out}::/resolutions/{res}"), cis_only=True,
                                                  ignore_diags=IGNORE_DIAGS, mad_max=MAD_MAX, min_nnz=MIN_NNZ,
                                                  store=False)
        with h5py.File(out, "r+") as handle:
            group = handle[f"resolutions/{res}/bins"]
            if "weight" in group:
                del group["weight"]
            dset = group.create_dataset("weight", data=weights, compression="gzip", compression_opts=6)
            dset.attrs.update({k: v for k, v in info.items() if isinstance(v, bool | int | float | str)})
