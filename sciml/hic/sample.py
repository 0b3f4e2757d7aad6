"""Random subsets of a Hi-C map's contacts (`cooltools sample` semantics), seeded, streamed over pixels.

Every thinning in sciml goes through `binomial_thin`: the simulated low-depth copies
(`sciml.hic.simulate.thin`), the real-data protocols and `sciml hic sample`, which writes a
cooler with the input's bins (`sample_cool`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from sciml.errors import ConfigError, InputError
from sciml.files import atomic_path

CHUNK_PIXELS = 2_000_000  # pixels read, thinned and written at a time


def binomial_thin(counts: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Keep each contact independently with probability `fraction`: Binomial(count, fraction) per pixel.

    Zero counts draw nothing from `rng`, so thinning the non-zero pixels of a map in row-major
    upper-triangle order (a cooler's pixel table) gives the same result as thinning its dense upper
    triangle with the same generator.

    Shapes:
        counts: (P,) non-negative integers -> (P,) int64.
    """
    if not 0 < fraction <= 1:
        raise ConfigError("frac", f"the fraction of contacts kept must be in (0, 1], got {fraction}")
    return rng.binomial(np.asarray(counts, dtype=np.int64), fraction)


def _checked_counts(values: np.ndarray, path: str | os.PathLike[str]) -> np.ndarray:
    """Raw pixel counts as int64; `InputError` for NaN/inf, negative or fractional counts."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        if not np.all(np.isfinite(values)):
            raise InputError(path, f"{int(np.sum(~np.isfinite(values)))} NaN or infinite counts in the pixel table")
        if not np.array_equal(values, np.round(values)):
            raise InputError(path, "non-integer counts (a balanced or denoised map?): sampling needs raw counts")
    elif values.dtype.kind not in "iu":
        raise InputError(path, f"counts of dtype {values.dtype} are not numbers")
    if values.size and values.min() < 0:
        raise InputError(path, f"negative counts in the pixel table (min {values.min():g})")
    return values.astype(np.int64)


def total_contacts(clr, path: str | os.PathLike[str]) -> int:
    """Sum of the raw counts of a cooler's pixel table, validating every chunk."""
    n = int(clr.info["nnz"])
    total = 0
    for lo in range(0, n, CHUNK_PIXELS):
        total += int(_checked_counts(clr.pixels()[lo:min(lo + CHUNK_PIXELS, n)]["count"].to_numpy(), path).sum())
    return total


def sample_cool(
    cool: str | os.PathLike[str], out: str | os.PathLike[str], frac: float | None = None, count: int | None = None,
    exact: bool = False, seed: int = 0, complement_out: str | os.PathLike[str] | None = None,
) -> dict[str, int]:
    """Write a random subset of a cooler's contacts as a new cooler with the same bins.

    As `cooltools sample`: with `frac`, every contact is kept with probability `frac` (binomial
    thinning of each pixel's count); with `count`, `frac = count / total`, or with `exact` exactly
    `count` contacts drawn without replacement (multivariate hypergeometric). Seeded, streamed in
    chunks of pixels. The output keeps the input's bins (`chrom`, `start`, `end`; balancing weights
    are dropped, they belong to the input's counts) and raw integer counts.

    Args:
        cool: input `.cool` (or `.mcool::/resolutions/N`) with raw integer counts.
        out: output `.cool` (written atomically).
        frac: fraction of contacts kept, in (0, 1].
        count: number of contacts kept (instead of `frac`).
        exact: with `count`, keep exactly `count` contacts.
        seed: random seed.
        complement_out: also write the contacts not kept (input minus output) there, e.g. as an
            independent target for a thinned map.

    Returns:
        `{"input_contacts", "kept_contacts"}`.

    Raises:
        ConfigError: neither or both of `frac` and `count`, a fraction outside (0, 1], a count above the total.
        InputError: not a cooler, or counts that are not raw non-negative integers (nothing is written).
    """
    import cooler

    from sciml.hic.io import open_cool

    if (frac is None) == (count is None):
        raise ConfigError("frac", "give exactly one of --frac and --count")
    if exact and count is None:
        raise ConfigError("exact", "--exact needs --count")
    clr = open_cool(cool)
    total = total_contacts(clr, cool)
    if count is not None:
        if not 0 < count <= total:
            raise ConfigError("count", f"must be in 1..{total} (the input's contacts), got {count}")
        frac = count / total
    assert frac is not None
    if not 0 < frac <= 1:
        raise ConfigError("frac", f"the fraction of contacts kept must be in (0, 1], got {frac}")
    rng = np.random.default_rng(seed)
    n = int(clr.info["nnz"])
    bins = clr.bins()[["chrom", "start", "end"]][:]
    kept_total = 0
    remaining_total, remaining_draws = total, count

    def chunks(keep_rest: bool):
        nonlocal kept_total, remaining_total, remaining_draws
        for lo in range(0, n, CHUNK_PIXELS):
            pixels = clr.pixels()[lo:min(lo + CHUNK_PIXELS, n)]
            counts = _checked_counts(pixels["count"].to_numpy(), cool)
            if exact:
                in_chunk = int(counts.sum())
                draws = int(rng.hypergeometric(in_chunk, remaining_total - in_chunk, remaining_draws)) \
                    if remaining_total > in_chunk else remaining_draws
                kept = rng.multivariate_hypergeometric(counts, draws) if draws else np.zeros_like(counts)
                remaining_total -= in_chunk
                remaining_draws -= draws
            else:
                kept = binomial_thin(counts, frac, rng)
            kept_total += int(kept.sum())
            yield _split_chunk(pixels, counts, kept, keep_rest)

    # the complement needs the same draws: both files are written from one pass over the pixels (held in
    # memory until both are written)
    with atomic_path(out) as staged:
        if complement_out is None:
            cooler.create_cooler(str(staged), bins, (p for p, _ in chunks(False)), ordered=True,
                                 symmetric_upper=clr.storage_mode == "symmetric-upper", dtypes={"count": "int32"})
        else:
            rest: list[pd.DataFrame] = []
            kept_pixels = []
            for kept_px, rest_px in chunks(True):
                kept_pixels.append(kept_px)
                rest.append(rest_px)
            cooler.create_cooler(str(staged), bins, kept_pixels, ordered=True,
                                 symmetric_upper=clr.storage_mode == "symmetric-upper", dtypes={"count": "int32"})
            with atomic_path(complement_out) as staged_rest:
                cooler.create_cooler(str(staged_rest), bins, rest, ordered=True,
                                     symmetric_upper=clr.storage_mode == "symmetric-upper", dtypes={"count": "int32"})
    return {"input_contacts": total, "kept_contacts": kept_total}


def _split_chunk(pixels: pd.DataFrame, counts: np.ndarray, kept: np.ndarray, keep_rest: bool
                 ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(kept pixels, rest pixels or None) of one chunk, zero-count pixels dropped."""
    ids = pixels[["bin1_id", "bin2_id"]].reset_index(drop=True)
    kept_px = ids[kept > 0].assign(count=kept[kept > 0])
    if not keep_rest:
        return kept_px, None
    rest = counts - kept
    return kept_px, ids[rest > 0].assign(count=rest[rest > 0])


def sample_summary(result: dict[str, int], out: str | os.PathLike[str]) -> str:
    """One line for the CLI."""
    share = result["kept_contacts"] / max(result["input_contacts"], 1)
    return f"kept {result['kept_contacts']:,} of {result['input_contacts']:,} contacts ({share:.4g}) in {Path(out)}"
