"""Pipeline helpers and the iEnhancer model folder."""

from __future__ import annotations

import numpy as np
import pytest

import sciml
from sciml.enhancers.pipeline import load_sequences, subsample
from sciml.errors import ConfigError


def test_subsample_is_stratified_and_seeded():
    labels = np.r_[np.ones(100), np.zeros(300)]
    keep = subsample(labels, 40, seed=0)
    assert len(keep) == 40 and labels[keep].sum() == 10
    np.testing.assert_array_equal(keep, subsample(labels, 40, seed=0))


def test_sequences_need_labels_or_negatives(tmp_path):
    (tmp_path / "p.fa").write_text(">a\nACGT\n")
    with pytest.raises(ConfigError, match="--negative"):
        load_sequences(tmp_path / "p.fa")


def test_ienhancer_classifier_round_trips_as_one_module(tmp_path):
    from sciml.enhancers.kmers import KmerLogistic
    from sciml.enhancers.models import EnhancerClassifier, MotifCNNConfig, build_model, save_classifier
    from sciml.enhancers.sequences import one_hot

    rng = np.random.default_rng(0)
    X = one_hot(["".join(rng.choice(list("ACGT"), 40)) for _ in range(60)], 40)
    labels = np.r_[np.ones(30), np.zeros(30)].astype(int)
    cnn = build_model(MotifCNNConfig(seq_length=40, n_filters=4, filter_size=5, conv_channels=4, hidden=8,
                                     pool_size=2, pool2_size=2)).eval()
    model = EnhancerClassifier(cnn, "ensemble", kmer=KmerLogistic.fit(X, labels, (1, 2), seed=0))
    save_classifier(tmp_path / "m", model)
    loaded = sciml.load_model(tmp_path / "m")
    assert isinstance(loaded, EnhancerClassifier) and loaded.predictor == "ensemble" and loaded.gkm is None
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-6)
    with pytest.raises(ConfigError, match="predictor"):
        EnhancerClassifier(cnn, "kmer")
