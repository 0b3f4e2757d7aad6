"""Gapped k-mer features and the gkm-SVM (fit, pickle-free round trip, bad input)."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.enhancers.gkm import GkmSVM, gapped_kmer_counts, gkm_features
from sciml.enhancers.sequences import one_hot
from sciml.errors import ConfigError
from sciml.models import load_model, save_model


def test_counts_by_mask_both_strands_and_skip_n():
    # word 2, informative 1: masks (0,) and (1,), each a block of 4 base counts
    F = gapped_kmer_counts(one_hot(["AAC"], 3), word=2, informative=1)
    assert F.shape == (1, 2 * 4)
    # forward windows AA, AC; reverse-complement strand GTT -> windows GT, TT
    np.testing.assert_array_equal(F[0, :4], [2, 0, 1, 1])  # first positions: A, A | G, T
    np.testing.assert_array_equal(F[0, 4:], [1, 1, 0, 2])  # second positions: A, C | T, T
    # a sequence and its reverse complement have the same features
    np.testing.assert_array_equal(gapped_kmer_counts(one_hot(["ACCGTAG"], 7), 4, 2),
                                  gapped_kmer_counts(one_hot(["CTACGGT"], 7), 4, 2))
    # an N only removes the windows whose informative positions hit it
    assert gapped_kmer_counts(one_hot(["ANA"], 3), 2, 1).sum() == 2 * 2
    np.testing.assert_allclose(np.linalg.norm(gkm_features(one_hot(["ACGTAC", "GGGAAA"], 6), 3, 2), axis=1), 1.0)


def test_bad_settings_are_config_errors():
    X = one_hot(["ACGTACGT"], 8)
    with pytest.raises(ConfigError, match="informative"):
        gapped_kmer_counts(X, 3, 4)
    with pytest.raises(ConfigError, match="longer"):
        gapped_kmer_counts(X, 9, 2)
    with pytest.raises(ConfigError, match="features"):
        gapped_kmer_counts(X, 12, 8)


def _planted(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    seqs = ["".join(rng.choice(list("ACGT"), size=60)) for _ in range(2 * n)]
    for i in range(n):  # positives carry a GATA site at a random position
        j = int(rng.integers(0, 54))
        seqs[i] = seqs[i][:j] + "AGATAA" + seqs[i][j + 6:]
    return one_hot(seqs, 60), np.r_[np.ones(n), np.zeros(n)].astype(int)


def test_gkm_svm_learns_a_motif_and_round_trips(tmp_path):
    X, y = _planted(60, 0)
    model = GkmSVM.fit(X, y, word=6, informative=4, Cs=(0.1, 1.0), inner_folds=3, seed=0)
    assert model.C in (0.1, 1.0) and 0.5 < model.inner_accuracy <= 1.0
    X_test, y_test = _planted(40, 1)
    p = model.predict_proba(X_test)
    assert ((p > 0.5) == y_test).mean() > 0.8  # held-out sequences, not the training set
    save_model(tmp_path / "gkm", model, kind="enhancers.gkm_svm", settings={"word": 6, "informative": 4},
               extra={"gkm": {"C": model.C, "inner_accuracy": model.inner_accuracy}})
    again = load_model(tmp_path / "gkm")
    assert isinstance(again, GkmSVM) and (again.word, again.informative, again.C) == (6, 4, model.C)
    np.testing.assert_array_equal(again.predict_proba(X_test), p)
