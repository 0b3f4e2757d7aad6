"""Filter -> PWM extraction, information content, MEME round trip."""

from __future__ import annotations

import numpy as np
import torch

from sciml.enhancers.io import meme_text, read_meme, write_meme
from sciml.enhancers.models import MotifCNNConfig, build_model
from sciml.enhancers.pwm import filter_pwms, information_content
from sciml.enhancers.synthetic import indices_to_one_hot

MOTIF = "TGACTCA"  # AP-1 site


def test_information_content_bounds():
    ppm = np.array([[1.0, 0.25], [0.0, 0.25], [0.0, 0.25], [0.0, 0.25]])
    np.testing.assert_allclose(information_content(ppm), [2.0, 0.0], atol=1e-9)


def test_a_filter_built_from_a_motif_gives_that_motif_back(tmp_path):
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 4, size=(300, 80))
    motif = np.array(["ACGT".index(c) for c in MOTIF])
    for row in idx[:150]:
        start = rng.integers(0, 80 - len(MOTIF))
        row[start:start + len(MOTIF)] = motif
    X = indices_to_one_hot(idx)
    model = build_model(MotifCNNConfig(seq_length=80, n_filters=2, filter_size=9, pool_size=2, pool2_size=2)).eval()
    with torch.no_grad():
        model.conv1.weight.zero_()
        model.conv1.bias.zero_()
        # filter 0 scores the motif (columns 1..7 of the 9-wide window), filter 1 is dead
        model.conv1.weight[0, :, 1:8] = torch.as_tensor(np.eye(4)[motif].T * 2 - 1, dtype=torch.float32)
        model.conv1.weight[1] = -1.0
        model.bn1.eval()
    pwms = filter_pwms(model, X, threshold=0.9, min_ic=0.5)
    assert [p.index for p in pwms] == [0]
    consensus = "".join("ACGT"[i] for i in pwms[0].ppm.argmax(axis=0))
    assert consensus == MOTIF and pwms[0].offset == 1
    assert pwms[0].n_sites >= 150
    write_meme(tmp_path / "f.meme", pwms)
    back = read_meme(tmp_path / "f.meme")
    np.testing.assert_allclose(back["filter0"], pwms[0].ppm, atol=1e-6)
    assert "letter-probability matrix: alength= 4 w= 7" in meme_text([("x", pwms[0].ppm, 3)])


def test_a_strand_shared_filter_reads_reverse_strand_sites_in_its_own_orientation():
    rng = np.random.default_rng(1)
    motif = np.array(["ACGT".index(c) for c in "GATTACA"])  # not its own reverse complement
    idx = rng.integers(0, 4, size=(200, 60))
    for i, row in enumerate(idx[:120]):
        site = motif if i % 2 else (3 - motif)[::-1]  # half the sites on the reverse strand
        start = rng.integers(0, 60 - len(motif))
        row[start:start + len(motif)] = site
    X = indices_to_one_hot(idx)
    model = build_model(MotifCNNConfig(seq_length=60, n_filters=1, filter_size=9, pool_size=2, pool2_size=2,
                                       strand_shared=True)).eval()
    with torch.no_grad():
        model.conv1.weight.zero_()
        model.conv1.bias.zero_()
        model.conv1.weight[0, :, 1:8] = torch.as_tensor(np.eye(4)[motif].T * 2 - 1, dtype=torch.float32)
    acts = model.strand_activations(torch.as_tensor(X))
    assert acts.shape == (200, 2, 1, 60)
    torch.testing.assert_close(model.first_layer(torch.as_tensor(X)), acts.amax(dim=1))
    pwms = filter_pwms(model, X, threshold=0.9, min_ic=0.5)
    assert "".join("ACGT"[i] for i in pwms[0].ppm.argmax(axis=0)) == "GATTACA"
    assert pwms[0].n_sites >= 120  # sites on both strands are counted
