"""Map-similarity metrics: HiCRep SCC, Pearson per genomic distance, SSIM and PSNR on [0, 1] patches."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from scipy.ndimage import gaussian_filter


def _masked(matrix: np.ndarray, valid: np.ndarray | None) -> np.ndarray:
    if valid is None:
        return matrix
    return matrix * np.outer(valid, valid)


def scc(a: np.ndarray, b: np.ndarray, max_bins: int, h: int = 1, valid: np.ndarray | None = None) -> float:
    """HiCRep stratum-adjusted correlation coefficient (Yang et al. 2017) via hicreppy.

    Args:
        a: a symmetric map.
        b: a symmetric map on the same bins.
        max_bins: strata (diagonals) 0..max_bins-1 are used, as in hicreppy's genome_scc.
        h: half-width of the 2D mean filter applied to both maps first.
        valid: usable bins; masked bins are zeroed in both maps.

    Shapes:
        a, b: (N, N); valid: (N,) bool.
    """
    from hicreppy import hicrep
    from hicreppy.utils import mat_process

    max_bins = int(min(max_bins, a.shape[0] - 1))
    if max_bins < 1:
        return float("nan")
    n = a.shape[0]
    near = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= max_bins + h  # as hicreppy's diag_trim
    mats = []
    for m in (a, b):
        full = sp.coo_matrix(_masked(m, valid) * near)
        mats.append(mat_process.smooth(full, h) if h > 0 else full)
    with warnings.catch_warnings():  # constant (e.g. all-masked) diagonals give NaN, which SCC skips
        warnings.simplefilter("ignore")
        return float(hicrep.get_scc(mats[0], mats[1], max_bins=max_bins))


def distance_pearson(
    a: np.ndarray, b: np.ndarray, max_bins: int, valid: np.ndarray | None = None
) -> np.ndarray:
    """Pearson correlation of the two maps' diagonals at distances 0..max_bins, shape (max_bins + 1,).

    Entries touching a masked bin are left out; a diagonal with < 3 usable pixels or no variance is NaN.
    """
    n = a.shape[0]
    out = np.full(max_bins + 1, np.nan)
    for d in range(min(max_bins, n - 1) + 1):
        x, y = np.diagonal(a, d), np.diagonal(b, d)
        if valid is not None:
            keep = valid[: n - d] & valid[d:]
            x, y = x[keep], y[keep]
        if x.size >= 3 and x.std() > 0 and y.std() > 0:
            out[d] = np.corrcoef(x, y)[0, 1]
    return out


def band_patches(matrix: np.ndarray, size: int) -> np.ndarray:
    """Non-overlapping (size, size) patches along the diagonal, shape (K, size, size)."""
    n = matrix.shape[0]
    starts = range(0, max(n - size, 0) + 1, size) if n >= size else [0]
    return np.stack([matrix[s:s + size, s:s + size] for s in starts])


def unit_scale(matrix: np.ndarray, vmax: float) -> np.ndarray:
    """Clip to [0, vmax] and divide by vmax (the DeepHiC/HiCARN [0, 1] scaling)."""
    return np.clip(matrix / vmax, 0.0, 1.0)


def ssim(x: np.ndarray, y: np.ndarray, sigma: float = 1.5, data_range: float = 1.0) -> float:
    """Mean structural similarity (Wang et al. 2004, Gaussian window) of two 2D images in [0, data_range]."""
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    blur = lambda z: gaussian_filter(z, sigma, mode="reflect", truncate=3.5)  # noqa: E731
    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx**2, blur(y * y) - my**2, blur(x * y) - mx * my
    score = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
    return float(score.mean())


def psnr(x: np.ndarray, y: np.ndarray, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB of two images in [0, data_range]."""
    mse = float(np.mean((x - y) ** 2))
    return float("inf") if mse == 0 else float(10 * np.log10(data_range**2 / mse))


def patch_ssim_psnr(
    pred: np.ndarray, truth: np.ndarray, size: int = 40, valid: np.ndarray | None = None, quantile: float = 0.99
) -> tuple[float, float]:
    """Mean SSIM and PSNR over diagonal patches after scaling both maps to [0, 1].

    Both maps are first divided by their mean over valid near-diagonal pixels (so library depth does
    not matter), then clipped at the truth's `quantile` within the patches and scaled to [0, 1].
    """
    p, t = _masked(pred, valid), _masked(truth, valid)
    n = t.shape[0]
    near = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) < size
    if valid is not None:
        near &= np.outer(valid, valid)
    p = p / max(p[near].mean(), 1e-12)
    t = t / max(t[near].mean(), 1e-12)
    vmax = max(float(np.quantile(t[near], quantile)), 1e-12)
    ps, ts = band_patches(unit_scale(p, vmax), size), band_patches(unit_scale(t, vmax), size)
    return (float(np.mean([ssim(a, b) for a, b in zip(ps, ts, strict=True)])),
            float(np.mean([psnr(a, b) for a, b in zip(ps, ts, strict=True)])))
