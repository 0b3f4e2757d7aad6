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


C = "TTGCGAAT"  # not its own reverse complement (B is), so all four arrangements differ


class Cooperation(torch.nn.Module):
    """Logit = -4 + 2 per motif present (A, C, either strand) + 4 when A is followed by C on one strand
    after exactly 7 bp: additive motifs plus one cooperative arrangement (a known grammar)."""

    def __init__(self) -> None:
        super().__init__()
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rc_a, rc_c = reverse_complement(A), reverse_complement(C)
        logits = []
        for row in x:
            s = "".join("ACGT"[i] for i in row.argmax(0).tolist())
            pair = bool(re.search(A + ".{7}" + C, s) or re.search(rc_c + ".{7}" + rc_a, s))
            logits.append(-4 + 2 * (A in s or rc_a in s) + 2 * (C in s or rc_c in s) + 4 * pair)
        return torch.tensor(logits, dtype=torch.float32)[:, None] + self.dummy


def test_motif_spacing_finds_the_cooperative_arrangement_beside_flat_controls():
    from sciml.enhancers.grammar import ARRANGEMENTS, arrangement_label, motif_spacing

    rng = np.random.default_rng(0)
    X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(20, 60))].transpose(0, 2, 1).copy()
    backgrounds = shuffled_backgrounds(X, 6, seed=0)
    one_hot = {m: np.eye(4, dtype=np.float32)[:, ["ACGT".index(c) for c in m]] for m in (A, C)}
    result = motif_spacing(Cooperation(), backgrounds, one_hot[A], one_hot[C], max_gap=12, n_controls=2, seed=0)
    assert result.interaction.shape == result.interaction_se.shape == (4, 13)
    assert result.control.shape == (4, 13, 4)
    k = [arrangement_label(a) for a in ARRANGEMENTS].index("A+ B+")
    np.testing.assert_allclose(result.interaction[k, 7], 4, atol=0.5)
    others = np.delete(result.interaction.ravel(), k * 13 + 7)
    # a shuffled copy can rebuild a motif with the background's bases now and then, never the pair's rule
    assert np.abs(others).max() < 1 and np.abs(result.control).max() < 2 and np.median(np.abs(result.control)) < 0.1
    assert abs(result.effect_a - 2) < 0.5 and abs(result.effect_b - 2) < 0.5
    summary = result.summary("SP", "CEBP")
    assert summary["best_arrangement"] == "SP+ CEBP+" and summary["best_gap_bp"] == 7
    assert summary["cooperative"] and summary["spacing_specific"]
    assert not summary["sub_additive"] and summary["additive_from_bp"] == 0
    assert summary["arrangements"]["CEBP+ SP+"]["max_interaction"] < 1


def test_motif_spacing_rejects_a_gap_that_does_not_fit():
    import pytest

    from sciml.enhancers.grammar import motif_spacing
    from sciml.errors import ConfigError

    backgrounds = np.full((2, 4, 20), 0.25, dtype=np.float32)
    motif = np.eye(4, dtype=np.float32)[:, [0, 1, 2, 3, 0, 1]]
    with pytest.raises(ConfigError, match="max_gap"):
        motif_spacing(Cooperation(), backgrounds, motif, motif, max_gap=10)
