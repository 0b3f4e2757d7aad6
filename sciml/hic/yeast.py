"""Real-data protocol: thin a deep real map (S. cerevisiae, 10 kb) and compare with its full depth."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sciml.errors import ConfigError, InputError
from sciml.hic.baselines import balance, ice_weights
from sciml.hic.io import chromosome_sizes, open_cool, read_matrix, write_cool
from sciml.hic.simulate import thin
from sciml.hic.training import MapPair

FULL = "full.cool"


def thinned_file(denominator: int) -> str:
    """Name of the 1/`denominator` copy in a prepared folder."""
    return f"thin{denominator}.cool"


def prepare_real(
    cool: str | os.PathLike[str], out_dir: str | os.PathLike[str], denominator: int, seed: int,
    min_bins: int = 10, exclude: Sequence[str] = ("chrMito", "chr2-micron"),
) -> Path:
    """Write the cis maps of `cool` at full depth and binomially thinned to 1/`denominator`.

    Both files carry ICE weights (cis-only, ignore_diags=2) computed from their own counts, so the
    full-depth balanced map is the truth for balanced methods. Chromosomes in `exclude` or with
    fewer than `min_bins` bins are left out.
    """
    from sciml.files import atomic_path

    clr = open_cool(cool)
    binsize = int(clr.binsize)
    sizes = {c: n for c, n in chromosome_sizes(cool).items() if c not in exclude}
    rng = np.random.default_rng(seed)
    full, low = {}, {}
    for chrom in sizes:
        m = read_matrix(cool, chrom)
        if m.shape[0] < min_bins:
            continue
        if not np.array_equal(m, np.round(m)):
            raise InputError(cool, "thinning needs integer counts, the matrix has fractional values", chrom)
        full[chrom] = m.astype(np.int64)
        low[chrom] = thin(full[chrom], 1.0 / denominator, rng)
    if not full:
        raise InputError(cool, f"no chromosome with >= {min_bins} bins")
    lengths = {c: sizes[c] for c in full}
    with atomic_path(out_dir) as staged:
        staged.mkdir()
        for name, maps in ((FULL, full), (thinned_file(denominator), low)):
            weights = {c: ice_weights(m, path=cool) for c, m in maps.items()}
            write_cool(staged / name, maps, binsize, lengths, weights)
    return Path(out_dir)


def _balanced_pair(low: np.ndarray, truth: np.ndarray, valid: np.ndarray, path: str | os.PathLike[str]) -> MapPair:
    """ICE-balance a low-depth map; scale the balanced full-depth map (masked to `valid`) to its total."""
    noisy, _ = balance(low, path=path)
    keep = np.outer(valid, valid)
    clean = truth * (noisy[keep].sum() / max(truth[keep].sum(), 1e-300))
    return MapPair(noisy, clean * keep, valid)


def real_pairs(prepared: str | os.PathLike[str], denominator: int, chroms: Sequence[str], draws: int = 1,
               seed: int = 0) -> list[MapPair]:
    """(balanced 1/K map, balanced full-depth map scaled to the same total) pairs for fine-tuning.

    The first pair of each chromosome uses the prepared 1/K file; `draws` > 1 adds `draws` - 1
    further binomial thinnings of each full-depth map (fresh counting noise on the same few
    chromosomes, a data augmentation; seeded by `seed`), after all the prepared ones.
    """
    prepared = Path(prepared)
    low_path = prepared / thinned_file(denominator)
    full = {chrom: read_matrix(prepared / FULL, chrom) for chrom in chroms}
    truths = {chrom: balance(m, path=prepared / FULL) for chrom, m in full.items()}
    pairs = [_balanced_pair(read_matrix(low_path, chrom), *truths[chrom], low_path) for chrom in chroms]
    rng = np.random.default_rng(seed)
    for _ in range(draws - 1):
        pairs += [_balanced_pair(thin(full[chrom].astype(np.int64), 1.0 / denominator, rng), *truths[chrom],
                                 prepared / FULL) for chrom in chroms]
    return pairs


def split_real(chroms: Sequence[str], test: Sequence[str], val: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(train, val, test) chromosome lists; names must exist and the sets must not overlap."""
    for key, names in (("hic.yeast.test_chromosomes", test), ("hic.yeast.val_chromosomes", val)):
        missing = sorted(set(names) - set(chroms))
        if missing:
            raise ConfigError(key, f"unknown chromosomes {missing} (have {', '.join(chroms)})")
    if set(test) & set(val):
        raise ConfigError("hic.yeast.val_chromosomes", f"overlaps the test chromosomes: {sorted(set(test) & set(val))}")
    train = [c for c in chroms if c not in set(test) | set(val)]
    if not train:
        raise ConfigError("hic.yeast.test_chromosomes", "leaves no chromosome to fine-tune on")
    return train, list(val), list(test)
