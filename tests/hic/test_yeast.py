import numpy as np
import pytest

from sciml.errors import ConfigError
from sciml.hic.evaluate import evaluate_real
from sciml.hic.io import read_matrix, read_weights
from sciml.hic.settings import EvalSettings
from sciml.hic.yeast import FULL, prepare_real, real_pairs, split_real, thinned_file


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, data_mirror):
    return prepare_real(data_mirror / "hic-yeast-10kb" / "yeast.10kb.cool", tmp_path_factory.mktemp("y") / "yeast",
                        16, seed=0)


def test_prepare_real_thins_and_balances(prepared):
    full = read_matrix(prepared / FULL, "chrIII")
    low = read_matrix(prepared / thinned_file(16), "chrIII")
    assert full.shape == low.shape == (32, 32)
    assert (low <= full).all() and abs(low.sum() / full.sum() - 1 / 16) < 0.01
    assert np.isfinite(read_weights(prepared / FULL, "chrIII")).sum() > 25


def test_real_pairs_and_split(prepared):
    (pair,) = real_pairs(prepared, 16, ["chrI"])
    assert pair.noisy.shape == pair.clean.shape and pair.valid.any()
    first, *extra = real_pairs(prepared, 16, ["chrI"], draws=3, seed=1)
    assert len(extra) == 2 and np.array_equal(first.noisy, pair.noisy)
    # fresh thinnings: same chromosome and target, other counting noise at about the same depth
    assert np.allclose(extra[0].clean * (pair.clean.sum() / extra[0].clean.sum()), pair.clean)
    assert not np.array_equal(extra[0].noisy, pair.noisy) and not np.array_equal(extra[0].noisy, extra[1].noisy)
    assert abs(extra[0].noisy.sum() / pair.noisy.sum() - 1) < 0.05
    chroms = ["chrI", "chrII", "chrIII"]
    assert split_real(chroms, ["chrII"], ["chrIII"]) == (["chrI"], ["chrIII"], ["chrII"])
    with pytest.raises(ConfigError, match="unknown chromosomes"):
        split_real(chroms, ["chrZ"], ["chrI"])
    with pytest.raises(ConfigError, match="overlaps"):
        split_real(chroms, ["chrI"], ["chrI"])


def test_evaluate_real_scores_balanced_methods_also_in_raw_space(prepared):
    result = evaluate_real(prepared, 16, ["chrIII"], {}, EvalSettings(scc_max_bins=10, curve_max_bins=10), 10_000)
    m = result.metrics
    assert {"scc_raw", "scc_ice", "scc_rawspace_ice", "scc_rawspace_ice_gauss"} <= set(m)
    assert "scc_rawspace_raw" not in m
    # ICE put back into raw space is the raw map again (up to the bins ICE masks at 1/16)
    assert m["scc_rawspace_ice"] == pytest.approx(m["scc_raw"], abs=0.02)


def test_the_evaluation_protocol_runs_end_to_end_and_writes_its_outputs(prepared, tmp_path):
    import json

    from sciml.hic.biases import BiasParams
    from sciml.hic.dataset import write_simulated_split
    from sciml.hic.evaluate import evaluate_all, write_evaluation
    from sciml.hic.settings import EvaluateSettings, YeastSettings
    from sciml.hic.simulate import SimulationParams

    splits = {name: write_simulated_split(tmp_path / name, 1, 60, SimulationParams(tad_size_bins=(10, 16)),
                                          BiasParams(), [16, 32], seed=seed) for name, seed in (("val", 1), ("test", 2))}
    settings = EvaluateSettings(depths=(16, 32), yeast=YeastSettings(test_chromosomes=("chrIII",),
                                                                      val_chromosomes=("chrI",)),
                                metrics=EvalSettings(scc_max_bins=10, ssim_patch=20, curve_max_bins=10,
                                                     tad_windows=(3,), tad_prominences=(0.1, 0.2)))
    result = evaluate_all(splits["test"], splits["val"], prepared, {}, {}, settings)
    assert set(result.metrics) == {"sim", "sim_val", "sim_1_32", "yeast"}
    assert result.metrics["yeast"]["n_test_chromosomes"] == 1
    assert {"tad_window_ice", "tad_prominence_ice", "tad_prominence_window_ice", "tad_mask_distance_ice",
            "tad_f1_val_ice", "tad_f1_truth"} <= set(result.metrics["sim"])
    path = write_evaluation(result, tmp_path / "out")
    written = json.loads(path.read_text())
    assert written["sim"] == pytest.approx(result.metrics["sim"]) and "provenance" in written
    assert (tmp_path / "out" / "yeast_heatmaps.png").is_file()
