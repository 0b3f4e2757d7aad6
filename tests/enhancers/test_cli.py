"""`sciml enhancers train|predict|motifs|extract` through the real CLI entry point."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sciml.cli import main
from sciml.enhancers.sequences import decode
from sciml.enhancers.synthetic import planted_motif_set

MOTIF = np.eye(4)[:, [3, 2, 0, 1, 3, 1, 0, 3]]


def test_train_then_predict_round_trip(tmp_path, capsys):
    X, _ = planted_motif_set([MOTIF], n=120, length=50, max_motifs=1, seed=0)
    seqs = decode(X)
    rng = np.random.default_rng(1)
    neg = ["".join(rng.choice(list("ACGT"), 50)) for _ in range(120)]
    (tmp_path / "pos.fa").write_text("".join(f">p{i}\n{s.lower() if i % 7 == 0 else s}\n" for i, s in enumerate(seqs)))
    (tmp_path / "neg.fa").write_text("".join(f">n{i}\n{s}\n" for i, s in enumerate(neg)))
    (tmp_path / "train.json").write_text(json.dumps({
        "model": {"n_filters": 4, "filter_size": 9, "conv_channels": 4, "hidden": 8, "pool2_size": 2},
        "train": {"max_epochs": 2, "batch_size": 32, "lr": 0.003, "patience": 2}}))
    assert main(["enhancers", "train", "--fasta", str(tmp_path / "pos.fa"), "--negative", str(tmp_path / "neg.fa"),
                 "--out", str(tmp_path / "model"), "--config", str(tmp_path / "train.json"),
                 "--set", "seed=1"]) == 0
    assert (tmp_path / "model" / "model.safetensors").is_file()
    (tmp_path / "query.fa").write_text(">q1\nACGTNNACGT\n>q2\n" + seqs[0] + "AAAA\n")
    assert main(["enhancers", "predict", "--model", str(tmp_path / "model"), "--fasta", str(tmp_path / "query.fa"),
                 "--out", str(tmp_path / "p.tsv")]) == 0
    table = pd.read_csv(tmp_path / "p.tsv", sep="\t")
    assert list(table.columns) == ["id", "prob"] and list(table["id"]) == ["q1", "q2"]
    assert table["prob"].between(0, 1).all()


def test_bad_input_exits_2_without_output(tmp_path, capsys):
    (tmp_path / "bad.fa").write_text(">ok\nACGT\n>broken\nACGU\n")
    code = main(["enhancers", "train", "--fasta", str(tmp_path / "bad.fa"), "--negative", str(tmp_path / "bad.fa"),
                 "--out", str(tmp_path / "model")])
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.fa [broken]" in err and "'U'" in err
    assert not (tmp_path / "model").exists()
    code = main(["enhancers", "predict", "--model", str(tmp_path / "nomodel"), "--fasta", str(tmp_path / "bad.fa"),
                 "--out", str(tmp_path / "p.tsv")])
    assert code == 2 and not (tmp_path / "p.tsv").exists()


def test_extract_writes_peaks_and_background(tmp_path):
    rng = np.random.default_rng(0)
    genome = "".join(rng.choice(list("ACGT"), 4000))
    (tmp_path / "g.fa").write_text(">chr1\n" + "\n".join(genome[i:i + 70] for i in range(0, 4000, 70)) + "\n")
    (tmp_path / "p.bed").write_text("chr1\t500\t600\tpeak1\nchr1\t2000\t2100\tpeak2\n")
    assert main(["enhancers", "extract", "--genome", str(tmp_path / "g.fa"), "--bed", str(tmp_path / "p.bed"),
                 "--set", "length=100", "--out", str(tmp_path / "peaks.fa"), "--background", str(tmp_path / "bg.fa")]) == 0
    peaks = (tmp_path / "peaks.fa").read_text().split()
    assert peaks == [">peak1", genome[500:600], ">peak2", genome[2000:2100]]
    assert (tmp_path / "bg.fa").read_text().count(">") == 2


@pytest.mark.parametrize("predictor", ["kmer", "gkm"])
def test_predict_uses_a_saved_sequence_model(tmp_path, predictor):
    from sciml.enhancers.gkm import GkmSVM
    from sciml.enhancers.kmers import KmerLogistic
    from sciml.enhancers.models import EnhancerClassifier, MotifCNNConfig, build_model, save_classifier
    from sciml.enhancers.sequences import one_hot

    rng = np.random.default_rng(2)
    seqs = ["".join(rng.choice(list("ACGT"), p=p, size=40)) for p in [[0.4, 0.1, 0.1, 0.4]] * 40 + [None] * 40]
    X = one_hot(seqs, 40)
    labels = np.r_[np.ones(40), np.zeros(40)].astype(int)
    model = build_model(MotifCNNConfig(seq_length=40, n_filters=4, filter_size=5, conv_channels=4, hidden=8,
                                       pool_size=2, pool2_size=2))
    if predictor == "kmer":
        fitted = KmerLogistic.fit(X, labels, ks=(1, 2), seed=0)
        classifier = EnhancerClassifier(model, predictor, kmer=fitted)
    else:
        fitted = GkmSVM.fit(X, labels, word=4, informative=2, Cs=(1.0,), inner_folds=3, seed=0)
        classifier = EnhancerClassifier(model, predictor, gkm=fitted)
    save_classifier(tmp_path / "model", classifier)
    (tmp_path / "q.fa").write_text("".join(f">s{i}\n{s}\n" for i, s in enumerate(seqs[:3] + seqs[-3:])))
    assert main(["enhancers", "predict", "--model", str(tmp_path / "model"), "--fasta", str(tmp_path / "q.fa"),
                 "--out", str(tmp_path / "p.tsv")]) == 0
    table = pd.read_csv(tmp_path / "p.tsv", sep="\t")
    np.testing.assert_allclose(table["prob"], fitted.predict_proba(X[[0, 1, 2, 77, 78, 79]]), atol=1e-6)


def test_motifs_matches_filters_of_a_saved_model(tmp_path, capsys):
    from sciml.enhancers.models import MotifCNNConfig, build_model, save_motif_cnn

    X, _ = planted_motif_set([MOTIF], n=40, length=50, max_motifs=1, seed=0)
    (tmp_path / "s.fa").write_text("".join(f">s{i}\n{s}\n" for i, s in enumerate(decode(X))))
    model = build_model(MotifCNNConfig(seq_length=50, n_filters=4, filter_size=9, conv_channels=4, hidden=8,
                                       pool2_size=2)).eval()
    save_motif_cnn(tmp_path / "model", model)
    assert main(["enhancers", "motifs", "--model", str(tmp_path / "model"), "--fasta", str(tmp_path / "s.fa"),
                 "--out", str(tmp_path / "motifs"), "--set", "max_logos=2"]) == 0
    assert {"filters.meme", "tomtom.tsv", "filter_logos.png"} <= {p.name for p in (tmp_path / "motifs").iterdir()}


def test_an_unknown_setting_is_named(tmp_path, capsys):
    code = main(["enhancers", "synthetic", "--out", str(tmp_path / "out"), "--set", "model.n_filterz=3"])
    assert code == 2 and "model.n_filterz" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
