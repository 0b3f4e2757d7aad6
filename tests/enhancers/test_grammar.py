"""In-silico spacing probes recover a spacing rule built into a hand-made model."""

from __future__ import annotations

import re

import numpy as np
import torch

from sciml.enhancers.grammar import consensus_one_hot, probe_spacing, shuffled_backgrounds
from sciml.enhancers.sequences import reverse_complement

A = "GGGCGG"
B = "TTGCAA"


class SpacingRule(torch.nn.Module):
    """Logit high only when A is followed by B after exactly 7 bp on either strand (a stand-in
    for a trained model with a known grammar)."""

    def __init__(self) -> None:
        super().__init__()
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seqs = ["".join("ACGT"[i] for i in row.argmax(0).tolist()) for row in x]
        hits = [float(bool(re.search(A + ".{7}" + B, s)) or bool(re.search(reverse_complement(B) + ".{7}"
                                                                             + reverse_complement(A), s)))
                for s in seqs]
        return torch.tensor(hits)[:, None] * 8 - 4 + self.dummy


def test_probe_recovers_planted_gap_and_order():
    rng = np.random.default_rng(0)
    X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(20, 80))].transpose(0, 2, 1).copy()
    backgrounds = shuffled_backgrounds(X, 8, seed=0)
    assert backgrounds.shape == (8, 4, 80)
    np.testing.assert_array_equal(backgrounds.sum(axis=1), 1)
    model = SpacingRule()
    ppm_a = np.eye(4)[:, ["ACGT".index(c) for c in A]]
    ppm_b = np.eye(4)[:, ["ACGT".index(c) for c in B]]
    result = probe_spacing(model, backgrounds, consensus_one_hot(ppm_a), consensus_one_hot(ppm_b), max_gap=20)
    assert result.best_gap == 7 and result.a_before_b
    assert result.ab[7] > 0.9 and result.ba.max() < 0.1
