"""What a patch network reads from an ICE-balanced chromosome besides the distance and the bin tracks:
its baseline map (the channel its output corrects), the ICE map when the baseline is smoothed, and
the input's depth.

Everything is computed in band storage (`sciml.hic.band.BandMatrix`), so training (small dense
maps, converted to bands) and inference on whole chromosomes read identical values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter

from sciml.hic.band import BandMatrix
from sciml.hic.patches import encode_counts
from sciml.hic.settings import DenoiserSettings

TILE_ROWS = 256  # rows of the band smoothed at a time
SMOOTH_TRUNCATE = 4.0  # the Gaussian kernel is cut at this many sd
DEPTH_SCALE = 5.0  # the depth channel is log10(contacts per valid bin) / DEPTH_SCALE


def gaussian_smooth_band(bm: BandMatrix, sigma: float, truncate: float = SMOOTH_TRUNCATE) -> np.ndarray:
    """2D Gaussian smoothing of a band map that ignores masked bins (normalised convolution), in tiles.

    Equal to `sciml.hic.baselines.gaussian_smooth(dense, sigma, valid)` at every distance up to
    `width - 2 radius` (radius = int(truncate * sigma + 0.5)); pixels beyond the band's width are
    treated as missing, so the last `2 radius` distances are smoothed over the band only. Memory is
    O(TILE_ROWS x width), never N x N.

    Returns:
        out[i, d] = smoothed M[i, i + d] for d <= width; 0 on masked bins and beyond the map.

    Shapes:
        bm: N bins, width W -> (N, W + 1) float64.
    """
    n, w = bm.n, bm.width
    radius = int(truncate * sigma + 0.5)
    margin = radius + 1
    out = np.zeros((n, w + 1))
    valid = bm.valid
    for a in range(0, n, TILE_ROWS):
        b = min(a + TILE_ROWS, n)
        r0, r1 = max(a - margin, 0), min(b + margin, n)
        c1 = min(b + w + margin, n)
        rows = np.arange(r0, r1)[:, None]
        cols = np.arange(r0, c1)[None, :]
        dist = np.abs(cols - rows)
        known = (dist <= w) & valid[rows] & valid[cols]
        lo = np.minimum(rows, cols)
        window = np.where(known, bm.values[lo, np.minimum(dist, w)], 0.0)
        mask = known.astype(np.float64)
        num = gaussian_filter(window, sigma=sigma, mode="nearest", truncate=truncate)
        den = gaussian_filter(mask, sigma=sigma, mode="nearest", truncate=truncate)
        smooth = np.where(mask > 0, num / np.maximum(den, 1e-12), 0.0)
        i = np.arange(a, b)[:, None]
        j = i + np.arange(w + 1)[None, :]
        inside = j < n
        out[a:b] = np.where(inside, smooth[i - r0, np.minimum(j, c1 - 1) - r0], 0.0)
    return out


def depth_value(bm: BandMatrix) -> float:
    """The depth channel's value: log10(contacts per valid bin) / DEPTH_SCALE of a balanced map (whose
    total is the raw map's: `sciml.hic.baselines.balance`)."""
    kept = max(int(bm.valid.sum()), 1)
    return float(np.log10(max(bm.valid_total() / kept, 1.0)) / DEPTH_SCALE)


@dataclass
class InputBands:
    """The encoded (log1p) maps a patch network reads, in band storage.

    Attributes:
        first: the baseline the network corrects (its first channel).
        extra: further maps, after the distance and track channels (the ICE map for 'ice_gauss').
        depth: the depth channel's constant value, or None.

    Shapes:
        first, each extra: (N, W + 1) float32.
    """

    first: np.ndarray
    extra: list[np.ndarray]
    depth: float | None


def input_bands(balanced: BandMatrix, settings: DenoiserSettings) -> InputBands:
    """The baseline, extra maps and depth of an ICE-balanced chromosome for a network with `settings`."""
    ice = encode_counts(balanced.values)
    depth = depth_value(balanced) if settings.depth_channel else None
    if settings.baseline == "ice":
        return InputBands(ice, [], depth)
    smooth = encode_counts(gaussian_smooth_band(balanced, settings.baseline_sigma))
    return InputBands(smooth, [ice], depth)


def baseline_reach(settings: DenoiserSettings, width: int) -> int:
    """Largest distance (bins) at which a denoiser's output replaces its input: the model's band and,
    for a smoothed baseline (ICE + Gaussian), the baseline beyond it out to twice the band, as far as
    a band of `width` holds the smoothed map exactly (`gaussian_smooth_band`)."""
    if settings.baseline == "ice":
        return settings.band_bins
    radius = int(SMOOTH_TRUNCATE * settings.baseline_sigma + 0.5)
    return max(settings.band_bins, min(2 * settings.band_bins, width - 2 * radius))


def baseline_band(balanced: BandMatrix, settings: DenoiserSettings, reach: int | None = None) -> np.ndarray:
    """The baseline map itself (counts units, not encoded): what a gated model returns untrained, what
    a denoiser returns beyond its band (up to `baseline_reach`) and what `sciml hic denoise` falls back
    to outside the training range.

    Args:
        balanced: the ICE-balanced chromosome.
        settings: the denoiser's baseline and band.
        reach: largest distance returned (default: the model's band).

    Shapes:
        balanced: N bins, width W -> (N, reach + 1) float64.
    """
    reach = settings.band_bins if reach is None else reach
    if settings.baseline == "ice":
        return balanced.values[:, :reach + 1].copy()
    return gaussian_smooth_band(balanced, settings.baseline_sigma)[:, :reach + 1]
