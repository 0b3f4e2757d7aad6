"""Speed of the motif-grammar probe -> results/bench/enhancers_spacing.json.

Measures (CPU, 1 thread unless SCIML_BENCH_THREADS is set), on the ChIP-seq jobs' motif CNN
(`ChipSeqSettings`, 200 bp) with two 12 bp consensus motifs and the default `SpacingSettings`
(64 dinucleotide-shuffled backgrounds, gaps 0-40, four arrangements, one shuffled copy of each
motif as controls), side by side:

- `sciml.enhancers.grammar.motif_spacing`: pairs, each motif alone and the controls (the
  interaction the chipseq job and `sciml enhancers spacing` report), probe sequences/s;
- tangermeme's `space` on the same backgrounds, gaps and arrangements, pairs only (its
  experiment gives the pair predictions; singles and controls are what `motif_spacing` adds).

Timings on a shared machine vary with its load; the file records the load average at the start.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

import sciml.enhancers  # noqa: F401  (sets the numba threading layer before memelite loads)
from sciml.enhancers.grammar import ARRANGEMENTS, motif_spacing, shuffled_backgrounds
from sciml.enhancers.models import MotifCNNConfig, build_model
from sciml.enhancers.sequences import one_hot
from sciml.enhancers.settings import ChipSeqSettings, SpacingSettings
from sciml.files import write_text_atomic
from sciml.train.seed import seed_everything

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "results/bench/enhancers_spacing.json")
MOTIFS = {"A": "ACCGGAAGTGGC", "B": "CTTTGATCTTTG"}  # ETS-like and TCF/LEF-like consensus, 12 bp each


def main() -> None:
    from tangermeme.space import space

    threads = int(os.environ.get("SCIML_BENCH_THREADS", "1"))
    torch.set_num_threads(threads)
    seed_everything(0)
    load = os.getloadavg()[0]
    chip, spacing = ChipSeqSettings(), SpacingSettings()
    model = build_model(MotifCNNConfig.for_data(chip.model, 200, ["task"])).eval()
    rng = np.random.default_rng(0)
    X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (200, 200))].transpose(0, 2, 1).copy()
    backgrounds = shuffled_backgrounds(X, spacing.n_backgrounds, seed=0)
    motif = {k: one_hot([v])[0] for k, v in MOTIFS.items()}
    motif_spacing(model, backgrounds[:2], motif["A"], motif["B"], max_gap=1)  # warm-up, not timed
    started = time.perf_counter()
    motif_spacing(model, backgrounds, motif["A"], motif["B"], spacing.max_gap, spacing.n_controls, seed=0)
    ours = time.perf_counter() - started
    n_gaps = spacing.max_gap + 1
    # per arrangement and gap: 1 + 2 C pairs (the real one, C shuffled copies of each motif) and
    # 2 + 2 C motifs alone (A, B and their copies), predicted on both strands
    ours_sequences = len(ARRANGEMENTS) * n_gaps * (3 + 4 * spacing.n_controls) * len(backgrounds) * 2
    rc = {"+": lambda s: s, "-": lambda s: s[::-1].translate(str.maketrans("ACGT", "TGCA"))}
    started = time.perf_counter()
    with torch.no_grad():
        for first, s1, second, s2 in ARRANGEMENTS:
            space(model, torch.as_tensor(backgrounds), [rc[s1](MOTIFS[first]), rc[s2](MOTIFS[second])],
                  spacing=np.arange(n_gaps)[:, None], batch_size=256, device="cpu")
    peer = time.perf_counter() - started
    peer_sequences = len(ARRANGEMENTS) * n_gaps * len(backgrounds)  # one strand
    report = {
        "threads": threads,
        "machine": platform.processor() or platform.machine(),
        "load_average_at_start": round(load, 2),
        "note": "shared 2-core machine; timings depend on its load",
        "settings": {"n_backgrounds": spacing.n_backgrounds, "max_gap": spacing.max_gap,
                     "n_controls": spacing.n_controls, "arrangements": len(ARRANGEMENTS), "motif_bp": 12},
        "motif_spacing": {"seconds": round(ours, 2), "probe_sequences": ours_sequences,
                          "sequences_per_s": round(ours_sequences / ours, 1),
                          "measures": "pairs, singles, shuffled-motif controls; both strands"},
        "tangermeme_space": {"seconds": round(peer, 2), "probe_sequences": peer_sequences,
                             "sequences_per_s": round(peer_sequences / peer, 1),
                             "measures": "pairs only, one strand"},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(OUT, json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
