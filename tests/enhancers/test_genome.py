"""Window extraction from a genome + BED with GC-matched background (pyfaidx)."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.enhancers.genome import extract_windows
from sciml.enhancers.sequences import gc_fraction
from sciml.errors import InputError


@pytest.fixture()
def genome(tmp_path):
    rng = np.random.default_rng(0)
    chroms = {"chr1": "".join(rng.choice(list("ACGT"), 5000)),
              "chr2": "".join(rng.choice(list("ACGT"), 3000, p=[0.15, 0.35, 0.35, 0.15]))}
    path = tmp_path / "g.fa"
    path.write_text("".join(f">{c}\n" + "\n".join(s[i:i + 60] for i in range(0, len(s), 60)) + "\n"
                            for c, s in chroms.items()))
    return path, chroms


def test_windows_are_centred_and_background_gc_matched(tmp_path, genome):
    path, chroms = genome
    bed = tmp_path / "peaks.bed"
    bed.write_text("chr1\t1000\t1100\tpeakA\nchr2\t500\t540\tpeakB\nchr1\t10\t20\tedge\n")
    ids, peaks, bg_ids, background = extract_windows(path, bed, length=200, n_background=2, seed=1)
    assert ids == ["peakA", "peakB"]  # the edge window runs off chr1 and is skipped
    assert peaks[0] == chroms["chr1"][950:1150]
    assert peaks[1] == chroms["chr2"][420:620]
    assert len(background) == 4 and all(len(s) == 200 for s in background)
    for k, seq in enumerate(background):
        peak = peaks[k // 2]
        assert int(gc_fraction(seq) * 20) == int(gc_fraction(peak) * 20)
    chrom, span = bg_ids[0].split("|")[1].split(":")
    start = int(span.split("-")[0])
    assert chroms[chrom][start:start + 200] == background[0]


def test_a_chromosome_missing_from_the_genome_is_named(tmp_path, genome):
    path, _ = genome
    bed = tmp_path / "bad.bed"
    bed.write_text("chrX\t10\t100\n")
    with pytest.raises(InputError, match="'chrX' is not in"):
        extract_windows(path, bed, length=50)
