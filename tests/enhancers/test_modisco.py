"""Reading modisco-lite results (modisco.h5) and the files made from its patterns.

`run_modisco` itself runs in `test_cli.py` (the `motifs` verb) and on real data in the workflow;
its numba kernels take minutes to compile, too long for a unit test.
"""

from __future__ import annotations

import h5py
import numpy as np

from sciml.enhancers.jaspar import Motif
from sciml.enhancers.matching import tomtom_compare
from sciml.enhancers.modisco import matches_table, read_patterns, seqlets_bed

MOTIF = "TGACTCAT"


def _modisco_h5(path):
    """A modisco-lite results file (its `save_hdf5` layout) with one positive pattern of 3 seqlets,
    flanked by 2 low-contribution positions on each side, and one negative pattern."""
    core = np.eye(4)[["ACGT".index(b) for b in MOTIF]]
    flank = np.full((2, 4), 0.25)
    sequence = np.vstack([flank, core * 0.9 + 0.025, flank])  # (12, 4)
    cwm = np.vstack([flank * 0.01, core, flank * 0.01])
    with h5py.File(path, "w") as h5:
        h5.attrs["window_size"] = 80
        for group, name, seqlets in (("pos_patterns", "pattern_0", [(0, 10, 22, False), (1, 70, 82, True),
                                                                    (2, 5, 17, False)]),
                                     ("neg_patterns", "pattern_0", [(3, 0, 12, False)])):
            p = h5.create_group(f"{group}/{name}")
            p["sequence"], p["contrib_scores"], p["hypothetical_contribs"] = sequence, cwm, cwm
            s = p.create_group("seqlets")
            s["n_seqlets"] = np.array([len(seqlets)])
            for k, key in enumerate(("example_idx", "start", "end", "is_revcomp")):
                s[key] = np.array([row[k] for row in seqlets])


def test_patterns_are_read_trimmed(tmp_path):
    _modisco_h5(tmp_path / "modisco.h5")
    patterns = read_patterns(tmp_path / "modisco.h5")
    assert [p.name for p in patterns] == ["pos_patterns.pattern_0", "neg_patterns.pattern_0"]
    top = patterns[0]
    assert top.ppm.shape == (4, len(MOTIF)) and top.cwm.shape == (4, len(MOTIF))
    assert "".join("ACGT"[k] for k in top.ppm.argmax(axis=0)) == MOTIF
    np.testing.assert_allclose(top.ppm.sum(axis=0), 1.0)
    assert top.n_seqlets == 3 and top.seqlets[1] == (1, 70, 82, True)


def test_seqlets_bed_and_matches_table(tmp_path):
    _modisco_h5(tmp_path / "modisco.h5")
    patterns = read_patterns(tmp_path / "modisco.h5")
    ids = ["chr2:1000-1080", "seq1", "seq2", "seq3"]
    lines = [line.split("\t") for line in seqlets_bed(patterns, ids, 80).splitlines()]
    assert lines[0] == ["chr2", "1010", "1022", "pos_patterns.pattern_0", "0", "+"]
    assert lines[1] == ["seq1", "70", "80", "pos_patterns.pattern_0", "0", "-"]  # clipped to the sequence
    assert len(lines) == 4 and lines[3][3] == "neg_patterns.pattern_0"
    target = np.full((4, len(MOTIF)), 0.01)
    for j, base in enumerate(MOTIF):
        target["ACGT".index(base), j] = 0.97
    decoy = np.full((4, 8), 0.25)
    targets = [Motif("X1.1", "AP1like", "bZIP", target, target), Motif("X2.1", "flat", "none", decoy, decoy)]
    result = tomtom_compare({p.name: p.ppm for p in patterns}, targets)
    rows = [line.split("\t") for line in matches_table(patterns, result, top=2).splitlines()]
    assert rows[0] == ["pattern", "n_seqlets", "jaspar_id", "jaspar_name", "q_value"]
    assert len(rows) == 1 + 2 * len(patterns)
    assert rows[1][:4] == ["pos_patterns.pattern_0", "3", "X1.1", "AP1like"] and float(rows[1][4]) < 0.05
