"""Planted-motif and grammar sets: labels match what was planted."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sciml.enhancers.sequences import decode, reverse_complement
from sciml.enhancers.synthetic import grammar_set, planted_motif_set, sample_instance, split_indices
from sciml.errors import ConfigError

SHARP_A = np.eye(4)[:, [0, 0, 2, 2, 3, 1]]  # AAGGTC, deterministic
SHARP_B = np.eye(4)[:, [1, 1, 1, 3, 3, 3, 0]]  # CCCTTTA


def test_planted_labels_match_sequences():
    X, y = planted_motif_set([SHARP_A, SHARP_B], n=300, length=60, max_motifs=3, seed=0)
    assert X.shape == (300, 4, 60) and y.shape == (300, 2)
    assert (y.sum(axis=1) >= 1).all()
    seqs = decode(X)
    for seq, labels in zip(seqs[:100], y[:100], strict=True):
        if labels[1]:
            assert "CCCTTTA" in seq or reverse_complement("CCCTTTA") in seq
    again, _ = planted_motif_set([SHARP_A, SHARP_B], n=300, length=60, max_motifs=3, seed=0)
    np.testing.assert_array_equal(X, again)


def test_sampling_follows_the_pwm():
    ppm = np.array([[0.7, 0.0], [0.1, 0.0], [0.1, 1.0], [0.1, 0.0]])
    draws = np.array([sample_instance(ppm, np.random.default_rng(i)) for i in range(2000)])
    assert abs((draws[:, 0] == 0).mean() - 0.7) < 0.05 and (draws[:, 1] == 2).all()


def test_grammar_positives_have_the_planted_arrangement():
    X, y, kinds = grammar_set(SHARP_A, SHARP_B, n=400, gap=5, length=80, max_gap=20, seed=1)
    seqs = decode(X)
    assert set(np.unique(kinds)) == {0, 1, 2, 3, 4}
    np.testing.assert_array_equal(y[:, 0], kinds == 0)
    forward = re.compile("AAGGTC.{5}CCCTTTA")
    reverse = re.compile(reverse_complement("CCCTTTA") + ".{5}" + reverse_complement("AAGGTC"))
    for seq, kind in zip(seqs, kinds, strict=True):
        if kind == 0:
            assert forward.search(seq) or reverse.search(seq)


def test_bad_settings_are_config_errors():
    with pytest.raises(ConfigError):
        grammar_set(SHARP_A, SHARP_B, n=10, gap=50, max_gap=30)
    with pytest.raises(ConfigError):
        split_indices(10, (0.5, 0.5, 0.5), 0)
    tr, va, te = split_indices(100, (0.7, 0.1, 0.2), 0)
    assert len(tr) == 70 and len(va) == 10 and len(te) == 20
    assert len(set(tr) | set(va) | set(te)) == 100


def test_instance_counts_follow_the_weights():
    _, y = planted_motif_set([SHARP_A, SHARP_B], n=200, length=60, max_motifs=3, seed=0, count_weights=(1, 0, 0))
    assert (y.sum(axis=1) == 1).all()  # exactly one instance, so exactly one TF
    _, y = planted_motif_set([SHARP_A, SHARP_B], n=400, length=60, max_motifs=3, seed=0, count_weights=(0, 0, 1))
    assert (y.sum(axis=1) == 2).mean() > 0.6  # three instances of two TFs: usually both present
    with pytest.raises(ConfigError, match="count_weights"):
        planted_motif_set([SHARP_A], n=10, length=60, max_motifs=3, count_weights=(1, 0))


def test_planted_instances_use_jaspar_frequencies_without_pseudocounts(jaspar):
    # Sampling from the pseudocounted matrix put bases JASPAR never observed into ~3% of the
    # columns of every instance, lowering the per-task ceiling (oracle mean AUROC 0.93 -> 0.96).
    from sciml.enhancers.jaspar import select_motifs

    arid3a = select_motifs(jaspar, ["Arid3a"])[0]  # MA0151.1, 27 sites, many zero counts
    assert (arid3a.frequencies == 0).sum() >= 10 and (arid3a.ppm > 0).all()
    np.testing.assert_allclose(arid3a.frequencies.sum(axis=0), 1.0)
    draws = np.array([sample_instance(arid3a.frequencies, np.random.default_rng(i)) for i in range(500)])
    observed = arid3a.frequencies[draws, np.arange(draws.shape[1])]
    assert (observed > 0).all()
