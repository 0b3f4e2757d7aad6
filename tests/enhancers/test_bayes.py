"""Bayes posterior of the planted-motif generator: exact against brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np

from sciml.enhancers.bayes import bayes_auroc, bayes_posterior, instance_likelihood_ratios
from sciml.enhancers.oracle import oracle_auroc
from sciml.enhancers.synthetic import indices_to_one_hot, planted_motif_set

A = np.array([[0.7, 0.1], [0.1, 0.0], [0.1, 0.2], [0.1, 0.7]])  # ~AT, with a zero cell
B = np.array([[0.1, 0.1, 0.6], [0.6, 0.1, 0.2], [0.2, 0.7, 0.1], [0.1, 0.1, 0.1]])  # ~CGA


def _brute_force(seq: np.ndarray, ppms: list[np.ndarray], weights: dict[int, float]) -> np.ndarray:
    """P(TF k planted | seq) by enumerating every (count, TFs, strands, starts) of the generator."""
    length, n_tfs = len(seq), len(ppms)
    joint = np.zeros(n_tfs + 1)  # [P(x, k absent) for k] + [P(x)]
    for count, w_count in weights.items():
        for tfs in itertools.product(range(n_tfs), repeat=count):
            widths = [ppms[t].shape[1] for t in tfs]
            valid = [s for s in itertools.product(*(range(length - w + 1) for w in widths))
                     if all(a + wa <= b or b + wb <= a
                            for (a, wa), (b, wb) in itertools.combinations(zip(s, widths, strict=True), 2))]
            total = 0.0
            for starts in valid:
                p = 0.25 ** (length - sum(widths))
                for t, s in zip(tfs, starts, strict=True):
                    w = ppms[t].shape[1]
                    fwd = np.prod(ppms[t][seq[s:s + w], np.arange(w)])
                    rev = np.prod(ppms[t][::-1, ::-1][seq[s:s + w], np.arange(w)])
                    p *= 0.5 * fwd + 0.5 * rev
                total += p
            mass = w_count * n_tfs ** -count * total / len(valid)
            joint[-1] += mass
            for k in range(n_tfs):
                if k not in tfs:
                    joint[k] += mass
    return 1.0 - joint[:-1] / joint[-1]


def test_posterior_equals_brute_force_enumeration():
    rng = np.random.default_rng(0)
    seqs = rng.integers(0, 4, size=(12, 8))
    seqs[0, 2:4] = [0, 3]
    seqs[1, 4:7] = [1, 2, 0]
    seqs[2, 0:3] = [3, 1, 2]  # reverse complement of CGA
    ppms, weights = [A, B], {1: 0.6, 2: 0.4}
    post = bayes_posterior(indices_to_one_hot(seqs), ppms, min_motifs=1, max_motifs=2, count_weights=(0.6, 0.4),
                           batch_size=5)
    expected = np.stack([_brute_force(s, ppms, weights) for s in seqs])
    np.testing.assert_allclose(post, expected, rtol=1e-9, atol=1e-12)
    assert post[1, 1] > 0.5 and post[2, 1] > 0.5


def test_likelihood_ratio_averages_strands():
    x = indices_to_one_hot(np.array([[0, 3, 1]]))
    lr = instance_likelihood_ratios(x, A)
    # AT is its own reverse complement here; TC: forward 0.1 x 0.0, reverse strand (GA) 0.1 x 0.1
    np.testing.assert_allclose(lr[0], [16 * (0.49 + 0.49) / 2, 16 * (0.0 + 0.01) / 2])


def test_posterior_is_at_least_as_good_as_the_pwm_scan():
    ppms = [A, B, np.full((4, 3), 0.25)]
    X, y = planted_motif_set(ppms, n=800, length=30, max_motifs=3, seed=1)
    bayes = bayes_auroc(bayes_posterior(X, ppms, max_motifs=3), y)
    scan = oracle_auroc(X, y, ppms)
    assert (bayes[:2] >= scan[:2] - 0.01).all() and bayes[0] > 0.6
    assert abs(bayes[2] - 0.5) < 0.1  # an uninformative motif stays at chance
