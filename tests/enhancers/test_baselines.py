"""GC-only and k-mer baselines fitted on train, scored on the held-out split."""

from __future__ import annotations

import numpy as np

from sciml.enhancers.baselines import baseline_metrics, gc_content
from sciml.enhancers.sequences import one_hot


def _sequences(rng, n, gc):
    return ["".join(rng.choice(list("ACGT"), 60, p=[(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2])) for _ in range(n)]


def test_gc_content_ignores_n():
    X = one_hot(["GGCCAATT", "GCNNNNNN", "NNNN"], 8)
    np.testing.assert_allclose(gc_content(X), [0.5, 1.0, 0.0])


def test_gc_shortcut_is_caught_by_the_gc_baseline():
    rng = np.random.default_rng(0)
    X = one_hot(_sequences(rng, 200, 0.65) + _sequences(rng, 200, 0.35))
    y = np.r_[np.ones(200), np.zeros(200)].astype(np.float32)[:, None]
    order = rng.permutation(400)
    X, y = X[order], y[order]
    metrics = baseline_metrics(X[:300], y[:300], X[300:], y[300:], "binary", (2,))
    assert metrics["gc_auroc"] > 0.95 and metrics["kmer_auroc"] > 0.9
    assert {"gc_mcc", "gc_accuracy", "kmer_mcc", "kmer_accuracy"} <= set(metrics)


def test_regression_baselines_track_a_kmer_activity():
    rng = np.random.default_rng(1)
    seqs = _sequences(rng, 400, 0.5)
    activity = np.array([s.count("AAA") + s.count("TTT") - s.count("ATA") - s.count("TAT") for s in seqs],
                        np.float32)[:, None]  # strand-symmetric and GC-neutral
    X = one_hot(seqs)
    metrics = baseline_metrics(X[:300], activity[:300], X[300:], activity[300:], "regression", (3,))
    assert metrics["kmer_pearson"] > 0.8 > abs(metrics["gc_pearson"])
    assert {"kmer_spearman", "kmer_mse", "gc_mse"} <= set(metrics)


def test_baselines_are_scored_on_a_validation_split_too():
    rng = np.random.default_rng(2)
    X = one_hot(_sequences(rng, 150, 0.65) + _sequences(rng, 150, 0.35))
    y = np.r_[np.ones(150), np.zeros(150)].astype(np.float32)[:, None]
    order = rng.permutation(300)
    X, y = X[order], y[order]
    metrics = baseline_metrics(X[:200], y[:200], X[250:], y[250:], "binary", (2,), X_valid=X[200:250],
                               y_valid=y[200:250])
    assert {"gc_valid_mcc", "kmer_valid_auroc", "gc_auroc", "kmer_mcc"} <= set(metrics)
    assert metrics["gc_valid_auroc"] > 0.9
    alone = baseline_metrics(X[:200], y[:200], X[250:], y[250:], "binary", (2,))
    assert alone["kmer_auroc"] == metrics["kmer_auroc"] and "kmer_valid_auroc" not in alone
