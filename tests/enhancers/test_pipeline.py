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


def test_grouped_folds_keep_orientation_pairs_together_and_cover_every_sequence():
    from sciml.enhancers.pipeline import grouped_folds
    from sciml.enhancers.sequences import reverse_complement, strand_groups

    rng = np.random.default_rng(0)
    cores = ["".join(rng.choice(list("ACGT"), 20)) for _ in range(50)]
    seqs = [f"GGA{c}TTC" for c in cores] + [f"GGA{reverse_complement(c)}TTC" for c in cores]
    folds = grouped_folds(seqs, 4, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(100))
    groups = strand_groups(seqs)
    fold_sets = [set(groups[f]) for f in folds]
    assert all(not (a & b) for i, a in enumerate(fold_sets) for b in fold_sets[i + 1:])
    assert {len(f) for f in folds} <= {24, 26}  # 50 pairs into 4 folds: 12 or 13 pairs each
    assert [f.tolist() for f in grouped_folds(seqs, 4, seed=1)] == [f.tolist() for f in folds]


def test_cross_validation_refuses_data_with_their_own_split():
    from sciml.enhancers.io import SequenceSet
    from sciml.enhancers.pipeline import cross_validate_sequence_model
    from sciml.enhancers.settings import TrainModelSettings

    seqs = SequenceSet(ids=["a", "b", "c"], sequences=["ACGT"] * 3, labels=np.ones((3, 1), np.float32), tasks=["y"],
                       split=np.array(["train", "valid", "test"]))
    with pytest.raises(ConfigError, match="own train/valid/test split"):
        cross_validate_sequence_model(seqs, TrainModelSettings(), 3)
    with pytest.raises(ConfigError, match=">= 2 folds"):
        cross_validate_sequence_model(seqs, TrainModelSettings(), 1)
