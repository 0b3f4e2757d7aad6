"""Real HCT-116 replicates: thin one, score it against its complement and a replicate, denoise a cooler.

Uses the registered `hic-real` data set (Rao et al. 2017, HCT-116 chr22 at 100 kb), fetched and
verified by `sciml.data.fetch` (set SCIML_DATA_MIRROR to use a local mirror). Replicate r4 (the
condition the default model never trains on) is thinned to 1/16 with `sciml.hic.sample` (the
contacts not kept form the complement) and the raw map, ICE and ICE + Gaussian are scored against
the complement and against replicate r5 with HiCRep SCC (h = 1, 5 Mb); the replicate ceiling is
r4's full map against r5. When SCIML_HIC_MODEL names a
trained denoiser folder (e.g. results/hic/model), it is scored too and the thinned map is denoised
into a cooler with `sciml.hic.cooldenoise.denoise_cool` (the same as `sciml hic denoise`).
SCIML_EXAMPLES_QUICK=1 changes nothing here (the map has 514 bins). Outputs go to ./hic-replicates/.
"""

import os
from pathlib import Path

import cooler

from sciml.data import fetch
from sciml.hic.cooldenoise import denoise_cool
from sciml.hic.models import load_denoiser
from sciml.hic.realeval import evaluate_real, scc_key
from sciml.hic.settings import RealEvalSettings

OUT = Path("hic-replicates")
folder = fetch("hic-real", root=OUT / "data", files=["rao2017_hct116_chr22_100kb_r4.cool",
                                                      "rao2017_hct116_chr22_100kb_r5.cool"])
r4, r5 = folder / "rao2017_hct116_chr22_100kb_r4.cool", folder / "rao2017_hct116_chr22_100kb_r5.cool"
model_dir = os.environ.get("SCIML_HIC_MODEL")
models = {"model": load_denoiser(model_dir)} if model_dir else {}

settings = RealEvalSettings(frac=1 / 16, seed=0, scc_h=1, scc_max_distance_bp=5_000_000)
metrics, curves = evaluate_real(r4, {"r5": r5}, models, OUT / "eval", settings)
key = scc_key(settings)
for target in ("complement", "replicate_r5"):
    scores = {k.rsplit("_", 1)[-1] if not k.endswith("ice_gauss") else "ice_gauss": v
              for k, v in metrics.items() if k.startswith(f"{target}_raw_{key}_")}
    print(f"{target:13s} raw space, {key}: " + "  ".join(f"{m} {v:.4f}" for m, v in scores.items()))

if model_dir:
    report = denoise_cool(model_dir, OUT / "eval" / "thinned.cool", OUT / "denoised.cool", device="cpu")
    clr = cooler.Cooler(str(OUT / "denoised.cool"))
    print(f"denoised {report.chromosomes}: {clr.info['nnz']} pixels, outside the training range: "
          f"{clr.info['metadata']['sciml']['out_of_training_range']}")
