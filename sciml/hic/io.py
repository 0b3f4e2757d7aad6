"""Reading and writing `.cool` files (cooler) as dense per-chromosome matrices, with validation."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.hic.matrix import check_contact_matrix

MAX_DENSE_BYTES = 16 * 2**30  # one float64 (N, N) map; beyond this a chromosome needs a coarser binning


def open_cool(path: str | os.PathLike[str]):
    """Open a `.cool` file (or one resolution of an `.mcool`: `file.mcool::/resolutions/N`) as a
    `cooler.Cooler`, with an `InputError` naming the file and the problem when it is not one.

    Raises:
        InputError: no such file, not a cooler, a multi-resolution file without a resolution, or a
            resolution the file does not have (the message lists the ones it has).
    """
    import cooler

    file, _, group = str(path).partition("::")
    if not Path(file).is_file():
        raise InputError(file, "no such .cool file")
    try:
        if not group and cooler.fileops.is_multires_file(file):
            raise InputError(file, f"a multi-resolution file: choose one of {_resolutions(file)} "
                                   f"(as {file}::/resolutions/N)")
        if group and not _has_group(file, group):
            raise InputError(file, f"no group {group} (resolutions in the file: {_resolutions(file)})")
        return cooler.Cooler(str(path))
    except InputError:
        raise
    except Exception as exc:  # cooler raises KeyError/OSError/ValueError for non-cool HDF5 files
        raise InputError(path, f"not a readable .cool file ({type(exc).__name__}: {exc})") from None


def _has_group(file: str, group: str) -> bool:
    import h5py

    with h5py.File(file, "r") as handle:
        return group in handle


def _resolutions(file: str) -> list[str]:
    import h5py

    with h5py.File(file, "r") as handle:
        res = handle.get("resolutions")
        return sorted((f"/resolutions/{k}" for k in res), key=lambda g: int(g.rsplit("/", 1)[1])) if res else []


@contextmanager
def _corruption_named(path: str | os.PathLike[str], chrom: str | None = None) -> Iterator[None]:
    """Turn the errors h5py/cooler raise on a damaged file into an `InputError` naming it."""
    try:
        yield
    except (OSError, ValueError, KeyError, IndexError, TypeError, MemoryError) as exc:
        raise InputError(path, f"corrupt .cool file ({type(exc).__name__}: {exc})", chrom) from None


def chromosome_sizes(path: str | os.PathLike[str]) -> dict[str, int]:
    """Chromosome name -> length in bp, in file order."""
    clr = open_cool(path)
    with _corruption_named(path):
        return {str(k): int(v) for k, v in clr.chromsizes.items()}


def read_matrix(path: str | os.PathLike[str], chrom: str, balance: bool = False) -> np.ndarray:
    """Dense intra-chromosomal matrix of `chrom`, validated.

    Args:
        path: a `.cool` file (or `.mcool::/resolutions/N`).
        chrom: chromosome name.
        balance: divide by the stored ICE weights (`weight` column); masked bins become 0.

    Returns:
        The dense matrix.

    Shapes:
        returns (N, N) float64.
    """
    clr = open_cool(path)
    with _corruption_named(path, chrom):
        if chrom not in clr.chromnames:
            raise InputError(path, f"chromosome not in file (has {', '.join(clr.chromnames)})", chrom)
        if balance and "weight" not in clr.bins().columns:
            raise InputError(path, "ICE was asked for but the cool has no balancing weights ('weight' column)")
        n_bins = _chromosome_bins(clr, path, chrom)
        matrix = np.asarray(clr.matrix(balance=balance, sparse=False).fetch(chrom), dtype=np.float64)
    if matrix.shape != (n_bins, n_bins):
        raise InputError(path, f"corrupt pixel table: a {matrix.shape} map for {n_bins} bins", chrom)
    if balance:
        matrix = np.nan_to_num(matrix, nan=0.0)
    return check_contact_matrix(matrix, path, chrom)


def _chromosome_bins(clr, path: Path, chrom: str) -> int:
    """Number of bins of `chrom`, checked against its length (a corrupt index would ask for terabytes)."""
    start, end = (int(v) for v in clr.extent(chrom))
    length = int(clr.chromsizes[chrom])
    n_bins = end - start
    expected = -(-length // clr.binsize) if clr.binsize else n_bins
    if n_bins <= 0 or n_bins != expected:
        raise InputError(path, f"corrupt bin table: {n_bins} bins for {length} bp at {clr.binsize} bp "
                               f"(expected {expected})", chrom)
    if n_bins * n_bins * 8 > MAX_DENSE_BYTES:
        raise InputError(path, f"{n_bins} bins are too many for a dense matrix "
                               f"({n_bins * n_bins * 8 / 2**30:.0f} GiB); use a coarser resolution", chrom)
    return n_bins


def read_weights(path: str | os.PathLike[str], chrom: str) -> np.ndarray:
    """ICE weights of `chrom`'s bins (NaN = masked bin); `InputError` when the cool has none."""
    clr = open_cool(path)
    with _corruption_named(path, chrom):
        if "weight" not in clr.bins().columns:
            raise InputError(path, "the cool has no balancing weights ('weight' column)")
        return np.asarray(clr.bins().fetch(chrom)["weight"], dtype=np.float64)


def write_cool(
    path: str | os.PathLike[str],
    matrices: Mapping[str, np.ndarray],
    binsize: int,
    chrom_lengths: Mapping[str, int] | None = None,
    weights: Mapping[str, np.ndarray] | None = None,
) -> Path:
    """Write per-chromosome dense matrices as one `.cool` file, atomically.

    Args:
        path: the `.cool` file to write.
        matrices: chrom -> symmetric non-negative matrix; integer-valued matrices are stored as
            int32 counts, others as float64.
        binsize: bin width in bp.
        chrom_lengths: chrom -> length in bp (default N_c * binsize).
        weights: optional chrom -> ICE weights stored in the `weight` column.

    Shapes:
        matrices: each (N_c, N_c); weights: each (N_c,).
    """
    import cooler

    names = list(matrices)
    lengths = {c: int((chrom_lengths or {}).get(c, matrices[c].shape[0] * binsize)) for c in names}
    chromsizes = pd.Series(lengths, dtype="int64")
    bins = cooler.binnify(chromsizes, binsize)
    offsets = np.concatenate([[0], np.cumsum([matrices[c].shape[0] for c in names])])
    for c, start, stop in zip(names, offsets[:-1], offsets[1:], strict=True):
        expected = int((bins["chrom"] == c).sum())
        if stop - start != expected:
            raise InputError(path, f"matrix has {stop - start} bins but {lengths[c]} bp at {binsize} bp needs {expected}", c)
    if weights is not None:
        bins["weight"] = np.concatenate([np.asarray(weights[c], dtype=np.float64) for c in names])
    integral = all(np.array_equal(m, np.round(m)) for m in matrices.values())
    rows, cols, counts = [], [], []
    for c, start in zip(names, offsets[:-1], strict=True):
        i, j = np.nonzero(np.triu(matrices[c]))
        rows.append(i + start)
        cols.append(j + start)
        counts.append(matrices[c][i, j])
    pixels = pd.DataFrame({
        "bin1_id": np.concatenate(rows).astype(np.int64),
        "bin2_id": np.concatenate(cols).astype(np.int64),
        "count": np.concatenate(counts).astype(np.int32 if integral else np.float64),
    })
    with atomic_path(path) as staged:
        cooler.create_cooler(
            str(staged), bins, pixels, ordered=True, symmetric_upper=True,
            dtypes={"count": "int32" if integral else "float64"},
        )
    return Path(path)
