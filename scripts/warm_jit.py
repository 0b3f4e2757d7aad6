"""Compile the numba kernels the motif tools use into numba's on-disk cache, once per install.

memelite's Tomtom and tangermeme's dinucleotide shuffle are numba functions with `cache=True`: the
first call in a fresh environment compiles them (about 80 CPU-seconds for Tomtom), every later
process loads the cache. `make venv` runs this after installing, so neither the first
`sciml enhancers motifs` nor the test suite pays the compile. The calls go through sciml's own
functions on tiny inputs, so the argument types (and hence the cached specialisations) are the ones
the pipeline uses.

Usage: python scripts/warm_jit.py
"""

from __future__ import annotations

import time

import numpy as np

from sciml.enhancers.grammar import shuffled_backgrounds
from sciml.enhancers.jaspar import Motif, counts_to_ppm
from sciml.enhancers.matching import tomtom_compare


def main() -> None:
    """Run Tomtom and the dinucleotide shuffle once on random motifs and sequences."""
    start = time.process_time()
    rng = np.random.default_rng(0)
    targets = [Motif(f"M{i}", f"m{i}", "", ppm, ppm)
               for i, ppm in enumerate(counts_to_ppm(rng.random((4, 8)), 0.01) for _ in range(25))]
    tomtom_compare({"query": counts_to_ppm(rng.random((4, 10)), 0.01)}, targets)
    sequences = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(2, 30))].transpose(0, 2, 1)
    shuffled_backgrounds(sequences, n=2, seed=0)
    print(f"numba kernels of Tomtom and the dinucleotide shuffle cached ({time.process_time() - start:.0f} CPU-s)")


if __name__ == "__main__":
    main()
