"""Train a motif CNN on a FASTA pair, discover its motifs, and probe their spacing.

The user-guide example: positives carry planted SP1 and CEBPB motifs, negatives are random
sequences. A motif CNN is trained on the pair (train/validation/test split), saved as a model
folder, loaded back with `sciml.load_model`; TF-MoDISco patterns and first-layer filter PWMs
are matched to JASPAR with Tomtom, and the two leading patterns are probed for spacing and
orientation preferences in shuffled negatives. Outputs go to `enhancers_example/` in the
current directory.
"""

import os
from pathlib import Path

import numpy as np

import sciml
from sciml.enhancers import find_motifs, find_spacing, load_sequences, predict_fasta, train_sequence_model
from sciml.enhancers.jaspar import load_jaspar, select_motifs
from sciml.enhancers.sequences import decode
from sciml.enhancers.settings import MotifsSettings, SpacingSettings, TrainModelSettings
from sciml.enhancers.synthetic import planted_motif_set
from sciml.settings import from_dict

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
OUT = Path("enhancers_example")
N = 400 if QUICK else 4000

# 1. A FASTA pair: positives with planted SP1 / CEBPB instances, negatives uniform random.
OUT.mkdir(exist_ok=True)
motifs = select_motifs(load_jaspar(), ["SP1", "CEBPB"])
X, _ = planted_motif_set([m.frequencies for m in motifs], n=N, length=100, max_motifs=2, seed=0)
rng = np.random.default_rng(1)
negatives = ["".join(rng.choice(list("ACGT"), 100)) for _ in range(N)]
(OUT / "pos.fa").write_text("".join(f">pos{i}\n{s}\n" for i, s in enumerate(decode(X))))
(OUT / "neg.fa").write_text("".join(f">neg{i}\n{s}\n" for i, s in enumerate(negatives)))

# 2. Train and save (settings: a partial mapping, the rest are the defaults).
settings = from_dict(TrainModelSettings, {
    "model": {"activation": "exp", "n_filters": 16, "pool2_size": 5},
    "train": {"max_epochs": 2 if QUICK else 15, "lr": 0.003, "batch_size": 64, "patience": 4},
})
metrics = train_sequence_model(load_sequences(OUT / "pos.fa", negative=OUT / "neg.fa"), OUT / "model", settings,
                               device="cpu")
print(f"held-out AUROC {metrics['test_auroc']:.3f} on {metrics['n_test']} sequences "
      f"(GC-only {metrics['gc_auroc']:.3f}, 6-mer {metrics['kmer_auroc']:.3f})")

# 3. Load the model folder, discover motifs (TF-MoDISco + filter PWMs) vs JASPAR, predict.
model = sciml.load_model(OUT / "model")
found = find_motifs(model, OUT / "pos.fa", OUT / "motifs", MotifsSettings(max_logos=8))
for pattern, match in zip(found.patterns, found.pattern_matches.best_matches(), strict=True):
    print(f"{pattern.name}: {pattern.n_seqlets} seqlets, best JASPAR match {match.name} q={match.q_value:.2g}")
matched = sorted({m.name for m in found.filter_matches.best_matches() if m.q_value < 0.05})
print(f"JASPAR motifs matched by a filter (q < 0.05): {matched}")
print(predict_fasta(model, OUT / "pos.fa").head())

# 4. Spacing and orientation of the two leading patterns, beside shuffled-motif controls.
grammar = find_spacing(model, OUT / "motifs", OUT / "neg.fa", OUT / "spacing",
                       SpacingSettings(max_gap=20, n_backgrounds=16 if QUICK else 64))
if grammar:
    print(f"{grammar['label_a']} x {grammar['label_b']}: best {grammar['best_arrangement']} at "
          f"{grammar['best_gap_bp']} bp, interaction {grammar['best_interaction']:+.2f} logit "
          f"(controls {grammar['control_low']:+.2f}..{grammar['control_high']:+.2f})")
