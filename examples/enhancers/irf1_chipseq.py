"""IRF1 ChIP-seq peaks vs background: a motif CNN that finds the IRF motif.

Fetches the registered `koo-irf1-chipseq` data set (Koo & Ploenzke 2021; 400 bp one-hot
sequences, train/valid/test) with `sciml.data.fetch`, trains the workflow's IRF1 model
(exponential first-layer activation) with its default settings, reports the test AUROC and
checks that first-layer filters match interferon-regulatory-factor motifs in JASPAR.
With SCIML_EXAMPLES_QUICK=1 it trains on a 600-sequence subsample for one epoch.
Outputs go to `irf1_example/` in the current directory (data under `data/raw/`).
"""

import os
from pathlib import Path

from sciml.data import fetch
from sciml.enhancers.evaluate import mean_auroc, predict_proba
from sciml.enhancers.io import load_h5_splits
from sciml.enhancers.jaspar import load_jaspar
from sciml.enhancers.matching import family_matched
from sciml.enhancers.models import MotifCNNConfig, save_motif_cnn
from sciml.enhancers.pipeline import interpret_filters, subsample
from sciml.enhancers.settings import Irf1Settings
from sciml.enhancers.training import fit_config, train_motif_cnn
from sciml.settings import from_dict

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
OUT = Path("irf1_example")

folder = fetch("koo-irf1-chipseq")  # data/raw/koo-irf1-chipseq, sha256-verified
splits = load_h5_splits(folder / "IRF1_400_h3k27ac.h5")
(Xtr, ytr), (Xva, yva), (Xte, yte) = splits["train"], splits["valid"], splits["test"]
settings = from_dict(Irf1Settings, {"max_sequences": 600, "train": {"max_epochs": 1}} if QUICK else {})
if settings.max_sequences:
    keep = subsample(ytr[:, 0], settings.max_sequences, settings.seed)
    Xtr, ytr = Xtr[keep], ytr[keep]
    Xte, yte = Xte[:500], yte[:500]
print(f"train {len(Xtr)}, validation {len(Xva)}, test {len(Xte)} sequences of {Xtr.shape[2]} bp")

config = MotifCNNConfig.for_data(settings.model, Xtr.shape[2], ["irf1"])
model, history = train_motif_cnn(config, Xtr, ytr, Xva, yva, fit_config(settings.train, settings.seed, "cpu"))
auroc = mean_auroc(yte, predict_proba(model, Xte))
print(f"test AUROC {auroc:.3f} (best epoch {history.best_epoch})")

OUT.mkdir(exist_ok=True)
save_motif_cnn(OUT / "model", model, metrics={"test_auroc": auroc})
pwms, result = interpret_filters(model, Xte, load_jaspar(settings.jaspar_release), OUT)
matches = result.best_matches()
print(f"{len(pwms)} filter PWMs; IRF-family match: {family_matched(matches, 'interferon')}")
for m in sorted(matches, key=lambda m: m.p_value)[:5]:
    print(f"  {m.name:12s} {m.matrix_id:10s} {m.family[:40]:40s} q={m.q_value:.2g}")
