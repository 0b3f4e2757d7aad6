"""`sciml enhancers train|predict|motifs|extract` through the real CLI entry point."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import torch

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


@pytest.mark.parametrize("n_models", [1, 2])
def test_motifs_matches_filters_of_a_saved_model(tmp_path, capsys, n_models):
    from sciml.enhancers.models import MotifCNNConfig, MotifCNNEnsemble, build_model, save_motif_cnn

    X, _ = planted_motif_set([MOTIF], n=40, length=50, max_motifs=1, seed=0)
    (tmp_path / "s.fa").write_text("".join(f">s{i}\n{s}\n" for i, s in enumerate(decode(X))))
    members = [build_model(MotifCNNConfig(seq_length=50, n_filters=4, filter_size=9, conv_channels=4, hidden=8,
                                          pool2_size=2)).eval() for _ in range(n_models)]
    model = members[0] if n_models == 1 else MotifCNNEnsemble(members)
    save_motif_cnn(tmp_path / "model", model)
    assert main(["enhancers", "motifs", "--model", str(tmp_path / "model"), "--fasta", str(tmp_path / "s.fa"),
                 "--out", str(tmp_path / "motifs"), "--set", "max_logos=2"]) == 0
    written = {p.name for p in (tmp_path / "motifs").iterdir()}
    assert {"filters.meme", "tomtom.tsv", "filter_logos.png", "modisco.h5", "motifs.meme", "seqlets.bed",
            "matches.tsv"} <= written
    header = (tmp_path / "motifs" / "matches.tsv").read_text().splitlines()[0]
    assert header == "pattern\tn_seqlets\tjaspar_id\tjaspar_name\tq_value"


SMALL = ["--set", "model.n_filters=4", "--set", "model.filter_size=5", "--set", "model.conv_channels=4",
         "--set", "model.hidden=8", "--set", "model.pool2_size=2", "--set", "train.max_epochs=1",
         "--set", "baseline_kmer_ks=[2]"]


def test_train_from_h5_then_predict(tmp_path, capsys):
    import h5py

    X, _ = planted_motif_set([MOTIF], n=90, length=40, max_motifs=1, seed=0)
    rng = np.random.default_rng(0)
    neg = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (90, 40))].transpose(0, 2, 1)
    with h5py.File(tmp_path / "d.h5", "w") as h5:
        for k, split in enumerate(("train", "valid", "test")):
            part = slice(30 * k, 30 * (k + 1))
            h5[f"x_{split}"] = np.concatenate([X[part], neg[part]])
            h5[f"y_{split}"] = np.r_[np.ones(30), np.zeros(30)].astype(np.int8)[:, None]
    assert main(["enhancers", "train", "--h5", str(tmp_path / "d.h5"), "--out", str(tmp_path / "m"), *SMALL]) == 0
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert metrics["n_test"] == 60 and metrics["n_train"] == 60
    assert {"test_auroc", "test_mcc", "gc_auroc", "kmer_auroc"} <= set(metrics)
    assert "GC-only" in capsys.readouterr().out


def test_train_regression_table_then_predict_values(tmp_path):
    rng = np.random.default_rng(3)
    seqs = ["".join(rng.choice(list("ACGT"), 30)) for _ in range(120)]
    rows = [f"{s},{s.count('GA') * 0.5 - 1:.2f}" for s in seqs]
    (tmp_path / "t.csv").write_text("sequence,activity\n" + "\n".join(rows) + "\n")
    assert main(["enhancers", "train", "--table", str(tmp_path / "t.csv"), "--sequence-column", "sequence",
                 "--target-column", "activity", "--task", "regression", "--out", str(tmp_path / "m"), *SMALL]) == 0
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert {"test_pearson", "gc_pearson", "kmer_pearson"} <= set(metrics)
    (tmp_path / "q.fa").write_text(">a\n" + seqs[0] + "\n>b\n" + seqs[1] + "\n")
    assert main(["enhancers", "predict", "--model", str(tmp_path / "m"), "--fasta", str(tmp_path / "q.fa"),
                 "--out", str(tmp_path / "p.tsv")]) == 0
    table = pd.read_csv(tmp_path / "p.tsv", sep="\t")
    assert list(table.columns) == ["id", "value"] and np.isfinite(table["value"]).all()


def test_mixed_lengths_and_missing_columns_fail_before_training(tmp_path, capsys):
    (tmp_path / "p.fa").write_text(">a\nACGTACGT\n>b\nACGTA\n")
    (tmp_path / "n.fa").write_text(">c\nACGTACGT\n")
    code = main(["enhancers", "train", "--fasta", str(tmp_path / "p.fa"), "--negative", str(tmp_path / "n.fa"),
                 "--out", str(tmp_path / "m")])
    assert code == 2 and "p.fa [b]" in capsys.readouterr().err and not (tmp_path / "m").exists()
    (tmp_path / "t.tsv").write_text("seq\tlabel\nACGT\t1\n")
    code = main(["enhancers", "train", "--table", str(tmp_path / "t.tsv"), "--sequence-column", "sequence",
                 "--target-column", "label", "--out", str(tmp_path / "m")])
    assert code == 2 and "no column 'sequence'" in capsys.readouterr().err and not (tmp_path / "m").exists()


def test_an_unknown_setting_is_named(tmp_path, capsys):
    code = main(["enhancers", "synthetic", "--out", str(tmp_path / "out"), "--set", "model.n_filterz=3"])
    assert code == 2 and "model.n_filterz" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_train_on_split_tables_keeps_their_split(tmp_path):
    X, _ = planted_motif_set([MOTIF], n=90, length=40, max_motifs=1, seed=4)
    rng = np.random.default_rng(4)
    neg = ["".join(rng.choice(list("ACGT"), 40)) for _ in range(90)]
    rows = [f"{s},1" for s in decode(X)] + [f"{s},0" for s in neg]
    order = rng.permutation(180)
    for name, part in (("train", order[:100]), ("dev", order[100:140]), ("test", order[140:])):
        (tmp_path / f"{name}.csv").write_text("sequence,label\n" + "\n".join(rows[i] for i in part) + "\n")
    assert main(["enhancers", "train", "--table", str(tmp_path / "train.csv"), "--valid-table",
                 str(tmp_path / "dev.csv"), "--test-table", str(tmp_path / "test.csv"), "--sequence-column",
                 "sequence", "--target-column", "label", "--out", str(tmp_path / "m"), *SMALL]) == 0
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert (metrics["n_train"], metrics["n_valid"], metrics["n_test"]) == (100, 40, 40)
    assert {"valid_mcc", "kmer_valid_mcc", "gc_valid_mcc", "test_mcc", "kmer_mcc"} <= set(metrics)


def test_split_tables_need_both_parts_and_one_length(tmp_path, capsys):
    (tmp_path / "train.csv").write_text("sequence,label\nACGTAC,1\nACGTTT,0\n")
    (tmp_path / "dev.csv").write_text("sequence,label\nACGTA,1\n")
    args = ["enhancers", "train", "--table", str(tmp_path / "train.csv"), "--sequence-column", "sequence",
            "--target-column", "label", "--out", str(tmp_path / "m")]
    assert main([*args, "--valid-table", str(tmp_path / "dev.csv")]) == 2
    assert "--test-table" in capsys.readouterr().err
    assert main([*args, "--valid-table", str(tmp_path / "dev.csv"), "--test-table", str(tmp_path / "train.csv")]) == 2
    assert "dev.csv [row2]" in capsys.readouterr().err and not (tmp_path / "m").exists()


def _two_pattern_h5(path, motifs=("TGACTCAT", "GGGCGGAA")):
    """A modisco-lite results file with one positive pattern per motif (2 seqlets each)."""
    import h5py

    with h5py.File(path, "w") as h5:
        h5.attrs["window_size"] = 50
        for k, motif in enumerate(motifs):
            core = np.eye(4)[["ACGT".index(b) for b in motif]]
            p = h5.create_group(f"pos_patterns/pattern_{k}")
            p["sequence"], p["contrib_scores"], p["hypothetical_contribs"] = core * 0.9 + 0.025, core, core
            s = p.create_group("seqlets")
            s["n_seqlets"] = np.array([2])
            for key, values in (("example_idx", [0, 1]), ("start", [3, 9]), ("end", [11, 17]),
                                ("is_revcomp", [False, True])):
                s[key] = np.array(values)


def test_spacing_probes_two_discovered_patterns(tmp_path, capsys):
    from sciml.enhancers.models import MotifCNNConfig, build_model, save_motif_cnn

    torch.manual_seed(0)
    model = build_model(MotifCNNConfig(seq_length=50, n_filters=4, filter_size=5, conv_channels=4, hidden=8,
                                       pool2_size=2)).eval()
    save_motif_cnn(tmp_path / "model", model)
    (tmp_path / "motifs").mkdir()
    _two_pattern_h5(tmp_path / "motifs" / "modisco.h5")
    (tmp_path / "motifs" / "matches.tsv").write_text(
        "pattern\tn_seqlets\tjaspar_id\tjaspar_name\tq_value\npos_patterns.pattern_0\t2\tMA0099.4\tFOS::JUN\t0.001\n")
    rng = np.random.default_rng(0)
    (tmp_path / "bg.fa").write_text("".join(f">b{i}\n{''.join(rng.choice(list('ACGT'), 50))}\n" for i in range(6)))
    args = ["enhancers", "spacing", "--model", str(tmp_path / "model"), "--motifs", str(tmp_path / "motifs"),
            "--fasta", str(tmp_path / "bg.fa"), "--set", "max_gap=5", "--set", "n_backgrounds=4"]
    assert main([*args, "--out", str(tmp_path / "spacing")]) == 0
    assert "A = FOS::JUN, B = pos_patterns.pattern_1" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "spacing" / "spacing.tsv", sep="\t")
    assert len(table) == 4 * 6 and set(table["gap_bp"]) == set(range(6))
    assert (table["control_min"] <= table["control_max"]).all()
    doc = json.loads((tmp_path / "spacing" / "spacing.json").read_text())
    assert doc["spacing"]["pattern_b"] == "pos_patterns.pattern_1" and doc["settings"]["max_gap"] == 5
    assert (tmp_path / "spacing" / "spacing.png").stat().st_size > 0
    code = main([*args, "--out", str(tmp_path / "bad"), "--set", "patterns=[pos_patterns.pattern_0,pos_patterns.pattern_7]"])
    assert code == 2 and "pattern_7" in capsys.readouterr().err and not (tmp_path / "bad").exists()


def test_train_with_folds_cross_validates_a_regression_table(tmp_path, capsys):
    from sciml.enhancers.sequences import reverse_complement

    rng = np.random.default_rng(5)
    cores = ["".join(rng.choice(list("ACGT"), 30)) for _ in range(60)]
    seqs = [f"AAGG{c}TTCC" for c in cores] + [f"AAGG{reverse_complement(c)}TTCC" for c in cores]  # both orientations
    rows = [f"{s},{s.count('GA') * 0.5 - 1:.2f}" for s in seqs]
    (tmp_path / "t.csv").write_text("sequence,activity\n" + "\n".join(rows) + "\n")
    assert main(["enhancers", "train", "--table", str(tmp_path / "t.csv"), "--sequence-column", "sequence",
                 "--target-column", "activity", "--task", "regression", "--folds", "3",
                 "--out", str(tmp_path / "cv"), *SMALL]) == 0
    summary = json.loads((tmp_path / "cv" / "cv.json").read_text())
    folds = pd.read_csv(tmp_path / "cv" / "cv_folds.tsv", sep="\t")
    assert summary["n_folds"] == 3 and len(folds) == 3 and folds["n_test"].sum() == 120
    pearson = folds["cnn_pearson"].to_numpy()
    assert summary["cnn_pearson_mean"] == pytest.approx(pearson.mean(), abs=1e-6)
    assert summary["cnn_pearson_sd"] == pytest.approx(pearson.std(ddof=1), abs=1e-6)
    assert {"kmer_pearson_mean", "gc_pearson_sd"} <= set(summary)
    assert "3-fold CV pearson" in capsys.readouterr().out
    assert not (tmp_path / "cv" / "model.safetensors").exists()


def test_train_with_n_models_saves_a_seed_ensemble(tmp_path):
    import sciml
    from sciml.enhancers.models import MotifCNNEnsemble

    rng = np.random.default_rng(6)
    seqs = ["".join(rng.choice(list("ACGT"), 30)) for _ in range(90)]
    rows = [f"{s},{int(s.count('GA') > 1)}" for s in seqs]
    (tmp_path / "t.csv").write_text("sequence,label\n" + "\n".join(rows) + "\n")
    assert main(["enhancers", "train", "--table", str(tmp_path / "t.csv"), "--sequence-column", "sequence",
                 "--target-column", "label", "--set", "n_models=2", "--out", str(tmp_path / "m"), *SMALL]) == 0
    model = sciml.load_model(tmp_path / "m")
    assert isinstance(model, MotifCNNEnsemble) and len(model.members) == 2
    assert json.loads((tmp_path / "m" / "metrics.json").read_text())["n_models"] == 2
