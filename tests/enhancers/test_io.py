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
