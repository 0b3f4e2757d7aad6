"""Per-class input-gradient saliency of a beat classifier (Simonyan et al. 2014)."""

from __future__ import annotations

import numpy as np
import torch

from sciml.ecg.beats import BeatSet


def class_saliency(model: torch.nn.Module, beats: BeatSet, target: int, batch_size: int = 512) -> np.ndarray:
    """|d logit_target / d waves| of every beat, for the waveform channels.

    Shapes: beats.waves (N, C, L) -> (N, C, L) float32. RR features are held fixed.
    """
    model.eval()
    out = []
    for start in range(0, len(beats), batch_size):
        waves = torch.as_tensor(beats.waves[start:start + batch_size]).requires_grad_(True)
        rr = torch.as_tensor(beats.rr[start:start + batch_size])
        model(waves, rr)[:, target].sum().backward()
        out.append(waves.grad.abs().numpy())
    return np.concatenate(out) if out else np.zeros_like(beats.waves)


def mean_beat_and_saliency(model: torch.nn.Module, beats: BeatSet, target: int) -> tuple[np.ndarray, np.ndarray]:
    """Average beat (L,) of channel 0 and mean saliency (L,) summed over every channel, for the beats of
    class `target` in `beats` (the caller passes only that class's beats)."""
    saliency = class_saliency(model, beats, target)
    return beats.waves[:, 0].mean(axis=0), saliency.sum(axis=1).mean(axis=0)
