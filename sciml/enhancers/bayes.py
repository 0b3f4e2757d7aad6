"""Bayes-optimal posterior of the planted-motif generator: the true ceiling of any classifier.

`synthetic.planted_motif_set` draws K instances (P(K) = `count_weights` over min..max), a TF for
each uniformly from T, a strand uniformly, bases from the TF's PPM column by column, and start
positions uniformly among the non-overlapping placements; every other base is uniform. Given a
sequence x, the posterior that TF k was planted is exact under this model:

    P(x, K) / P_bg(x) = w_K * sum over placements of K non-overlapping instances (in position
                        order) of prod_i (LR_{t_i}(s_i) / T) / C(L - sum(widths) + K, K)

where LR_t(s) = 4**w_t * (ppm_t(x[s:s+w_t]) + ppm_rc_t(x[s:s+w_t])) / 2 is the likelihood ratio of
an instance at s (both strands), and C(L - sum(w) + K, K) counts the placements of K intervals of
total width sum(w) in L bases for one positional order (the K! orders cancel against the K!
labellings of the instances). The sum over placements is a dynamic programme over positions
with state (instances placed, total width placed). P(y_k = 0, x) is the same programme without
TF k, so P(y_k = 1 | x) = 1 - sum_K P(x, K, no k) / sum_K P(x, K). Written here because no
library computes the posterior of this particular generator.
"""

from __future__ import annotations

from math import comb

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

from sciml.errors import ConfigError


@torch.no_grad()
def instance_likelihood_ratios(X: np.ndarray, ppm: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """LR of an instance of `ppm (4, W)` starting at each position of `X (N, 4, L)`, strands averaged -> (N, L-W+1).

    Bases with zero probability give LR 0 (the generator samples from the PPM without pseudocount).
    """
    log_ppm = np.log(np.clip(ppm, 1e-300, 1.0)) + np.log(4.0)
    weight = torch.as_tensor(np.stack([log_ppm, log_ppm[::-1, ::-1]]).copy(), dtype=torch.float64)  # (2, 4, W)
    X_t = torch.as_tensor(X, dtype=torch.float64)
    out = [torch.exp(torch.nn.functional.conv1d(X_t[s:s + batch_size], weight)).mean(dim=1)
           for s in range(0, len(X_t), batch_size)]
    return torch.cat(out).numpy()


def _placement_sums(ratios: dict[int, np.ndarray], length: int, max_motifs: int, n_tfs: int) -> np.ndarray:
    """Sum over position-ordered non-overlapping placements of products of `LR / n_tfs` -> (N, K+1, E+1).

    ratios : width -> (N, L-width+1) summed LR of the allowed TFs of that width.
    Entry [n, k, e] sums placements of k instances of total width k * min(widths) + e (indexing
    the excess over the narrowest width keeps the state small: E = K * (max - min width)).
    """
    widths = sorted(ratios)
    n = next(iter(ratios.values())).shape[0]
    max_excess = max_motifs * (widths[-1] - widths[0])
    # forward DP over positions: F[l] covers placements within bases 0..l-1; history[-j] is F[pos - j]
    history = [np.zeros((n, max_motifs + 1, max_excess + 1))]
    history[0][:, 0, 0] = 1.0
    for pos in range(1, length + 1):
        current = history[-1].copy()  # base pos-1 is background
        for w in widths:
            if pos - w < 0:
                continue
            before = history[-w]  # F[pos - w]: the instance occupies bases pos-w .. pos-1
            shift = w - widths[0]
            current[:, 1:, shift:] += before[:, :-1, :max_excess + 1 - shift] * (ratios[w][:, pos - w] / n_tfs)[:, None, None]
        history.append(current)
        if len(history) > widths[-1]:
            history.pop(0)
    return history[-1]


def _log_evidence(X: np.ndarray, lrs: list[np.ndarray], widths: list[int], allowed: list[int],
                  weights: dict[int, float], n_tfs: int) -> np.ndarray:
    """log P(x, TFs only from `allowed`) - log P_bg(x) under the generator -> (N,)."""
    length = X.shape[2]
    grouped: dict[int, np.ndarray] = {}
    for t in allowed:
        grouped[widths[t]] = grouped.get(widths[t], 0.0) + lrs[t]
    if not grouped:
        return np.full(len(X), -np.inf)
    sums = _placement_sums(grouped, length, max(weights), n_tfs)
    narrowest = min(grouped)
    total = np.zeros(len(X))
    for k, w_k in weights.items():
        widths_k = k * narrowest + np.arange(sums.shape[2])  # total width of each excess index
        norm = np.array([comb(length - sw + k, k) if sw <= length else 0 for sw in widths_k], dtype=np.float64)
        total += w_k * (sums[:, k, :] / np.where(norm > 0, norm, np.inf)).sum(axis=1)
    with np.errstate(divide="ignore"):
        return np.log(total)


def bayes_posterior(
    X: np.ndarray, ppms: list[np.ndarray], min_motifs: int = 1, max_motifs: int = 5,
    count_weights: tuple[float, ...] | None = None, batch_size: int = 1000,
) -> np.ndarray:
    """Exact P(TF k planted | x) under `planted_motif_set`'s generator, for `X (N, 4, L)` -> (N, T).

    Arguments are those the set was generated with (`count_weights` None = uniform counts).
    The (tiny) chance that placement failed and nothing was planted is ignored.
    """
    counts = list(range(min_motifs, max_motifs + 1))
    if count_weights is None:
        count_weights = tuple(1.0 for _ in counts)
    if len(count_weights) != len(counts) or min(count_weights) < 0 or sum(count_weights) <= 0:
        raise ConfigError("enhancers.synthetic.count_weights", f"need {len(counts)} non-negative weights")
    weights = {k: w / sum(count_weights) for k, w in zip(counts, count_weights, strict=True) if w > 0}
    widths = [p.shape[1] for p in ppms]
    n_tfs = len(ppms)
    out = np.zeros((len(X), n_tfs))
    for start in range(0, len(X), batch_size):
        xb = X[start:start + batch_size]
        lrs = [instance_likelihood_ratios(xb, p) for p in ppms]
        everything = _log_evidence(xb, lrs, widths, list(range(n_tfs)), weights, n_tfs)
        for k in range(n_tfs):
            without = _log_evidence(xb, lrs, widths, [t for t in range(n_tfs) if t != k], weights, n_tfs)
            out[start:start + batch_size, k] = -np.expm1(without - everything)
    return np.clip(out, 0.0, 1.0)


def bayes_auroc(posterior: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-task AUROC `(T,)` of posteriors `(N, T)` against labels `y (N, T)`; NaN for a one-class task."""
    return np.array([float(roc_auc_score(y[:, t], posterior[:, t])) if len(np.unique(y[:, t])) == 2 else float("nan")
                     for t in range(y.shape[1])])
