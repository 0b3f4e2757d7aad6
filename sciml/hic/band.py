"""A symmetric contact map kept only near its diagonal (plus per-distance and per-bin summaries of
the rest), so whole chromosomes are denoised in O(N x width) memory, never as a dense N x N map.

`BandMatrix` holds `values[i, d] = M[i, i + d]` for distances 0..width, every diagonal's sum
over all distances, and each bin's sum beyond the width: what the denoiser's patches, its per-bin
context tracks and the per-bin correctors read. Masked bins are zero in all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve


@dataclass(frozen=True)
class BandMatrix:
    """Near-diagonal band of a symmetric map with masked bins zeroed.

    Attributes:
        values: `values[i, d] = M[i, i + d]` for d <= width (0 where i + d >= N).
        diag_sums: sum of every diagonal d = 0..N-1 (all distances).
        far_sums: per-bin sum of M[i, j] over partners with |i - j| > width.
        valid: usable bins.

    Shapes:
        values: (N, width + 1); diag_sums, far_sums: (N,); valid: (N,) bool.
    """

    values: np.ndarray
    diag_sums: np.ndarray
    far_sums: np.ndarray
    valid: np.ndarray

    @property
    def n(self) -> int:
        """Number of bins."""
        return int(self.valid.size)

    @property
    def shape(self) -> tuple[int, int]:
        """(N, N), as the dense map's."""
        return self.n, self.n

    @property
    def width(self) -> int:
        """Largest distance (bins) held in `values`."""
        return int(self.values.shape[1] - 1)

    @classmethod
    def from_dense(cls, matrix: np.ndarray, valid: np.ndarray, width: int) -> BandMatrix:
        """Band of a dense symmetric (N, N) map; masked bins are zeroed."""
        valid = np.asarray(valid, dtype=bool)
        m = np.asarray(matrix, dtype=np.float64) * np.outer(valid, valid)
        i, j = np.nonzero(np.triu(m))
        return cls.from_pixels(i, j, m[i, j], valid, width)

    @classmethod
    def from_pixels(cls, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, valid: np.ndarray, width: int
                    ) -> BandMatrix:
        """Band of a map given by its upper-triangle pixels (each (i, j), i <= j, at most once).

        Shapes:
            rows, cols, values: (P,); valid: (N,) bool.
        """
        valid = np.asarray(valid, dtype=bool)
        n = valid.size
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        values = np.asarray(values, dtype=np.float64) * (valid[rows] & valid[cols])
        d = cols - rows
        width = int(max(width, 0))
        band = np.zeros((n, width + 1))
        near = d <= width
        band[rows[near], d[near]] = values[near]
        far = ~near
        far_sums = (np.bincount(rows[far], values[far], minlength=n)
                    + np.bincount(cols[far], values[far], minlength=n))
        diag_sums = np.bincount(d, values, minlength=n)[:n]
        return cls(band, diag_sums, far_sums, valid)

    def diagonal(self, d: int) -> np.ndarray:
        """Diagonal d (N - d,), as `numpy.diagonal(M, d)`; d must be <= width."""
        d = abs(int(d))
        if d > self.width:
            raise ValueError(f"diagonal {d} is beyond the band's width {self.width}")
        return self.values[: self.n - d, d]

    def pair_counts(self) -> np.ndarray:
        """Number of valid bin pairs at each distance 0..N-1, shape (N,)."""
        v = self.valid.astype(np.float64)
        if not v.any():
            return np.zeros(self.n)
        return np.rint(fftconvolve(v, v[::-1])[self.n - 1:])

    def expected(self, max_bins: int | None = None) -> np.ndarray:
        """Mean of each diagonal over valid pairs (P(s)), distances 0..max_bins, shape (max_bins + 1,)."""
        max_bins = self.n - 1 if max_bins is None else int(max_bins)
        out = np.zeros(max_bins + 1)
        top = min(max_bins, self.n - 1) + 1
        pairs = self.pair_counts()[:top]
        out[:top] = np.divide(self.diag_sums[:top], pairs, out=np.zeros(top), where=pairs > 0)
        return out

    def valid_total(self) -> float:
        """Sum of the whole symmetric map (both triangles) over valid bins."""
        return float(self.diag_sums[0] + 2 * self.diag_sums[1:].sum())

    def with_near(self, near: np.ndarray) -> BandMatrix:
        """This map with distances 0..K-1 replaced by `near` (N, K) (e.g. a denoised band); masked bins
        zeroed, diagonal sums updated, the rest kept."""
        k = near.shape[1]
        values = self.values.copy()
        j = np.arange(self.n)[:, None] + np.arange(k)[None, :]
        ok = (j < self.n) & self.valid[:, None] & self.valid[np.minimum(j, self.n - 1)]
        values[:, :k] = np.where(ok, near, 0.0)
        diag_sums = self.diag_sums.copy()
        top = min(k, self.n)  # a band may be wider than a short chromosome
        diag_sums[:top] = values[:, :top].sum(axis=0)
        return BandMatrix(values, diag_sums, self.far_sums, self.valid)

    def reversed(self) -> BandMatrix:
        """The map with its bin order reversed (both axes flipped)."""
        return BandMatrix(reverse_band(self.values), self.diag_sums, self.far_sums[::-1].copy(),
                          self.valid[::-1].copy())

    def patch(self, i0: int, j0: int, size: int) -> np.ndarray:
        """Dense (size, size) window M[i0:i0+size, j0:j0+size], zero outside the map (`band_window`)."""
        return band_window(self.values, i0, j0, size)

    def to_dense(self) -> np.ndarray:
        """The dense (N, N) map within the band (zero beyond it); for small maps and tests."""
        n = self.n
        out = np.zeros((n, n))
        for d in range(min(self.width, n - 1) + 1):
            idx = np.arange(n - d)
            out[idx, idx + d] = self.values[: n - d, d]
            out[idx + d, idx] = self.values[: n - d, d]
        return out


def band_to_dense(band: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """A dense map with `band[i, d]` at (i, i + d) and (i + d, i) for d <= width and `outside` elsewhere.

    Shapes:
        band: (N, width + 1); outside: (N, N) -> (N, N).
    """
    n = outside.shape[0]
    out = np.array(outside, dtype=np.float64)
    for d in range(min(band.shape[1] - 1, n - 1) + 1):
        idx = np.arange(n - d)
        out[idx, idx + d] = band[: n - d, d]
        out[idx + d, idx] = band[: n - d, d]
    return out


def reverse_band(values: np.ndarray) -> np.ndarray:
    """Band values of the bin-reversed map: out[i, d] = values[N - 1 - i - d, d] (0 beyond the map).

    Shapes:
        values: (N, width + 1) -> (N, width + 1).
    """
    n, w1 = values.shape
    d = np.broadcast_to(np.arange(w1)[None, :], (n, w1))
    src = n - 1 - np.arange(n)[:, None] - d
    return np.where(src >= 0, values[np.clip(src, 0, None), d], 0).astype(values.dtype)


def window_indices(i0: int, j0: int, size: int, n: int, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, distance, inside) index arrays (size, size) of the window at (i0, j0) in band storage.

    Raises:
        ValueError: the window reaches beyond the band's width.
    """
    rows = np.arange(i0, i0 + size)[:, None]
    cols = np.arange(j0, j0 + size)[None, :]
    dist = np.abs(cols - rows)
    inside = (rows < n) & (cols < n)
    if (dist[inside] > width).any():
        raise ValueError(f"window at ({i0}, {j0}) of size {size} reaches beyond the band's width {width}")
    return np.minimum(np.minimum(rows, cols), n - 1), np.minimum(dist, width), inside


def band_window(values: np.ndarray, i0: int, j0: int, size: int) -> np.ndarray:
    """Dense (size, size) window M[i0:i0+size, j0:j0+size] of a band (values (N, width + 1)), 0 outside."""
    n, w1 = values.shape
    lo, dist, inside = window_indices(i0, j0, size, n, w1 - 1)
    return np.where(inside, values[lo, dist], 0).astype(values.dtype)
