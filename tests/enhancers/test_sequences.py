"""One-hot encoding, the length policy and reverse complements."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.enhancers.io import read_fasta
from sciml.enhancers.sequences import decode, fit_length, one_hot, random_shift, reverse_complement


def write(path, text):
    path.write_text(text)
    return path


def test_soft_masked_and_n_bases_are_encoded(tmp_path):
    fa = write(tmp_path / "a.fa", ">s1 desc\nacgtN\n>s2\nAC\nGT\n")
    ids, seqs = read_fasta(fa)
    assert ids == ["s1", "s2"] and seqs == ["ACGTN", "ACGT"]
    X = one_hot(seqs[:1])
    assert X.shape == (1, 4, 5) and X.dtype == np.float32
    np.testing.assert_array_equal(X[0, :, :4], np.eye(4))
    np.testing.assert_array_equal(X[0, :, 4], [0.25] * 4)


def test_centre_crop_and_pad_policy():
    assert fit_length("AACCGGTT", 4) == "CCGG"
    assert fit_length("AACCGGTTA", 4) == "CCGG"  # odd excess: extra base dropped on the right
    assert fit_length("ACG", 6) == "NACGNN"
    X = one_hot(["ACGTACGT", "AC"], length=4)
    assert X.shape == (2, 4, 4)
    assert decode(X) == ["GTAC", "NACN"]
    with pytest.raises(ValueError, match="unequal"):
        one_hot(["ACGT", "AC"])


def test_reverse_complement_matches_one_hot_flip():
    seq = "AACGTN"
    X = one_hot([seq])
    assert decode(X[:, ::-1, ::-1].copy()) == [reverse_complement(seq)] == ["NACGTT"]


def test_strand_groups_join_reverse_complements_between_adaptors():
    from sciml.enhancers.sequences import reverse_complement, strand_groups

    left, right = "AGGACC", "CATTGC"
    a, b = "ACGTTTGA", "GGGCATAC"
    seqs = [left + a + right, left + reverse_complement(a) + right, left + b + right, left + a + right]
    groups = strand_groups(seqs)
    assert groups[0] == groups[1] == groups[3] != groups[2]


def test_grouped_split_keeps_groups_together():
    from sciml.enhancers.pipeline import grouped_split
    from sciml.enhancers.sequences import reverse_complement

    rng = np.random.default_rng(0)
    cores = ["".join(rng.choice(list("ACGT"), 12)) for _ in range(50)]
    seqs = [c for c in cores] + [reverse_complement(c) for c in cores]
    tr, va, te = grouped_split(seqs, (0.6, 0.2, 0.2), seed=1)
    assert sorted(np.concatenate([tr, va, te]).tolist()) == list(range(100))
    for part in (tr, va, te):
        assert set(part % 50) == set((part + 50) % 100 % 50) and all((i + 50) % 100 in part for i in part)


def test_random_shift_moves_each_sequence_and_fills_with_n():
    x = torch.as_tensor(one_hot(["ACGTACGTAC", "GGGGCCCCAA"]))
    torch.manual_seed(0)
    shifted = random_shift(x, 3)
    assert shifted.shape == x.shape
    torch.testing.assert_close(shifted.sum(dim=1), torch.ones(2, 10))  # still one base (or N) per position
    padded = torch.nn.functional.pad(x, (3, 3), value=0.25)
    for k, moved in enumerate(shifted):  # each row is the input moved by some d in [-3, 3], N-filled
        assert any(torch.equal(moved, padded[k, :, 3 - d:13 - d]) for d in range(-3, 4))
    assert random_shift(x, 0) is x
