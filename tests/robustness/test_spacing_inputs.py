"""Bad-input suite for `sciml enhancers spacing` (`pipeline.find_spacing`): the motifs folder's
`modisco.h5` and `matches.tsv` as arbitrary bytes or with a corrupted field.

Each run must either probe (and write its outputs) or raise `InputError` naming the file, with no
output folder left behind, never anything else.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named

from sciml.enhancers.models import MotifCNNConfig, build_model
from sciml.enhancers.pipeline import find_spacing
from sciml.enhancers.settings import SpacingSettings

MATCHES = "pattern\tn_seqlets\tjaspar_id\tjaspar_name\tq_value\npos_patterns.pattern_0\t2\tMA0099.4\tFOS::JUN\t0.001\n"
SETTINGS = SpacingSettings(max_gap=1, n_backgrounds=2)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return build_model(MotifCNNConfig(seq_length=40, n_filters=2, filter_size=5, conv_channels=2, hidden=4,
                                      pool2_size=2)).eval()


def _motifs_folder(folder, matches: bytes = MATCHES.encode()):
    motifs = folder / "motifs"
    motifs.mkdir()
    with h5py.File(motifs / "modisco.h5", "w") as h5:
        core = np.eye(4)[["ACGT".index(b) for b in "TGACTCA"]]
        p = h5.create_group("pos_patterns/pattern_0")
        p["sequence"], p["contrib_scores"], p["hypothetical_contribs"] = core * 0.9 + 0.025, core, core
        s = p.create_group("seqlets")
        s["n_seqlets"], s["example_idx"], s["start"] = np.array([1]), np.array([0]), np.array([2])
        s["end"], s["is_revcomp"] = np.array([9]), np.array([False])
    (motifs / "matches.tsv").write_bytes(matches)
    (folder / "bg.fa").write_text(">b1\n" + "ACGT" * 10 + "\n>b2\n" + "GGCA" * 10 + "\n")
    return motifs


def _run(model, folder, motifs):
    out = folder / "out"
    found = accepted_or_named(lambda: find_spacing(model, motifs, folder / "bg.fa", out, SETTINGS) or {},
                              motifs / "modisco.h5", motifs / "matches.tsv", motifs)
    assert (found is None) == (not out.exists())
    return found


@READER_SETTINGS
@given(content=st.binary(max_size=300))
def test_modisco_h5_arbitrary_bytes(tmp_path_factory, model, content):
    folder = tmp_path_factory.mktemp("h5")
    motifs = _motifs_folder(folder)
    (motifs / "modisco.h5").write_bytes(content)
    assert _run(model, folder, motifs) is None


@READER_SETTINGS
@given(content=st.binary(max_size=300))
def test_matches_tsv_arbitrary_bytes(tmp_path_factory, model, content):
    folder = tmp_path_factory.mktemp("tsv")
    motifs = _motifs_folder(folder, content)
    found = _run(model, folder, motifs)
    if found:
        assert found["pattern_a"] == "pos_patterns.pattern_0"


@pytest.mark.parametrize("column", ["pattern", "jaspar_name", "q_value"])
def test_matches_tsv_without_a_column_is_named(tmp_path, model, column):
    lines = [line.split("\t") for line in MATCHES.splitlines()]
    k = lines[0].index(column)
    motifs = _motifs_folder(tmp_path, "\n".join("\t".join(r[:k] + r[k + 1:]) for r in lines).encode())
    assert _run(model, tmp_path, motifs) is None
