"""Fixed-length windows from a genome + BED regions (pyfaidx, indexed access) and GC-matched background."""

from __future__ import annotations

import logging
import os

import numpy as np

from sciml.enhancers.io import read_bed
from sciml.enhancers.sequences import gc_fraction
from sciml.errors import InputError

log = logging.getLogger("sciml.enhancers")


def extract_windows(
    genome: str | os.PathLike[str], bed: str | os.PathLike[str], length: int, n_background: int = 1,
    gc_bins: int = 20, max_tries: int = 200, seed: int = 0,
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Centred `length`-bp windows at BED regions and GC-matched background windows.

    Windows that run off a chromosome are skipped (logged). Background windows are drawn
    uniformly from the same genome (chromosomes weighted by length), must not overlap any
    region, contain < 10% N, and fall in the same GC bin (`gc_bins` equal-width bins) as the
    peak they match; `n_background` per peak.

    Returns peak ids, peak sequences, background ids, background sequences (uppercase).
    """
    from pyfaidx import Fasta, FastaIndexingError

    regions = read_bed(bed)
    try:
        fasta = Fasta(str(genome), as_raw=True, sequence_always_upper=True)
    except (FastaIndexingError, OSError, ValueError) as exc:
        raise InputError(genome, f"cannot index genome FASTA: {exc}") from None
    sizes = {name: len(fasta[name]) for name in fasta.keys()}
    unknown = [r for r in regions if r.chrom not in sizes]
    if unknown:
        raise InputError(bed, f"chromosome {unknown[0].chrom!r} is not in {genome}", record=unknown[0].name)
    peak_ids, peaks = [], []
    for r in regions:
        start = (r.start + r.end) // 2 - length // 2
        if start < 0 or start + length > sizes[r.chrom]:
            log.warning("%s: window of %s runs off %s; skipped", bed, r.name, r.chrom)
            continue
        peak_ids.append(r.name)
        peaks.append(str(fasta[r.chrom][start:start + length]))
    if not peaks:
        raise InputError(bed, f"no region leaves a full {length} bp window inside its chromosome")
    occupied = {c: [(r.start, r.end) for r in regions if r.chrom == c] for c in sizes}
    chroms = [c for c in sizes if sizes[c] >= length]
    weights = np.array([sizes[c] - length + 1 for c in chroms], dtype=float)
    weights /= weights.sum()
    rng = np.random.default_rng(seed)

    def gc_bin(seq: str) -> int:
        return min(int(gc_fraction(seq) * gc_bins), gc_bins - 1)

    bg_ids, background = [], []
    for pid, seq in zip(peak_ids, peaks, strict=True):
        wanted, found = gc_bin(seq), 0
        for _ in range(max_tries * n_background):
            chrom = chroms[int(rng.choice(len(chroms), p=weights))]
            start = int(rng.integers(0, sizes[chrom] - length + 1))
            if any(start < e and s < start + length for s, e in occupied[chrom]):
                continue
            cand = str(fasta[chrom][start:start + length])
            if cand.count("N") > 0.1 * length or gc_bin(cand) != wanted:
                continue
            found += 1
            bg_ids.append(f"bg{found}_{pid}|{chrom}:{start}-{start + length}")
            background.append(cand)
            if found == n_background:
                break
        if found < n_background:
            log.warning("%s: only %d GC-matched background windows for %s", genome, found, pid)
    return peak_ids, peaks, bg_ids, background
