"""Whole-chromosome denoising: overlapping band patches, blended, symmetric, in band storage.

The chromosome is held as a `BandMatrix` (the diagonals the patches reach, plus summaries of the
rest), never as a dense N x N map: memory grows as N x (band + 2 x patch), so a 25,000-bin
chromosome needs tens of MB. `denoise_band` is the one implementation; `denoise_chromosome` and
`denoise_matrix` are its dense front ends for small maps (training, evaluation).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from sciml.hic.band import BandMatrix, band_to_dense, band_window, reverse_band, window_indices
from sciml.hic.bincorrect import PROFILE_RANGES, apply_log_factor_band, predict_log_factor
from sciml.hic.inputs import InputBands, baseline_band, baseline_reach, input_bands
from sciml.hic.patches import band_positions, decode_counts, distance_channel, encode_counts, in_band
from sciml.hic.settings import DenoiserSettings
from sciml.hic.tracks import NEAR_BINS, bin_tracks, pad_tracks, track_channels


def band_width(patch_size: int, band_bins: int) -> int:
    """Width (bins) of the band a chromosome must be held in for patches of `patch_size` within
    `band_bins` of the diagonal, the tracks and the per-bin correctors' profiles."""
    return max(band_bins + 2 * patch_size, PROFILE_RANGES[-1][1], NEAR_BINS[1])


def denoise_band(model: nn.Module, settings: DenoiserSettings, balanced: BandMatrix,
                 device: str | torch.device = "cpu", correctors: Sequence[nn.Module] = (),
                 batch_size: int = 16, progress: bool = True) -> np.ndarray:
    """Denoise one ICE-balanced chromosome held as a band, with a patch model and its correctors.

    With `correctors`, the denoised band is multiplied by `exp(c_i + c_j)` (on the log1p scale),
    c = the mean of their per-bin log factors (an ensemble of correctors trained with different seeds).
    Beyond the band, a model correcting a smoothed baseline returns that baseline (ICE + Gaussian)
    out to `sciml.hic.inputs.baseline_reach` (twice the band), so no scored distance falls back to
    the noisier ICE map.

    Args:
        model: the patch network.
        settings: its patch size, band, tracks and reverse averaging.
        balanced: the ICE-balanced map (masked bins zero), width >= `band_width(...)`.
        device: where to run.
        correctors: per-bin correctors (`sciml.hic.bincorrect.BinCorrector`).
        batch_size: patches per forward pass.
        progress: show a progress bar over patch batches (silent when not on a terminal).

    Returns:
        Denoised band: out[i, d] = denoised M[i, i + d] for d <= reach = `baseline_reach(settings, width)`.

    Shapes:
        balanced: N bins -> (N, reach + 1) float64.
    """
    band = settings.band_bins
    out = _denoise_net(model, balanced, settings.patch_size, band, None, batch_size, device,
                       settings.bin_tracks, settings.reverse_average, progress, settings)
    if correctors:
        valid = balanced.valid
        denoised = balanced.with_near(out)
        factor = np.mean([predict_log_factor(c, balanced, denoised, valid, band, device) for c in correctors], axis=0)
        out = apply_log_factor_band(out, factor, valid)
    reach = baseline_reach(settings, balanced.width)
    if reach == band:
        return out
    return np.concatenate([out, baseline_band(balanced, settings, reach)[:, band + 1:]], axis=1)


def denoise_chromosome(model: nn.Module, settings: DenoiserSettings, balanced: np.ndarray,
                       device: str | torch.device = "cpu", correctors: Sequence[nn.Module] = (),
                       batch_size: int = 16) -> np.ndarray:
    """`denoise_band` of a dense ICE-balanced chromosome (bins with contacts are the valid ones);
    pixels beyond the output's reach (the band, or twice the band for a smoothed baseline) keep the input.

    Shapes:
        balanced: (N, N) -> (N, N) float64.
    """
    valid = balanced.sum(axis=1) > 0
    bm = BandMatrix.from_dense(balanced, valid, band_width(settings.patch_size, settings.band_bins))
    return band_to_dense(denoise_band(model, settings, bm, device, correctors, batch_size), balanced)


def _blend_window(size: int) -> np.ndarray:
    """Separable triangular weights (size, size), highest at the centre, never zero."""
    ramp = np.minimum(np.arange(1, size + 1), np.arange(size, 0, -1)).astype(np.float64)
    return np.outer(ramp, ramp)


def _patch_input(inputs: InputBands, tracks: np.ndarray | None, i0: int, j0: int, size: int, band: int
                 ) -> np.ndarray:
    """Model input (C, size, size) of the patch at (i0, j0): baseline (from the encoded band), distance
    (, tracks) (, extra maps) (, depth); the order of `sciml.hic.patches.PatchDataset`."""
    parts = [np.stack([band_window(inputs.first, i0, j0, size), distance_channel(i0, j0, size, band)])]
    if tracks is not None:
        parts.append(track_channels(tracks, i0, j0, size))
    parts += [band_window(m, i0, j0, size)[None] for m in inputs.extra]
    if inputs.depth is not None:
        parts.append(np.full((1, size, size), inputs.depth, dtype=np.float32))
    return np.concatenate(parts)


def denoise_matrix(
    model: nn.Module, counts: np.ndarray, patch_size: int, band_bins: int, stride: int | None = None,
    batch_size: int = 16, device: str | torch.device = "cpu", use_tracks: bool = False,
    valid: np.ndarray | None = None, reverse_average: bool = False,
) -> np.ndarray:
    """Denoise one chromosome's count map within `band_bins` of the diagonal (dense front end).

    Args:
        model: the patch network.
        counts: symmetric non-negative counts (any N, also N < patch_size).
        patch_size: side of the square patches.
        band_bins: distance band (bins) denoised.
        stride: patch grid stride (default 3/4 of the patch: neighbouring patches overlap by a quarter).
        batch_size: patches per forward pass.
        device: where to run.
        use_tracks: feed the per-bin context tracks (`sciml.hic.tracks.bin_tracks`) as extra channels
            (for models trained with them, setting `bin_tracks`).
        valid: usable bins (default: bins with any contact); pixels of the others are read as 0.
        reverse_average: also denoise the chromosome with its bin order reversed (both axes flipped:
            a symmetry of Hi-C maps), flip back and average the two on the log1p scale (test-time
            augmentation; twice the cost).

    Returns:
        Symmetric map of denoised counts; pixels beyond the band keep the input counts.

    Shapes:
        counts: (N, N); valid: (N,) bool; returns (N, N) float64.
    """
    usable = counts.sum(axis=1) > 0 if valid is None else np.asarray(valid, dtype=bool)
    bm = BandMatrix.from_dense(counts, usable, band_width(patch_size, band_bins))
    out = _denoise_net(model, bm, patch_size, band_bins, stride, batch_size, device, use_tracks, reverse_average)
    return band_to_dense(out, counts)


@torch.no_grad()
def _denoise_net(model: nn.Module, balanced: BandMatrix, patch_size: int, band_bins: int, stride: int | None,
                 batch_size: int, device: str | torch.device, use_tracks: bool, reverse_average: bool,
                 progress: bool = True, settings: DenoiserSettings | None = None) -> np.ndarray:
    """The patch network over a band: (N, band_bins + 1) denoised values (see `denoise_matrix`);
    `settings` chooses the baseline, extra maps and depth channel (default: the ICE map alone)."""
    if reverse_average:
        args = (patch_size, band_bins, stride, batch_size, device, use_tracks, False, progress, settings)
        forward = _denoise_net(model, balanced, *args)
        flipped = reverse_band(_denoise_net(model, balanced.reversed(), *args))
        return np.expm1((np.log1p(forward) + np.log1p(flipped)) / 2)
    n = balanced.n
    size = patch_size
    stride = stride or max(3 * size // 4, 1)
    inputs = (input_bands(balanced, settings) if settings is not None
              else InputBands(encode_counts(balanced.values), [], None))
    positions = band_positions(n, size, stride, band_bins)
    window = _blend_window(size)
    tracks = pad_tracks(bin_tracks(balanced, balanced.valid, band_bins), size) if use_tracks else None
    total = np.zeros((n, band_bins + 1))
    weight = np.zeros((n, band_bins + 1))
    model.eval().to(device)
    for start in tqdm(range(0, len(positions), batch_size), desc="patches", unit="batch",
                      disable=None if progress else True, leave=False):
        chunk = positions[start:start + batch_size]
        x = np.stack([_patch_input(inputs, tracks, i0, j0, size, band_bins) for i0, j0 in chunk])
        pred = model(torch.from_numpy(x).to(device))[:, 0].float().cpu().numpy()
        for (i0, j0), p in zip(chunk, pred, strict=True):
            # a pixel and its mirror image add to the same band cell: the result is exactly symmetric
            w = window * in_band(i0, j0, size, band_bins, n)
            lo, dist, _ = window_indices(i0, j0, size, n, inputs.first.shape[1] - 1)
            keep = w > 0
            np.add.at(total, (lo[keep], dist[keep]), (w * p)[keep])
            np.add.at(weight, (lo[keep], dist[keep]), w[keep])
    covered = weight > 0
    upper = total / np.maximum(weight, 1e-12)
    smoothed = settings is not None and settings.baseline != "ice"
    uncovered = decode_counts(inputs.first) if smoothed else balanced.values  # the baseline
    return np.where(covered, decode_counts(upper), uncovered[:, :band_bins + 1])
