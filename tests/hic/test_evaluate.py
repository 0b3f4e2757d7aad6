import numpy as np
import pandas as pd
import pytest

from sciml.hic.evaluate import curves_table, method_maps, score_map, summarise
from sciml.hic.models import Denoiser, build_net
from sciml.hic.settings import DenoiserSettings, EvalSettings
from sciml.hic.simulate import thin


def test_methods_and_scores_on_a_simulated_chromosome(small_chrom):
    low = thin(small_chrom.observed, 1 / 100, np.random.default_rng(0))
    identity = Denoiser(build_net("unet", channels=8),
                        DenoiserSettings(patch_size=32, band_bins=30, bin_tracks=False, reverse_average=False))
    settings = EvalSettings(scc_max_bins=20, ssim_patch=40)
    maps = method_maps(low, {"model": identity}, settings)
    assert set(maps) == {"raw", "ice", "ice_gauss", "model"}
    truth = small_chrom.expected / np.outer(small_chrom.bias, small_chrom.bias)
    valid = ~small_chrom.dead
    scores = {m: score_map(maps[m], truth, valid, settings, small_chrom.boundaries, small_chrom.loops)[0]
              for m in ("ice", "ice_gauss", "model")}
    # smoothing removes Poisson noise: better SCC than plain ICE; the untrained (identity) model equals ICE
    assert scores["ice_gauss"]["scc"] > scores["ice"]["scc"]
    assert scores["model"]["scc"] == pytest.approx(scores["ice"]["scc"], abs=1e-3)
    assert set(scores["ice"]) == {"scc", "ssim", "psnr", "tad_f1", "loop_recall", "loop_precision"}


def test_summarise_and_curves():
    rows = [{"chrom": "a", "method": "raw", "scc": 0.5}, {"chrom": "b", "method": "raw", "scc": 0.7},
            {"chrom": "a", "method": "model", "scc": 0.9}]
    flat, table = summarise(rows)
    assert flat == {"scc_model": 0.9, "scc_raw": pytest.approx(0.6)} and len(table) == 3
    curves = curves_table({("a", "raw"): np.array([1.0, 0.5]), ("b", "raw"): np.array([0.8, np.nan])}, 10_000)
    assert isinstance(curves, pd.DataFrame)
    assert curves["pearson"].tolist() == pytest.approx([0.9, 0.5]) and curves["distance_bp"].tolist() == [0, 10_000]
