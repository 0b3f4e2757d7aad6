"""Per-bin context tracks of a balanced map, fed to the denoiser next to its patches.

ICE forces equal row sums, but a bias-free map's row sums are not equal (chromosome ends, bins
beside masked bins, TADs and compartments), and at low depth each ICE weight also carries noise.
Both leave a per-bin factor on the ICE map that a 64x64 patch cannot see; these tracks summarise
each bin's whole row within the band (computed from the input map alone, never from a truth), so
the model can learn the per-bin correction.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import matmul_toeplitz
from scipy.ndimage import uniform_filter1d

from sciml.hic.band import BandMatrix
from sciml.hic.baselines import ice_iterate

TRACK_NAMES = ("log_oe_near", "log_oe_far", "log_oe_beyond", "log_partner_coverage", "log_expected_ice_weight",
               "end_distance", "masked_fraction")
N_TRACKS = len(TRACK_NAMES)
NEAR_BINS = (2, 10)  # distances of the near-diagonal observed/expected track (ICE ignores diagonals 0, 1)
MASK_WINDOW = 10  # half-width of the masked-bin fraction window


def distance_expected(matrix: np.ndarray | BandMatrix, valid: np.ndarray, max_bins: int) -> np.ndarray:
    """Mean of each diagonal 0..max_bins over pixels between valid bins (P(s)), shape (max_bins + 1,).

    `matrix` is a dense (N, N) map or a `BandMatrix` (whose masked bins are those of `valid`).
    """
    if isinstance(matrix, BandMatrix):
        return matrix.expected(max_bins)
    n = matrix.shape[0]
    out = np.zeros(max_bins + 1)
    for d in range(min(max_bins, n - 1) + 1):
        ok = valid[: n - d] & valid[d:]
        if ok.any():
            out[d] = np.diagonal(matrix, d)[ok].mean()
    return out


def bin_tracks(matrix: np.ndarray | BandMatrix, valid: np.ndarray, band: int) -> np.ndarray:
    """Context tracks of every bin of a balanced map, shape (N_TRACKS, N), float32; 0 on masked bins.

    Tracks (see TRACK_NAMES): log observed/expected of the bin's contacts at distances 2..10,
    11..band and beyond the band (expected = the map's own P(s)); log of the expected contacts its
    valid partners within 2..band can give, relative to a bin with all partners (low at chromosome
    ends and beside masked bins); log ICE weight of the distance-only expected map P(|i-j|) on the
    valid bins (the per-bin factor ICE leaves when contacts depend on distance only), centred;
    distance to the nearest chromosome end / band, clipped to 1; fraction of masked bins within
    +-10 bins. Sums of expected contacts over partners are Toeplitz products (FFT), so the cost is
    O(N x band + N log N) and a `BandMatrix` never needs the dense map.

    Args:
        matrix: symmetric balanced map, dense (masked bins may hold anything; they are ignored) or a
            `BandMatrix` of width >= max(band, 10) built with the same `valid`.
        valid: usable bins.
        band: largest distance (bins) considered.

    Shapes:
        matrix: (N, N); valid: (N,) bool; returns (N_TRACKS, N) float32.
    """
    valid = np.asarray(valid, dtype=bool)
    n = valid.size
    band = int(min(band, max(n - 1, 0)))
    edge = max(band, NEAR_BINS[1])
    bm = matrix if isinstance(matrix, BandMatrix) else BandMatrix.from_dense(matrix, valid, edge)
    if bm.width < min(edge, n - 1):
        raise ValueError(f"bin_tracks needs a band of width >= {edge}, got {bm.width}")
    expected = bm.expected()
    groups = np.full(n, -1)
    groups[NEAR_BINS[0]:] = 2
    groups[NEAR_BINS[0]:edge + 1] = 1
    groups[NEAR_BINS[0]:NEAR_BINS[1] + 1] = 0
    obs = np.zeros((3, n))
    for d in range(NEAR_BINS[0], min(bm.width, n - 1) + 1):
        values = bm.values[: n - d, d]
        obs[groups[d], : n - d] += values
        obs[groups[d], d:] += values
    obs[2] += bm.far_sums
    on_valid = valid.astype(np.float64)
    exp = np.zeros((3, n))
    if n > 1:
        floor = 1e-9 * max(float(np.abs(expected).max()), 1e-300)  # FFT round-off where the sum is 0
        for k in range(3):
            kernel = np.where(groups == k, expected, 0.0)
            if kernel.any():
                exp[k] = on_valid * matmul_toeplitz(kernel, on_valid, check_finite=False)
        exp[exp < floor] = 0.0
    coverage = exp[0] + exp[1]
    full = 2 * expected[NEAR_BINS[0]:band + 1].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_oe = np.where((obs > 0) & (exp > 0), np.log(obs / exp), 0.0)
        log_coverage = np.where(coverage > 0, np.log(coverage / full), 0.0) if full > 0 else np.zeros(n)
    positions = np.arange(n)
    ends = np.clip(np.minimum(positions, n - 1 - positions) / max(band, 1), 0.0, 1.0)
    masked = uniform_filter1d((~valid).astype(float), 2 * MASK_WINDOW + 1, mode="constant")
    tracks = np.stack([log_oe[0], log_oe[1], log_oe[2], np.maximum(log_coverage, -5.0),
                       _expected_ice_log_weight(expected, valid), ends, masked])
    return (tracks * valid).astype(np.float32)


def _expected_ice_log_weight(expected: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Centred log ICE weight of the map P(|i-j|) restricted to the valid bins, shape (N,); 0 where masked.

    That map is Toeplitz on the valid bins, so ICE runs on it through FFT matrix-vector products
    (scipy's `matmul_toeplitz`): O(N log N) time and O(N) memory, where the dense map would take
    0.8 GB per copy at 10,000 bins. Like `ice_weights(map, min_nnz=1, mad_max=0)`: diagonals 0
    and 1 ignored, bins without any partner masked.
    """
    n = valid.size
    kernel = np.zeros(n)
    kernel[2:expected.size] = expected[2:n]
    on_valid = valid.astype(np.float64)
    has_partner = matmul_toeplitz((kernel > 0).astype(np.float64), on_valid, check_finite=False) > 0.5
    ok = valid & has_partner
    if not ok.any():
        return np.zeros(n)
    on_ok = ok.astype(np.float64)
    weights = ice_iterate(lambda v: on_ok * matmul_toeplitz(kernel, on_ok * v, check_finite=False), ok)
    logs = np.log(np.where(ok & (weights > 0), weights, 1.0))
    return np.where(valid, logs - logs[valid].mean(), 0.0)


def track_channels(tracks: np.ndarray, i0: int, j0: int, size: int) -> np.ndarray:
    """Tracks broadcast over a patch at (i0, j0): rows' tracks along columns, then columns' along rows.

    Shapes:
        tracks: (K, M) with M >= i0 + size and j0 + size (zero-padded for small chromosomes);
        returns (2K, size, size) float32.
    """
    rows = tracks[:, i0:i0 + size]
    cols = tracks[:, j0:j0 + size]
    k = tracks.shape[0]
    return np.concatenate([np.broadcast_to(rows[:, :, None], (k, size, size)),
                           np.broadcast_to(cols[:, None, :], (k, size, size))]).astype(np.float32)


def pad_tracks(tracks: np.ndarray, size: int) -> np.ndarray:
    """Zero-pad (K, N) tracks to at least (K, size)."""
    k, n = tracks.shape
    if n >= size:
        return tracks
    out = np.zeros((k, size), dtype=tracks.dtype)
    out[:, :n] = tracks
    return out
