"""PWM-scan oracle: scores both strands, separates planted from background, ceiling per task."""

from __future__ import annotations

import numpy as np

from sciml.enhancers.oracle import max_pwm_scores, oracle_auroc
from sciml.enhancers.synthetic import indices_to_one_hot, planted_motif_set, reverse_complement_indices

SHARP = np.full((4, 6), 0.01) + np.eye(4)[:, [0, 0, 2, 2, 3, 1]] * 0.96  # ~AAGGTC
WEAK = np.full((4, 3), 0.25)  # no information: the oracle cannot beat chance


def test_scan_finds_the_motif_on_either_strand():
    rng = np.random.default_rng(0)
    seqs = rng.integers(0, 4, size=(3, 40))
    site = np.array([0, 0, 2, 2, 3, 1])
    seqs[1, 10:16] = site
    seqs[2, 20:26] = reverse_complement_indices(site)
    scores = max_pwm_scores(indices_to_one_hot(seqs), SHARP)
    best = np.log2(0.97 / 0.25) * 6
    np.testing.assert_allclose(scores[1:], best, rtol=1e-5)
    assert scores[0] < best


def test_oracle_is_near_perfect_for_a_sharp_motif_and_chance_for_an_uninformative_one():
    X, y = planted_motif_set([SHARP, WEAK], n=600, length=60, max_motifs=2, seed=0)
    auroc = oracle_auroc(X, y, [SHARP, WEAK])
    assert auroc[0] > 0.95
    assert abs(auroc[1] - 0.5) < 0.1
