"""Attribution of motif-CNN predictions: in-silico saturation mutagenesis and DeepLIFT/SHAP
(both from tangermeme), and seqlets (high-attribution spans) annotated with motif matches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from sciml.enhancers.models import Exponential, MotifCNN


def ism(model: MotifCNN, X: np.ndarray, target: int = 0, batch_size: int = 64) -> np.ndarray:
    """Saturation mutagenesis: logit change of every single-base substitution.

    Returns `(N, 4, L)` mean-centred per position (the usual ISM attribution: the observed
    base's score says how much the prediction would drop if it were mutated).
    """
    from tangermeme.saturation_mutagenesis import saturation_mutagenesis

    model.eval()
    device = next(model.parameters()).device
    X_t = torch.as_tensor(X, dtype=torch.float32)
    delta = saturation_mutagenesis(model, X_t, batch_size=batch_size, target=target, hypothetical=True,
                                   device=device)
    delta = delta.detach().cpu().numpy()
    return delta - delta.mean(axis=1, keepdims=True)


def deep_lift_shap(model: MotifCNN, X: np.ndarray, target: int = 0, n_shuffles: int = 20,
                   seed: int = 0, batch_size: int = 64, hypothetical: bool = False,
                   references: np.ndarray | None = None) -> np.ndarray:
    """DeepLIFT/SHAP attributions against dinucleotide-shuffled references (tangermeme).

    Args:
        model: a trained motif CNN.
        X: one-hot sequences.
        target: the output (task) explained.
        n_shuffles: dinucleotide shuffles per sequence used as references.
        seed: seed of the shuffles.
        batch_size: sequences per batch.
        hypothetical: return the contribution every base would have at each position (what
            TF-MoDISco clusters) instead of the observed bases' contributions only.
        references: one-hot references per sequence to use instead of `n_shuffles`
            dinucleotide shuffles; the attributions of a sequence then sum to the mean over its
            references of the output difference (DeepLIFT's summation-to-delta).

    Shapes:
        X: (N, 4, L) -> (N, 4, L); references: (N, R, 4, L).
    """
    from tangermeme._deep_lift_utils import _nonlinear
    from tangermeme.deep_lift_shap import deep_lift_shap as _dls

    model.eval()
    device = next(model.parameters()).device
    X_t = torch.as_tensor(X, dtype=torch.float32)
    kwargs = {} if references is None else {"references": torch.as_tensor(references, dtype=torch.float32)}
    attr = _dls(model, X_t, target=target, n_shuffles=n_shuffles, random_state=seed, batch_size=batch_size,
                device=device, additional_nonlinear_ops={Exponential: _nonlinear}, warning_threshold=1e-2,
                hypothetical=hypothetical, **kwargs)
    return attr.detach().cpu().numpy()


@dataclass(frozen=True)
class Seqlet:
    """A span `[start, end)` of sequence `example` whose attribution sum is high."""

    example: int
    start: int
    end: int
    score: float
    sequence: str


def top_seqlets(attr: np.ndarray, X: np.ndarray, width: int = 12, per_sequence: int = 3,
                min_fraction: float = 0.2) -> list[Seqlet]:
    """Greedy seqlets: highest-sum windows of `width` bp, non-overlapping, per sequence.

    A window is kept while its attribution sum is >= `min_fraction` x the sequence's best window.
    (A plain greedy scan: the data sets here are too small for tangermeme's FDR-calibrated
    recursive seqlet caller to have a meaningful null.)
    """
    per_pos = attr.sum(axis=1)  # (N, L)
    kernel = np.ones(width)
    seqlets = []
    for i, row in enumerate(per_pos):
        scores = np.convolve(row, kernel, mode="valid")
        best = scores.max()
        taken = np.zeros(len(row), bool)
        for start in np.argsort(-scores):
            if len([s for s in seqlets if s.example == i]) >= per_sequence or scores[start] < min_fraction * best:
                break
            if taken[start:start + width].any() or scores[start] <= 0:
                continue
            taken[start:start + width] = True
            seq = "".join("ACGT"[j] for j in X[i, :, start:start + width].argmax(axis=0))
            seqlets.append(Seqlet(i, int(start), int(start + width), float(scores[start]), seq))
    return seqlets


def seqlet_ppm(seqlet: Seqlet) -> np.ndarray:
    """One-hot (4, W) of a seqlet's bases (with a small pseudocount), for Tomtom annotation."""
    ppm = np.full((4, len(seqlet.sequence)), 0.01)
    for j, base in enumerate(seqlet.sequence):
        ppm["ACGT".index(base), j] += 1.0
    return ppm / ppm.sum(axis=0, keepdims=True)
