"""Whole-chromosome denoising: overlapping band patches, blended, symmetric."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from sciml.hic.bincorrect import apply_log_factor, predict_log_factor
from sciml.hic.patches import band_positions, decode_counts, distance_channel, encode_counts, in_band, pad_to
from sciml.hic.settings import DenoiserSettings
from sciml.hic.tracks import bin_tracks, pad_tracks, track_channels


def denoise_chromosome(model: nn.Module, settings: DenoiserSettings, balanced: np.ndarray,
                       device: str | torch.device = "cpu", correctors: Sequence[nn.Module] = (),
                       batch_size: int = 16) -> np.ndarray:
    """Denoise one ICE-balanced chromosome with a patch model and its settings.

    With `correctors`, the denoised band is multiplied by `exp(c_i + c_j)` (on the log1p scale),
    c = the mean of their per-bin log factors (an ensemble of correctors trained with different seeds).

    Args:
        model: the patch network.
        settings: its patch size, band, tracks and reverse averaging.
        balanced: the ICE-balanced map.
        device: where to run.
        correctors: per-bin correctors (`sciml.hic.bincorrect.BinCorrector`).
        batch_size: patches per forward pass.

    Shapes:
        balanced: (N, N) -> (N, N) float64.
    """
    band = settings.band_bins
    out = denoise_matrix(model, balanced, settings.patch_size, band, batch_size=batch_size, device=device,
                         use_tracks=settings.bin_tracks, reverse_average=settings.reverse_average)
    if not correctors:
        return out
    valid = balanced.sum(axis=1) > 0
    factor = np.mean([predict_log_factor(c, balanced, out, valid, band, device) for c in correctors], axis=0)
    return apply_log_factor(out, factor, valid, band)


def _blend_window(size: int) -> np.ndarray:
    """Separable triangular weights (size, size), highest at the centre, never zero."""
    ramp = np.minimum(np.arange(1, size + 1), np.arange(size, 0, -1)).astype(np.float64)
    return np.outer(ramp, ramp)


def _patch_input(encoded: np.ndarray, tracks: np.ndarray | None, i0: int, j0: int, size: int, band: int
                 ) -> np.ndarray:
    """Model input (C, size, size) of the patch at (i0, j0): counts, distance (, tracks)."""
    x = np.stack([encoded[i0:i0 + size, j0:j0 + size], distance_channel(i0, j0, size, band)])
    return x if tracks is None else np.concatenate([x, track_channels(tracks, i0, j0, size)])


@torch.no_grad()
def denoise_matrix(
    model: nn.Module, counts: np.ndarray, patch_size: int, band_bins: int, stride: int | None = None,
    batch_size: int = 16, device: str | torch.device = "cpu", use_tracks: bool = False,
    valid: np.ndarray | None = None, reverse_average: bool = False,
) -> np.ndarray:
    """Denoise one chromosome's count map within `band_bins` of the diagonal.

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
        valid: usable bins for the tracks (default: bins with any contact).
        reverse_average: also denoise the chromosome with its bin order reversed (both axes flipped:
            a symmetry of Hi-C maps), flip back and average the two on the log1p scale (test-time
            augmentation; twice the cost).

    Returns:
        Symmetric map of denoised counts; pixels beyond the band keep the input counts.

    Shapes:
        counts: (N, N); valid: (N,) bool; returns (N, N) float64.
    """
    if reverse_average:
        kwargs = dict(patch_size=patch_size, band_bins=band_bins, stride=stride, batch_size=batch_size, device=device,
                      use_tracks=use_tracks)
        forward = denoise_matrix(model, counts, valid=valid, **kwargs)
        flipped = denoise_matrix(model, np.ascontiguousarray(counts[::-1, ::-1]),
                                 valid=None if valid is None else np.asarray(valid)[::-1], **kwargs)[::-1, ::-1]
        return np.expm1((np.log1p(forward) + np.log1p(flipped)) / 2)
    n = counts.shape[0]
    size = patch_size
    stride = stride or max(3 * size // 4, 1)
    encoded = pad_to(encode_counts(counts), size)
    positions = band_positions(n, size, stride, band_bins)
    window = _blend_window(size)
    tracks = None
    if use_tracks:
        usable = counts.sum(axis=1) > 0 if valid is None else np.asarray(valid, dtype=bool)
        tracks = pad_tracks(bin_tracks(counts, usable, band_bins), size)
    total = np.zeros(encoded.shape, dtype=np.float64)
    weight = np.zeros(encoded.shape, dtype=np.float64)
    model.eval().to(device)
    for start in tqdm(range(0, len(positions), batch_size), desc="patches", unit="batch", disable=None):
        chunk = positions[start:start + batch_size]
        x = np.stack([_patch_input(encoded, tracks, i0, j0, size, band_bins)
                      for i0, j0 in chunk])
        pred = model(torch.from_numpy(x).to(device))[:, 0].float().cpu().numpy()
        for (i0, j0), p in zip(chunk, pred, strict=True):
            w = window * in_band(i0, j0, size, band_bins, n)
            total[i0:i0 + size, j0:j0 + size] += w * p
            weight[i0:i0 + size, j0:j0 + size] += w
    total, weight = total[:n, :n], weight[:n, :n]
    # Patches lie on or above the diagonal; mirror the upper triangle (averaging the two halves of
    # diagonal patches) so the result is exactly symmetric.
    upper = np.triu(total + total.T) / np.maximum(np.triu(weight + weight.T), 1e-12)
    covered = np.triu(weight + weight.T) > 0
    out = np.where(covered, decode_counts(upper), np.triu(counts))
    return np.triu(out) + np.triu(out, 1).T
