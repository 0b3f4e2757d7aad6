"""PWMs from first-layer filters (Basset / Koo method), information content, trimming (MEME files: `io`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from sciml.enhancers.models import MotifCNN


@dataclass
class FilterPWM:
    """A filter's aligned-site motif: `ppm (4, W)` after trimming, `n_sites` windows counted.

    `offset` is the first kept column of the untrimmed filter-width window.
    """

    index: int
    ppm: np.ndarray
    n_sites: int
    offset: int

    @property
    def name(self) -> str:
        return f"filter{self.index}"


def information_content(ppm: np.ndarray) -> np.ndarray:
    """Information content in bits of each column of `ppm (4, W)` against a uniform background -> (W,)."""
    p = np.clip(ppm, 1e-12, 1.0)
    return 2.0 + (p * np.log2(p)).sum(axis=0)


@torch.no_grad()
def _activations(model: MotifCNN, X: torch.Tensor, batch_size: int, device: torch.device):
    """Batches of `X` with their per-strand filter activations (B, S, F, L)."""
    for start in range(0, len(X), batch_size):
        x = X[start:start + batch_size]
        yield x, model.strand_activations(x.to(device)).cpu()


@torch.no_grad()
def filter_pwms(
    model: MotifCNN, X: np.ndarray, threshold: float = 0.5, pseudocount: float = 0.5,
    min_ic: float = 0.2, min_sites: int = 10, batch_size: int = 512,
) -> list[FilterPWM]:
    """Turn each first-layer filter into a position probability matrix.

    For every filter, the windows (filter width, aligned to the filter) of `X (N, 4, L)` where
    its activation exceeds `threshold` x its maximum over `X` are summed into a count matrix,
    a pseudocount is added per cell, columns are normalised, and the ends are trimmed while
    their information content is below `min_ic` bits. Filters with fewer than `min_sites`
    windows (dead filters) are left out. A strand-shared filter's reverse-strand hits are counted
    as the reverse complement of their window, so every site is read in the filter's orientation.
    """
    model.eval()
    device = next(model.parameters()).device
    X_t = torch.as_tensor(X, dtype=torch.float32)
    width = model.config.filter_size
    pad = width // 2
    n_filters = model.config.n_filters
    peak = torch.full((n_filters,), -torch.inf)
    for _, act in _activations(model, X_t, batch_size, device):
        peak = torch.maximum(peak, act.amax(dim=(0, 1, 3)))
    counts = torch.zeros(n_filters, 4, width, dtype=torch.float64)
    sites = torch.zeros(n_filters, dtype=torch.long)
    cut = (threshold * peak).clamp(min=0)[None, :, None]
    for x, act in _activations(model, X_t, batch_size, device):
        padded = torch.nn.functional.pad(x, (pad, width - 1 - pad))
        windows = padded.unfold(2, width, 1)  # (B, 4, L, W): window starting at each position
        for strand in range(act.shape[1]):
            hit = (act[:, strand] > cut) & (peak[None, :, None] > 0)  # (B, F, L)
            b, f, pos = hit.nonzero(as_tuple=True)  # hits are sparse: gather their windows only
            sites_at = windows[b, :, pos].double()  # (H, 4, W)
            counts.index_add_(0, f, sites_at.flip(1, 2) if strand else sites_at)
            sites += torch.bincount(f, minlength=n_filters)
    pwms = []
    for f in range(n_filters):
        if int(sites[f]) < min_sites:
            continue
        ppm = counts[f].numpy() + pseudocount
        ppm /= ppm.sum(axis=0, keepdims=True)
        ic = information_content(ppm)
        keep = np.flatnonzero(ic >= min_ic)
        if len(keep) == 0:
            continue
        lo, hi = int(keep[0]), int(keep[-1]) + 1
        pwms.append(FilterPWM(f, ppm[:, lo:hi], int(sites[f]), lo))
    return pwms
