"""Thin a real yeast Hi-C map to 1/16 depth and score the balancing baselines against its full depth.

Shows the real-data protocol on the registered `hic-yeast-10kb` cooler (S. cerevisiae, 10 kb),
fetched and verified by `sciml.data.fetch` (set SCIML_DATA_MIRROR to use a local mirror):
`sciml.hic.yeast.prepare_real` writes the full-depth map and a binomially thinned 1/16 copy (both
with ICE weights); each held-out chromosome is then scored raw vs raw, and ICE and ICE + Gaussian
smoothing vs the ICE-balanced full-depth map (HiCRep SCC), with the TAD boundaries called on the
full-depth map for reference. A trained denoiser (a model folder of `sciml hic train`, e.g.
`results/hic/model_finetuned`) is scored too when the environment variable SCIML_HIC_MODEL names it.
Set SCIML_EXAMPLES_QUICK=1 to score two chromosomes only. Outputs go to ./hic-yeast/.
"""

import os
from pathlib import Path

import sciml
from sciml.data import fetch
from sciml.hic import balance, call_boundaries, gaussian_smooth, insulation_score, read_matrix, scc
from sciml.hic.io import chromosome_sizes
from sciml.hic.settings import YeastSettings
from sciml.hic.yeast import FULL, prepare_real, thinned_file

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
OUT = Path("hic-yeast")
yeast = YeastSettings()  # 1/16 depth; the held-out chromosomes of the workflow

cool = fetch("hic-yeast-10kb", root=OUT / "data") / "yeast.10kb.cool"
prepared = OUT / "prepared"
if not prepared.exists():
    prepare_real(cool, prepared, yeast.depth, seed=0)

chroms = [c for c in yeast.test_chromosomes if c in chromosome_sizes(prepared / FULL)]
rows = []
model = sciml.load_model(os.environ["SCIML_HIC_MODEL"]) if os.environ.get("SCIML_HIC_MODEL") else None
for chrom in chroms[:2] if QUICK else chroms:
    full = read_matrix(prepared / FULL, chrom)
    low = read_matrix(prepared / thinned_file(yeast.depth), chrom)
    full_balanced, valid = balance(full)
    low_balanced, low_valid = balance(low)
    scores = {"raw": scc(low, full, 30, 1, valid),
              "ice": scc(low_balanced, full_balanced, 30, 1, valid),
              "ice_gauss": scc(gaussian_smooth(low_balanced, 1.0, low_valid), full_balanced, 30, 1, valid)}
    if model is not None:
        scores["model"] = scc(model.denoise(low_balanced), full_balanced, 30, 1, valid)
    boundaries = call_boundaries(insulation_score(full_balanced, 5, valid), 0.1, valid=valid)
    rows.append((chrom, full.shape[0], len(boundaries), scores))
    print(f"{chrom:8s} {full.shape[0]:4d} bins, {len(boundaries):3d} boundaries at full depth  "
          + "  ".join(f"{k} {v:.4f}" for k, v in scores.items()))

with open(OUT / "scc.tsv", "w") as out:
    methods = list(rows[0][3])
    out.write("chrom\tn_bins\tn_boundaries\t" + "\t".join(f"scc_{m}" for m in methods) + "\n")
    for chrom, n, b, scores in rows:
        out.write(f"{chrom}\t{n}\t{b}\t" + "\t".join(f"{scores[m]:.6g}" for m in methods) + "\n")
