"""Motif grammar by in-silico probing: insert motif pairs at every spacing and both orders into
dinucleotide-shuffled backgrounds and read the model's predicted activity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from sciml.enhancers.evaluate import predict_proba


@dataclass
class ProbeResult:
    """Mean predicted probability per gap (bp between the end of the first motif and the
    start of the second) for A then B (`ab`) and B then A (`ba`), and for the background alone."""

    gaps: np.ndarray
    ab: np.ndarray
    ba: np.ndarray
    background: float

    @property
    def best_gap(self) -> int:
        """Gap with the highest activity over both orders."""
        order = self.ab if self.ab.max() >= self.ba.max() else self.ba
        return int(self.gaps[int(order.argmax())])

    @property
    def a_before_b(self) -> bool:
        """True when A then B reaches a higher activity than B then A."""
        return bool(self.ab.max() > self.ba.max())


def shuffled_backgrounds(X: np.ndarray, n: int, seed: int) -> np.ndarray:
    """`n` dinucleotide shuffles (tangermeme) of sequences drawn from `X (N, 4, L)` -> (n, 4, L)."""
    from tangermeme.ersatz import dinucleotide_shuffle

    rng = np.random.default_rng(seed)
    picks = rng.choice(len(X), size=n, replace=len(X) < n)
    shuffled = dinucleotide_shuffle(torch.as_tensor(X[picks], dtype=torch.float32), n=1, random_state=seed)
    return shuffled[:, 0].numpy().astype(np.float32)


def _insert(backgrounds: np.ndarray, motif: np.ndarray, start: int) -> np.ndarray:
    out = backgrounds.copy()
    out[:, :, start:start + motif.shape[1]] = motif[None]
    return out


def probe_spacing(model: torch.nn.Module, backgrounds: np.ndarray, motif_a: np.ndarray, motif_b: np.ndarray,
                  max_gap: int, target: int = 0) -> ProbeResult:
    """Activity of A..B and B..A pairs at gaps 0..max_gap, centred in each background.

    Args:
        model: a trained classifier.
        backgrounds: sequences the motif pairs are inserted into.
        motif_a: first motif instance (e.g. a consensus sequence), inserted as given (forward strand).
        motif_b: second motif instance.
        max_gap: largest gap probed, in bp.
        target: the output task probed.

    Returns:
        Mean predicted probability per gap and order, and the backgrounds' own mean.

    Shapes:
        backgrounds: (N, 4, L) one-hot.
        motif_a, motif_b: (4, W) one-hot.
    """
    L = backgrounds.shape[2]
    gaps = np.arange(max_gap + 1)
    base = float(predict_proba(model, backgrounds)[:, target].mean())
    ab, ba = np.zeros(len(gaps)), np.zeros(len(gaps))
    for k, gap in enumerate(gaps):
        for first, second, store in ((motif_a, motif_b, ab), (motif_b, motif_a, ba)):
            span = first.shape[1] + gap + second.shape[1]
            s = (L - span) // 2
            probes = _insert(_insert(backgrounds, first, s), second, s + first.shape[1] + gap)
            store[k] = predict_proba(model, probes)[:, target].mean()
    return ProbeResult(gaps, ab, ba, base)


def consensus_one_hot(ppm: np.ndarray) -> np.ndarray:
    """Consensus of `ppm (4, W)` as one-hot (4, W) float32."""
    return np.eye(4, dtype=np.float32)[ppm.argmax(axis=0)].T.copy()
