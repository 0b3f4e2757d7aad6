"""Bad-input suite for the sequence readers: FASTA, labels TSV, BED, sequence tables, HDF5 splits (enhancers).

Each reader gets arbitrary bytes and targeted corruptions of a valid file; it must either accept the
file (and then return well-formed records) or raise `InputError` naming the file, never anything else.
"""

from __future__ import annotations

import h5py
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named, files_in

from sciml.enhancers.io import (
    load_h5_splits,
    load_labelled_fasta,
    read_bed,
    read_fasta,
    read_labels,
    read_sequence_table,
)

VALID_FASTA = ">seq1 first\nACGTacgtNN\nACGT\n>seq2\nGGGCCCAAAT\n>seq3\nnnnnACGT\n"
VALID_BED = "track name=peaks\nchr1\t100\t300\tpeak1\nchr1\t500\t700\nchr2\t0\t200\tpeak3\t0\t+\n"


@READER_SETTINGS
@given(content=st.binary(max_size=400))
def test_fasta_arbitrary_bytes(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("fasta")
    path = folder / "in.fa"
    path.write_bytes(content)
    found = accepted_or_named(lambda: read_fasta(path), path)
    if found is not None:
        ids, seqs = found
        assert ids and len(ids) == len(seqs)
        assert all(seq and set(seq) <= set("ACGTN") for seq in seqs)
    assert files_in(folder) == {"in.fa"}


@READER_SETTINGS
@given(position=st.integers(0, len(VALID_FASTA)), junk=st.characters(codec="utf-8", exclude_characters="\r"))
def test_fasta_one_foreign_character_is_named(tmp_path_factory, position, junk):
    path = tmp_path_factory.mktemp("fasta") / "in.fa"
    text = VALID_FASTA[:position] + junk + VALID_FASTA[position:]
    path.write_text(text, encoding="utf-8")
    found = accepted_or_named(lambda: read_fasta(path), path)
    in_header = text[text.rfind("\n", 0, position) + 1] == ">"
    if found is not None:
        assert in_header or junk.upper() in "ACGTN" or junk.isspace(), f"{junk!r} in a sequence was accepted"


@READER_SETTINGS
@given(content=st.text(alphabet=st.sampled_from("id\tab01xX-.\n "), max_size=200))
def test_labels_tsv_arbitrary_text(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("labels") / "labels.tsv"
    path.write_text(content)
    table = accepted_or_named(lambda: read_labels(path), path)
    if table is not None:
        assert table.shape[1] >= 1 and table.isin([0.0, 1.0]).all().all()


@READER_SETTINGS
@given(drop=st.integers(0, 2), extra=st.booleans())
def test_labels_must_match_fasta_ids(tmp_path_factory, drop, extra):
    folder = tmp_path_factory.mktemp("labelled")
    (folder / "in.fa").write_text(VALID_FASTA)
    rows = [f"seq{i}\t{i % 2}" for i in (1, 2, 3) if i != drop] + (["ghost\t1"] if extra else [])
    (folder / "labels.tsv").write_text("id\ttask\n" + "\n".join(rows) + "\n")
    found = accepted_or_named(lambda: load_labelled_fasta(folder / "in.fa", folder / "labels.tsv"),
                              folder / "in.fa", folder / "labels.tsv")
    assert (found is not None) == (drop == 0 and not extra)


@READER_SETTINGS
@given(content=st.binary(max_size=300))
def test_bed_arbitrary_bytes(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("bed") / "in.bed"
    path.write_bytes(content)
    regions = accepted_or_named(lambda: read_bed(path), path)
    if regions is not None:
        assert regions and all(0 <= r.start < r.end for r in regions)


@READER_SETTINGS
@given(line=st.integers(1, 3), field=st.integers(0, 3),
       value=st.sampled_from(["", "-5", "1e3", "x", "99999999999999999999999", "0", " 7", "\t"]))
def test_bed_corrupted_field(tmp_path_factory, line, field, value):
    path = tmp_path_factory.mktemp("bed") / "in.bed"
    lines = VALID_BED.splitlines()
    fields = lines[line].split("\t")
    fields[min(field, len(fields) - 1)] = value
    lines[line] = "\t".join(fields)
    path.write_text("\n".join(lines) + "\n")
    regions = accepted_or_named(lambda: read_bed(path), path)
    if regions is not None:
        assert all(0 <= r.start < r.end for r in regions)


VALID_TABLE = "sequence,label\nACGTACGT,1\nacgtNNGG,0\nGGGGCCCC,1\n"


@READER_SETTINGS
@given(content=st.binary(max_size=400))
def test_sequence_table_arbitrary_bytes(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("table")
    path = folder / "in.csv"
    path.write_bytes(content)
    found = accepted_or_named(lambda: read_sequence_table(path, "sequence", "label"), path)
    if found is not None:
        assert len(found) and found.labels.shape == (len(found), 1)
        assert all(seq and set(seq) <= set("ACGTN") for seq in found.sequences)
        assert set(found.labels[:, 0]) <= {0.0, 1.0}
    assert files_in(folder) == {"in.csv"}


@READER_SETTINGS
@given(position=st.integers(0, len(VALID_TABLE)), junk=st.characters(codec="utf-8", exclude_characters="\r"),
       objective=st.sampled_from(["binary", "regression"]))
def test_sequence_table_one_foreign_character(tmp_path_factory, position, junk, objective):
    path = tmp_path_factory.mktemp("table") / "in.csv"
    path.write_text(VALID_TABLE[:position] + junk + VALID_TABLE[position:], encoding="utf-8")
    found = accepted_or_named(lambda: read_sequence_table(path, "sequence", "label", objective), path)
    if found is not None:
        assert np.isfinite(found.labels).all() and all(set(s) <= set("ACGTN") for s in found.sequences)


@READER_SETTINGS
@given(split=st.sampled_from(["train", "valid", "test"]), corruption=st.sampled_from(["drop", "value", "shape"]),
       upper=st.booleans(), value=st.floats(-2, 2, allow_nan=False))
def test_h5_splits_corrupted(tmp_path_factory, split, corruption, upper, value):
    path = tmp_path_factory.mktemp("h5") / "in.h5"
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as h5:
        for name in ("train", "valid", "test"):
            X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (5, 12))].transpose(0, 2, 1).copy()
            y = rng.integers(0, 2, (5, 1)).astype(np.int8)
            if name == split and corruption == "value":
                X[2, 1, 3] = value
            if name == split and corruption == "shape":
                X = X[:, :3]
            if not (name == split and corruption == "drop"):
                h5[("X_" if upper else "x_") + name] = X
            h5[("Y_" if upper else "y_") + name] = y
    found = accepted_or_named(lambda: load_h5_splits(path), path)
    if found is not None:  # only a value that keeps the column one-hot is accepted
        assert corruption == "value" and (np.isclose(value, 0.0) or np.isclose(value, 1.0))
