"""Denoiser losses on log1p patches: masked MSE and a penalty on the residual's per-bin (rank-1) factor."""

from __future__ import annotations

import torch
from torch import nn


def rank1_factor(residual: torch.Tensor, weight: torch.Tensor, iters: int = 4) -> torch.Tensor:
    """Weighted least-squares fit of `a_i + b_j` to a residual patch, by alternating weighted means.

    Args:
        residual: the residual patches.
        weight: pixel weights; pixels with weight 0 are ignored.
        iters: alternating row/column sweeps (the fit is a smooth function of the residual, so the
            penalty built on it is differentiable).

    Returns:
        The fitted `a_i + b_j` (a per-row plus a per-column log factor).

    Shapes:
        residual, weight: (B, 1, P, P); returns (B, 1, P, P).
    """
    rows_w = weight.sum(dim=3, keepdim=True).clamp_min(1e-6)
    cols_w = weight.sum(dim=2, keepdim=True).clamp_min(1e-6)
    cols = torch.zeros_like(cols_w)
    for _ in range(iters):
        rows = ((residual - cols) * weight).sum(dim=3, keepdim=True) / rows_w
        cols = ((residual - rows) * weight).sum(dim=2, keepdim=True) / cols_w
    return rows + cols


def rank1_penalised_mse(
    model: nn.Module, batch: tuple[torch.Tensor, torch.Tensor, torch.Tensor], penalty: float
) -> torch.Tensor:
    """Masked MSE plus `penalty` x the mean square of the residual's fitted per-bin factor `a_i + b_j`.

    The per-bin factor (what balancing leaves) costs SCC far more than pixel noise of the same
    size, so it is weighted up on its own. x (B, C, P, P), y and w (B, 1, P, P).
    """
    x, y, w = batch
    residual = model(x) - y
    norm = w.sum().clamp_min(1.0)
    mse = (residual**2 * w).sum() / norm
    if penalty == 0:
        return mse
    factor = rank1_factor(residual, w)
    return mse + penalty * (factor**2 * w).sum() / norm


def masked_mse(model: nn.Module, batch: tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Mean squared error on log1p scale over in-band, valid pixels. x (B, C, P, P), y and w (B, 1, P, P)."""
    return rank1_penalised_mse(model, batch, 0.0)
