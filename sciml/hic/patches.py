"""Patches within a distance band of the diagonal: encoding, positions and a training Dataset."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset

from sciml.hic.tracks import pad_tracks, track_channels


def encode_counts(counts: np.ndarray) -> np.ndarray:
    """Model input scale: log1p(counts), float32, same shape."""
    return np.log1p(np.maximum(counts, 0.0)).astype(np.float32)


def decode_counts(values: np.ndarray) -> np.ndarray:
    """Inverse of `encode_counts` (negative predictions clipped to 0 counts)."""
    return np.expm1(np.maximum(values, 0.0)).astype(np.float64)


def distance_channel(i0: int, j0: int, size: int, band: int) -> np.ndarray:
    """Genomic-distance channel log1p(|i - j|) / log1p(band) for a patch at (i0, j0), shape (size, size)."""
    rows = np.arange(i0, i0 + size)[:, None]
    cols = np.arange(j0, j0 + size)[None, :]
    return (np.log1p(np.abs(rows - cols)) / np.log1p(max(band, 1))).astype(np.float32)


def _starts(n: int, size: int, stride: int) -> list[int]:
    if n <= size:
        return [0]
    starts = list(range(0, n - size + 1, stride))
    return starts if starts[-1] == n - size else [*starts, n - size]


def band_positions(n: int, size: int, stride: int, band: int) -> list[tuple[int, int]]:
    """Top-left corners (i0, j0), j0 >= i0, of patches tiling every pixel with 0 <= j - i <= band."""
    starts = _starts(n, size, stride)
    return [(i0, j0) for i0 in starts for j0 in starts if i0 <= j0 and j0 - i0 - size < band]


def pad_to(matrix: np.ndarray, size: int) -> np.ndarray:
    """Zero-pad a square map to at least (size, size) (for chromosomes smaller than a patch)."""
    n = matrix.shape[0]
    if n >= size:
        return matrix
    out = np.zeros((size, size), dtype=matrix.dtype)
    out[:n, :n] = matrix
    return out


def in_band(i0: int, j0: int, size: int, band: int, n: int) -> np.ndarray:
    """Bool (size, size): pixels of the patch inside the chromosome and within `band` of the diagonal."""
    rows = np.arange(i0, i0 + size)[:, None]
    cols = np.arange(j0, j0 + size)[None, :]
    return (np.abs(rows - cols) <= band) & (rows < n) & (cols < n)


class PatchDataset(Dataset):
    """(input, target, weight) patches cut from whole-chromosome maps.

    Args:
        inputs: encoded noisy maps.
        targets: encoded target maps (same order).
        valid: masks of usable bins.
        size: patch side (bins).
        stride: patch grid stride (bins).
        band: the diagonal band (bins).
        tracks: optional per-bin tracks (`sciml.hic.tracks.bin_tracks`) of the inputs.
        extra: optional further encoded maps per input (after the tracks; e.g. the ICE map when the
            first channel is a smoothed baseline).
        depth: optional constant depth channel value per input (last channel).

    Shapes:
        inputs, targets: each (N_k, N_k) float32; valid: each (N_k,) bool; tracks: each (K, N_k);
        extra: each (E, N_k, N_k). Items: x `(C, size, size)` with channels input, distance, then
        the K row and K column tracks, the E extra maps and the depth channel when given
        (`C = 2 + 2K + E + 1`, terms dropped when absent); y `(1, size, size)`; w `(1, size, size)`
        loss weights.
    """

    def __init__(self, inputs: list[np.ndarray], targets: list[np.ndarray], valid: list[np.ndarray],
                 size: int, stride: int, band: int, tracks: list[np.ndarray] | None = None,
                 extra: list[np.ndarray] | None = None, depth: list[float] | None = None) -> None:
        self.tracks = None if tracks is None else [pad_tracks(t, size) for t in tracks]
        self.extra = None if extra is None else [np.stack([pad_to(m, size) for m in e]) for e in extra]
        self.depth = depth
        self.inputs = [pad_to(m, size) for m in inputs]
        self.targets = [pad_to(m, size) for m in targets]
        self.valid = valid
        self.sizes = [m.shape[0] for m in inputs]
        self.size, self.band = size, band
        # patches without a valid bin among their rows or columns carry no loss: left out
        self.index = [(k, i0, j0) for k, n in enumerate(self.sizes)
                      for i0, j0 in band_positions(n, size, stride, band)
                      if valid[k][i0:i0 + size].any() and valid[k][j0:j0 + size].any()]

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        k, i0, j0 = self.index[item]
        s = self.size
        rows, cols = slice(i0, i0 + s), slice(j0, j0 + s)
        x = np.stack([self.inputs[k][rows, cols], distance_channel(i0, j0, s, self.band)])
        if self.tracks is not None:
            x = np.concatenate([x, track_channels(self.tracks[k], i0, j0, s)])
        if self.extra is not None:
            x = np.concatenate([x, self.extra[k][:, rows, cols]])
        if self.depth is not None:
            x = np.concatenate([x, np.full((1, s, s), self.depth[k], dtype=np.float32)])
        y = self.targets[k][rows, cols][None]
        valid = np.zeros(max(self.sizes[k], s), dtype=bool)
        valid[: self.sizes[k]] = self.valid[k]
        w = in_band(i0, j0, s, self.band, self.sizes[k]) & np.outer(valid[rows], valid[cols])
        return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w[None].astype(np.float32))
