"""Chromosome-level per-bin log correction of a denoised map (the factor patch models get wrong).

A patch denoiser estimates each bin's factor from a 64-bin window, but the factor ICE leaves is one
number per bin for the whole chromosome (the truth's row sums are not equal: TADs, compartments,
chromosome ends, masked neighbours). `BinCorrector` is a small dilated 1D CNN that reads per-bin
profiles of the denoised and of the input map along the entire chromosome and predicts that factor
`c_i`; the corrected map is `expm1(log1p(M_ij) + c_i + c_j)`. It is trained on simulated
chromosomes the denoiser has not seen, against the least-squares factor between the denoised map
and the bias-free truth (`oracle_log_factor`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch
from scipy.sparse.linalg import lsqr
from torch import nn
from torch.utils.data import Dataset

from sciml.hic.band import BandMatrix
from sciml.hic.tracks import N_TRACKS, bin_tracks, distance_expected
from sciml.nn.conv import DilatedResidualBlock

# distance ranges (bins, inclusive) of the observed/expected profiles
PROFILE_RANGES = ((1, 2), (3, 5), (6, 10), (11, 20), (21, 40), (41, 100))
N_FEATURES = 2 * len(PROFILE_RANGES) + N_TRACKS + 2


def band_pixels(valid: np.ndarray, band: int) -> tuple[np.ndarray, np.ndarray]:
    """Upper-triangle pixels (i, j), 1 <= j - i <= band, between valid bins; two (P,) int arrays."""
    n = valid.size
    rows, cols = [], []
    for d in range(1, min(band, n - 1) + 1):
        i = np.arange(n - d)
        ok = valid[i] & valid[i + d]
        rows.append(i[ok])
        cols.append(i[ok] + d)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def oracle_log_factor(pred: np.ndarray, truth: np.ndarray, valid: np.ndarray, band: int) -> np.ndarray:
    """Least-squares per-bin factor c (N,) with log1p(truth_ij) ~ log1p(pred_ij) + c_i + c_j within `band`.

    A diagnosis and the corrector's training target (it needs the truth). Centred over the valid
    bins (a global scale does not change any metric); 0 on masked bins.
    """
    n = pred.shape[0]
    valid = np.asarray(valid, dtype=bool)
    i, j = band_pixels(valid, band)
    c = np.zeros(n)
    if i.size == 0:
        return c
    residual = np.log1p(np.maximum(truth[i, j], 0)) - np.log1p(np.maximum(pred[i, j], 0))
    rows = np.arange(i.size)
    design = sp.csr_matrix((np.ones(2 * i.size), (np.r_[rows, rows], np.r_[i, j])), shape=(i.size, n))
    # scipy's LSQR for the sparse least-squares problem; the tiny damping fixes the masked bins at 0
    c = lsqr(design, residual, damp=1e-3)[0]
    return np.where(valid, c - c[valid].mean(), 0.0)


def apply_log_factor(matrix: np.ndarray, factor: np.ndarray, valid: np.ndarray, band: int) -> np.ndarray:
    """`expm1(log1p(M_ij) + c_i + c_j)` (clipped at 0) within `band` of the diagonal between valid bins;
    other pixels unchanged. matrix (N, N), factor and valid (N,) -> (N, N)."""
    n = matrix.shape[0]
    near = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= band
    near &= np.outer(valid, valid)
    corrected = np.expm1(np.maximum(np.log1p(np.maximum(matrix, 0)) + factor[:, None] + factor[None, :], 0.0))
    return np.where(near, corrected, matrix)


def apply_log_factor_band(band_values: np.ndarray, factor: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """`apply_log_factor` on a band: values[i, d] = M[i, i + d] for d <= width, between valid bins.

    Shapes:
        band_values: (N, width + 1); factor, valid: (N,) -> (N, width + 1).
    """
    n, w1 = band_values.shape
    j = np.arange(n)[:, None] + np.arange(w1)[None, :]
    inside = j < n
    jj = np.minimum(j, n - 1)
    ok = inside & valid[:, None] & valid[jj]
    shifted = np.log1p(np.maximum(band_values, 0)) + factor[:, None] + factor[jj]
    return np.where(ok, np.expm1(np.maximum(shifted, 0.0)), band_values)


def _oe_profiles(matrix: np.ndarray | BandMatrix, valid: np.ndarray) -> np.ndarray:
    """log observed/expected of each bin's contacts per distance range of PROFILE_RANGES, (R, N);
    `matrix` dense (N, N) or a `BandMatrix` of width >= PROFILE_RANGES[-1][1]."""
    n = matrix.shape[0]
    expected = distance_expected(matrix, valid, min(PROFILE_RANGES[-1][1], max(n - 1, 0)))
    out = np.zeros((len(PROFILE_RANGES), n))
    for k, (lo, hi) in enumerate(PROFILE_RANGES):
        obs, exp = np.zeros(n), np.zeros(n)
        for d in range(lo, min(hi, n - 1) + 1):
            ok = valid[: n - d] & valid[d:]
            values = np.where(ok, matrix.diagonal(d), 0.0)
            for side in (slice(0, n - d), slice(d, n)):
                obs[side] += values
                exp[side] += expected[d] * ok
        with np.errstate(divide="ignore", invalid="ignore"):
            out[k] = np.where((obs > 0) & (exp > 0), np.log(obs / exp), 0.0)
    return out


def bin_features(balanced: np.ndarray | BandMatrix, denoised: np.ndarray | BandMatrix, valid: np.ndarray,
                 band: int) -> np.ndarray:
    """Per-bin inputs of the corrector, shape (N_FEATURES, N) float32, 0 on masked bins.

    Rows: observed/expected profiles of the denoised map and of the balanced input
    (PROFILE_RANGES), the input's context tracks (`bin_tracks`), the log10 depth (mean contacts per
    valid bin of the input, / 5, the same on every bin), the valid mask.

    Shapes:
        balanced, denoised: (N, N) maps on the same bins (counts units), dense or `BandMatrix` (width
            >= max(band, 100)); valid: (N,) bool;
        returns (N_FEATURES, N) float32.
    """
    valid = np.asarray(valid, dtype=bool)
    n = valid.size
    total = balanced.valid_total() if isinstance(balanced, BandMatrix) else balanced[np.ix_(valid, valid)].sum()
    depth = total / max(valid.sum(), 1)
    features = np.concatenate([
        _oe_profiles(denoised, valid), _oe_profiles(balanced, valid), bin_tracks(balanced, valid, band),
        np.full((1, n), np.log10(max(depth, 1.0)) / 5), valid[None].astype(np.float64)])
    return (features * valid).astype(np.float32)


def centre(factor: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Subtract the mean over valid bins and zero masked ones; (B, N) -> (B, N)."""
    mean = (factor * valid).sum(dim=-1, keepdim=True) / valid.sum(dim=-1, keepdim=True).clamp_min(1.0)
    return (factor - mean) * valid


class BinCorrector(nn.Module):
    """Dilated residual 1D CNN: per-bin features (B, F, N) -> centred per-bin log factor (B, N).

    `sciml.nn.DilatedResidualBlock(dim=1, norm="group")` with dilations `dilations` (receptive field
    about +-(kernel_size - 1) * sum(dilations) bins); zero-initialised head, so it starts as no
    correction. The valid mask is the last feature row.
    """

    def __init__(self, in_features: int = N_FEATURES, channels: int = 32, kernel_size: int = 5,
                 dilations: tuple[int, ...] = (1, 2, 4, 8, 16)) -> None:
        super().__init__()
        self.stem = nn.Conv1d(in_features, channels, 1)
        self.blocks = nn.Sequential(*[DilatedResidualBlock(channels, kernel_size, dilation=d, dim=1, norm="group")
                                      for d in dilations])
        self.head = nn.Conv1d(channels, 1, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return centre(self.head(self.blocks(self.stem(x)))[:, 0], x[:, -1])


class ChromosomeDataset(Dataset):
    """Whole chromosomes for the corrector, each also reversed (a reversed chromosome is as likely).

    Args:
        features: per-chromosome features.
        targets: per-chromosome target factors.
        valid: per-chromosome usable bins.
        reverse: also add each chromosome reversed.

    Shapes:
        features: each (F, N_k); targets: each (N_k,); valid: each (N_k,) bool.
        Items: x (F, N_k), y (N_k,), w (N_k,) float32.
    """

    def __init__(self, features: list[np.ndarray], targets: list[np.ndarray], valid: list[np.ndarray],
                 reverse: bool = True) -> None:
        self.items = [(f, t, v) for f, t, v in zip(features, targets, valid, strict=True)]
        if reverse:
            self.items += [(f[:, ::-1], t[::-1], v[::-1]) for f, t, v in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        f, t, v = self.items[item]
        return (torch.tensor(np.ascontiguousarray(f), dtype=torch.float32),
                torch.tensor(np.ascontiguousarray(t), dtype=torch.float32),
                torch.tensor(np.ascontiguousarray(v), dtype=torch.float32))


def factor_loss(model: nn.Module, batch: tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Mean squared error of the predicted factor over valid bins. x (B, F, N), y and w (B, N)."""
    x, y, w = batch
    return ((model(x) - y) ** 2 * w).sum() / w.sum().clamp_min(1.0)


@torch.no_grad()
def predict_log_factor(corrector: nn.Module, balanced: np.ndarray | BandMatrix, denoised: np.ndarray | BandMatrix,
                       valid: np.ndarray,
                       band: int, device: str | torch.device = "cpu") -> np.ndarray:
    """The corrector's per-bin log factor (N,) for one chromosome (0 on masked bins)."""
    x = torch.from_numpy(bin_features(balanced, denoised, valid, band))[None].to(device)
    return corrector.eval().to(device)(x)[0].double().cpu().numpy()
