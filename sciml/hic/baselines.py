"""Classical Hi-C baselines: ICE balancing and ICE + 2D Gaussian smoothing."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
from scipy.ndimage import gaussian_filter

from sciml.errors import InputError


def ice_weights(
    matrix: np.ndarray, ignore_diags: int = 2, mad_max: float = 5.0, min_nnz: int = 10,
    tol: float = 1e-10, max_iters: int = 2000, path: str | os.PathLike[str] = "<matrix>",
) -> np.ndarray:
    """ICE weights (Imakaev et al. 2012) of one cis matrix, with cooler's filters and conventions.

    Same algorithm and bin filters as `cooler.balance_cooler` (diagonals < `ignore_diags` ignored,
    bins with < `min_nnz` non-zeros or a marginal more than `mad_max` MADs below the median
    log-marginal masked), but in memory: cooler balances out of core from the file, which takes
    ~9 s for one 1,000-bin chromosome here against milliseconds for this dense version (the tests
    check both give the same weights). Weights are multiplicative (balanced = w_i M_ij w_j) and
    scaled so the balanced marginals are 1.

    Returns (N,) weights; masked bins are NaN.
    """
    m = np.array(matrix, dtype=np.float64)
    n = m.shape[0]
    for d in range(min(ignore_diags, n)):
        idx = np.arange(n - d)
        m[idx, idx + d] = 0.0
        m[idx + d, idx] = 0.0
    ok = ice_mask((m > 0).sum(axis=1), m.sum(axis=1), mad_max, min_nnz)
    if not ok.any():
        raise InputError(path, "ICE masked every bin (too few contacts to balance)")
    m *= np.outer(ok, ok)
    return ice_iterate(lambda v: m @ v, ok, tol=tol, max_iters=max_iters)


def ice_mask(nnz: np.ndarray, marginal: np.ndarray, mad_max: float = 5.0, min_nnz: int = 10) -> np.ndarray:
    """Bins ICE keeps (cooler's filters): >= `min_nnz` non-zeros and a marginal at most `mad_max`
    MADs below the median log-marginal (both without the ignored diagonals).

    Shapes:
        nnz, marginal: (N,) per-bin counts of non-zero pixels and sums -> (N,) bool.
    """
    ok = np.asarray(nnz) >= min_nnz
    if ok.any() and mad_max > 0:
        logs = np.log(marginal[ok])
        median = np.median(logs)
        mad = np.median(np.abs(logs - median))
        ok &= marginal >= np.exp(median - mad_max * mad)
    return ok


def ice_weights_pixels(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, ignore_diags: int = 2, mad_max: float = 5.0,
    min_nnz: int = 10, tol: float = 1e-10, max_iters: int = 2000, path: str | os.PathLike[str] = "<matrix>",
) -> np.ndarray:
    """`ice_weights` of a map given by its upper-triangle pixels, in O(pixels) memory (sparse products).

    Shapes:
        rows, cols, values: (P,) with rows <= cols, each pixel once; returns (N,) weights, NaN = masked.
    """
    import scipy.sparse as sp

    rows, cols = np.asarray(rows), np.asarray(cols)
    keep = (cols - rows >= ignore_diags) & (np.asarray(values) != 0)
    r, c, v = rows[keep], cols[keep], np.asarray(values, dtype=np.float64)[keep]
    nnz = np.bincount(r, minlength=n) + np.bincount(c, minlength=n)
    marginal = np.bincount(r, v, minlength=n) + np.bincount(c, v, minlength=n)
    ok = ice_mask(nnz, marginal, mad_max, min_nnz)
    if not ok.any():
        raise InputError(path, "ICE masked every bin (too few contacts to balance)")
    inside = ok[r] & ok[c]
    upper = sp.csr_matrix((v[inside], (r[inside], c[inside])), shape=(n, n))
    lower = upper.T.tocsr()
    return ice_iterate(lambda x: upper @ x + lower @ x, ok, tol=tol, max_iters=max_iters)


def ice_iterate(
    matvec: Callable[[np.ndarray], np.ndarray], ok: np.ndarray, tol: float = 1e-10, max_iters: int = 2000,
) -> np.ndarray:
    """ICE iteration on a symmetric non-negative map given only as its product v -> M v.

    `matvec` maps (N,) to (N,); rows and columns of bins outside `ok` must already be zero.
    Returns (N,) weights scaled so the balanced marginals are 1; NaN outside `ok`.
    """
    bias = np.ones(ok.size)
    for _ in range(max_iters):
        # balanced marginals sum_j m_ij / (b_i b_j), one matrix-vector product per sweep
        marg = matvec(1.0 / bias) / bias
        marg = marg / marg[ok].mean()
        marg[~ok] = 1.0
        bias *= marg
        if marg[ok].var() < tol:
            break
    weights = np.where(ok, 1.0 / bias, np.nan)
    w = np.nan_to_num(weights)
    scale = np.sqrt(np.mean((matvec(w) * w)[ok]))
    return weights / scale


def balance(matrix: np.ndarray, ignore_diags: int = 2, path: str | os.PathLike[str] = "<matrix>"
            ) -> tuple[np.ndarray, np.ndarray]:
    """ICE-balanced map scaled back to the raw map's total (so its values stay count-like).

    Returns (balanced (N, N), valid (N,) bool); masked bins are 0 in the map.
    """
    weights = ice_weights(matrix, ignore_diags=ignore_diags, path=path)
    valid = np.isfinite(weights)
    balanced = apply_weights(matrix, weights)
    total = matrix[np.ix_(valid, valid)].sum()
    return balanced * (total / max(balanced.sum(), 1e-300)), valid


def apply_weights(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Balanced map w_i * M_ij * w_j with masked (NaN-weight) bins set to 0, shape (N, N)."""
    w = np.nan_to_num(weights, nan=0.0)
    return matrix * np.outer(w, w)


def unbalance(balanced: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Undo ICE: M_ij / (w_i w_j) (up to a global scale) with masked (NaN-weight) bins 0, shape (N, N).

    Puts a balanced method's output back into the raw space of the map whose `weights` were used,
    so it can be compared like-for-like with raw counts (which keep their per-bin biases).
    """
    w = np.nan_to_num(weights, nan=0.0)
    inverse = np.divide(1.0, w, out=np.zeros_like(w), where=w > 0)
    return balanced * np.outer(inverse, inverse)


def gaussian_smooth(matrix: np.ndarray, sigma: float = 1.0, valid: np.ndarray | None = None) -> np.ndarray:
    """2D Gaussian smoothing that ignores masked bins (normalised convolution), shape (N, N)."""
    if valid is None:
        return gaussian_filter(matrix, sigma=sigma, mode="nearest")
    mask = np.outer(valid, valid).astype(np.float64)
    num = gaussian_filter(matrix * mask, sigma=sigma, mode="nearest")
    den = gaussian_filter(mask, sigma=sigma, mode="nearest")
    return np.where(mask > 0, num / np.maximum(den, 1e-12), 0.0)
