"""The enhancers file formats: FASTA, labels TSV, BED, MEME."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.enhancers.io import load_labelled_fasta, load_pos_neg, read_bed, read_fasta
from sciml.errors import InputError


def write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [(">s1\nACGT\n>bad\nACXT\n", "bad"), (">s1\nACGT\n>empty\n>s3\nAC\n", "empty"), ("ACGT\n", "line 1"),
     ("", "no FASTA records")],
)
def test_bad_fasta_names_record_and_problem(tmp_path, text, expected):
    fa = write(tmp_path / "x.fa", text)
    with pytest.raises(InputError) as err:
        read_fasta(fa)
    assert str(fa) in str(err.value) and expected in str(err.value)
    if "bad" in text:
        assert "'X'" in str(err.value) and "position 3" in str(err.value)


def test_duplicate_ids_renamed_or_rejected(tmp_path):
    fa = write(tmp_path / "d.fa", ">a\nAC\n>a\nGT\n")
    assert read_fasta(fa)[0] == ["a", "a#2"]
    with pytest.raises(InputError, match="duplicate id"):
        read_fasta(fa, allow_duplicates=False)


def test_labels_tsv_and_mismatches(tmp_path):
    fa = write(tmp_path / "s.fa", ">a\nACGT\n>b\nGGGG\n")
    good = write(tmp_path / "good.tsv", "id\ttf1\ttf2\na\t1\t0\nb\t0\t1\n")
    data = load_labelled_fasta(fa, good)
    assert data.tasks == ["tf1", "tf2"]
    np.testing.assert_array_equal(data.labels, [[1, 0], [0, 1]])
    missing = write(tmp_path / "missing.tsv", "id\ttf1\na\t1\n")
    with pytest.raises(InputError, match="no labels for FASTA id 'b'"):
        load_labelled_fasta(fa, missing)
    extra = write(tmp_path / "extra.tsv", "id\ttf1\na\t1\nb\t0\nc\t1\n")
    with pytest.raises(InputError, match="'c' has no FASTA record"):
        load_labelled_fasta(fa, extra)
    bad = write(tmp_path / "bad.tsv", "id\ttf1\na\t1\nb\tyes\n")
    with pytest.raises(InputError, match=r"line 3.*'yes'"):
        load_labelled_fasta(fa, bad)


def test_positive_negative_pair(tmp_path):
    pos = write(tmp_path / "p.fa", ">p1\nACGT\n>p2\nACGA\n")
    neg = write(tmp_path / "n.fa", ">n1\nTTTT\n")
    data = load_pos_neg(pos, neg)
    assert data.ids == ["p1", "p2", "n1"]
    np.testing.assert_array_equal(data.labels[:, 0], [1, 1, 0])


def test_bad_bed_lines_name_the_line(tmp_path):
    bed = tmp_path / "bad.bed"
    bed.write_text("chr1\t10\t100\nchr1\tten\t100\n")
    with pytest.raises(InputError, match="line 2"):
        read_bed(bed)


def _write_h5(path, upper=False, n=6, length=10, x_override=None):
    import h5py

    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as h5:
        for split in ("train", "valid", "test"):
            X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (n, length))].transpose(0, 2, 1).copy()
            if x_override is not None and split == "valid":
                X = x_override
            h5[("X_" if upper else "x_") + split] = X
            h5[("Y_" if upper else "y_") + split] = rng.integers(0, 2, (n, 1)).astype(np.int8)


@pytest.mark.parametrize("upper", [False, True])
def test_h5_splits_read_either_key_case(tmp_path, upper):
    from sciml.enhancers.io import load_h5_splits

    _write_h5(tmp_path / "d.h5", upper=upper)
    splits = load_h5_splits(tmp_path / "d.h5")
    assert list(splits) == ["train", "valid", "test"]
    X, y = splits["test"]
    assert X.shape == (6, 4, 10) and y.shape == (6, 1) and y.dtype == np.float32


def test_h5_missing_key_and_non_one_hot_are_named(tmp_path):
    import h5py

    from sciml.enhancers.io import load_h5_splits

    with h5py.File(tmp_path / "m.h5", "w") as h5:
        h5["x_train"] = np.zeros((2, 4, 5), np.float32)
    with pytest.raises(InputError, match=r"m.h5.*y_train .*missing.*x_train"):
        load_h5_splits(tmp_path / "m.h5")
    bad = np.full((3, 4, 10), 0.0, np.float32)
    bad[:, 0] = 1.0
    bad[1, :, 4] = [0.5, 0.5, 0.0, 0.0]
    _write_h5(tmp_path / "b.h5", x_override=bad)
    with pytest.raises(InputError, match=r"b.h5 \[x_valid\[1\]\].*not one-hot: position 5"):
        load_h5_splits(tmp_path / "b.h5")
    (tmp_path / "t.h5").write_text("not hdf5")
    with pytest.raises(InputError, match="not a readable HDF5"):
        load_h5_splits(tmp_path / "t.h5")


def test_sequence_table_binary_and_regression(tmp_path):
    from sciml.enhancers.io import read_sequence_table

    (tmp_path / "t.csv").write_text("seq,activity,label\nACGT,0.5,1\nacgn,-1.25,0\n")
    seqs = read_sequence_table(tmp_path / "t.csv", "seq", "activity", "regression")
    assert seqs.sequences == ["ACGT", "ACGN"] and seqs.ids == ["row2", "row3"] and seqs.objective == "regression"
    np.testing.assert_allclose(seqs.labels[:, 0], [0.5, -1.25])
    assert read_sequence_table(tmp_path / "t.csv", "seq", "label").labels[:, 0].tolist() == [1.0, 0.0]
    (tmp_path / "t.tsv").write_text("id\tseq\tlabel\na\tACGT\t1\nb\tACGX\t0\n")
    with pytest.raises(InputError, match=r"t.tsv \[line 3\].*invalid character 'X'"):
        read_sequence_table(tmp_path / "t.tsv", "seq", "label")
    with pytest.raises(InputError, match=r"t.csv \[line 2\].*'0.5'.*not 0 or 1"):
        read_sequence_table(tmp_path / "t.csv", "seq", "activity")
    with pytest.raises(InputError, match=r"no column 'sequence'.*header"):
        read_sequence_table(tmp_path / "t.csv", "sequence", "label")
