"""Validation of dense contact matrices: square, symmetric, finite, non-negative, same bins."""

from __future__ import annotations

import os

import numpy as np

from sciml.errors import InputError


def check_contact_matrix(
    matrix: np.ndarray, path: str | os.PathLike[str], record: str | None = None, rtol: float = 1e-5
) -> np.ndarray:
    """Return `matrix` if it is a valid contact map, else raise `InputError` naming `path`.

    Args:
        matrix: counts or normalised contacts; NaN is not allowed (mask bins explicitly).
        path: the file the matrix came from (for the message).
        record: e.g. the chromosome name.
        rtol: relative tolerance of the symmetry check.

    Shapes:
        matrix: (N, N).
    """
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise InputError(path, f"contact matrix is not square (shape {matrix.shape})", record)
    if not np.all(np.isfinite(matrix)):
        bad = int(np.sum(~np.isfinite(matrix)))
        raise InputError(path, f"contact matrix has {bad} NaN or infinite entries", record)
    if matrix.size and matrix.min() < 0:
        raise InputError(path, f"contact matrix has negative counts (min {matrix.min():g})", record)
    scale = max(float(np.abs(matrix).max()) if matrix.size else 0.0, 1e-12)
    if not np.allclose(matrix, matrix.T, rtol=rtol, atol=rtol * scale):
        raise InputError(path, "contact matrix is not symmetric", record)
    return matrix


def check_same_bins(
    a: np.ndarray, b: np.ndarray, path_a: str | os.PathLike[str], path_b: str | os.PathLike[str],
    record: str | None = None,
) -> None:
    """Raise `InputError` when two maps that are compared do not share the same bins."""
    if a.shape != b.shape:
        raise InputError(path_b, f"bins do not match {path_a}: shape {b.shape} vs {a.shape}", record)
