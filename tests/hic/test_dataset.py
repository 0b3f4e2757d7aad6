import numpy as np
import pytest

from sciml.errors import InputError
from sciml.hic.biases import BiasParams
from sciml.hic.dataset import read_truth, split_chromosomes, thinned_name, write_simulated_split
from sciml.hic.io import read_matrix
from sciml.hic.simulate import SimulationParams


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim") / "test"
    return write_simulated_split(out, 2, 80, SimulationParams(tad_size_bins=(12, 20)), BiasParams(), [16, 32], seed=5)


def test_split_folder_contents(split):
    names = {p.name for p in split.iterdir()}
    assert {"expected.cool", "observed.cool", "thin16.cool", "thin32.cool", "tads.bed", "loops.bedpe",
            "simulation.json"} <= names
    assert split_chromosomes(split) == ["sim1", "sim2"]
    full = read_matrix(split / "observed.cool", "sim1")
    low = read_matrix(split / thinned_name(16), "sim1")
    assert (low <= full).all() and 0.03 < low.sum() / full.sum() < 0.1


def test_truth_round_trip(split):
    truth = read_truth(split, "sim2")
    n = truth.expected.shape[0]
    assert truth.balanced.shape == (n, n) and truth.valid.dtype == bool and (~truth.valid).any()
    assert (truth.balanced[~truth.valid] == 0).all()
    assert truth.boundaries.size and truth.boundaries.min() > 0 and truth.boundaries.max() < n
    assert truth.loops.shape[1] == 2 and (truth.loops[:, 0] < truth.loops[:, 1]).all()
    bed = (split / "tads.bed").read_text().splitlines()
    assert bed[0].split("\t")[0] == "sim1" and int(bed[0].split("\t")[2]) % 10_000 == 0


def test_same_seed_same_files(split, tmp_path):
    again = write_simulated_split(tmp_path / "again", 2, 80, SimulationParams(tad_size_bins=(12, 20)),
                                  BiasParams(), [16, 32], seed=5)
    assert np.array_equal(read_matrix(again / "thin32.cool", "sim2"), read_matrix(split / "thin32.cool", "sim2"))


def test_incomplete_folder_is_an_input_error(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(InputError, match="missing from the simulated data folder"):
        read_truth(tmp_path / "x", "sim1")


def test_evaluation_rejects_maps_on_other_bins(split, tmp_path):
    import shutil

    from sciml.hic.evaluate import evaluate_simulated
    from sciml.hic.io import write_cool
    from sciml.hic.settings import EvalSettings

    broken = tmp_path / "broken"
    shutil.copytree(split, broken)
    (broken / "thin16.cool").unlink()
    write_cool(broken / "thin16.cool", {"sim1": np.zeros((70, 70)), "sim2": np.zeros((90, 90))}, 10_000)
    with pytest.raises(InputError, match=r"thin16.cool \[sim1\]: bins do not match"):
        evaluate_simulated(broken, 16, {}, EvalSettings(), 10_000)


def test_validation_tunes_tad_calling_and_scores_with_it_in_one_pass(split):
    from sciml.hic.evaluate import evaluate_simulated, tune_tad_calling, validate_simulated
    from sciml.hic.settings import EvalSettings

    settings = EvalSettings(scc_max_bins=10, ssim_patch=20, tad_windows=(3, 5), tad_prominences=(0.1, 0.2),
                            tad_prominence_windows=(0, 9), tad_mask_distances=(0, 1))
    tuned, val = validate_simulated(split, 16, {}, settings, 10_000)
    assert tune_tad_calling(split, 16, {}, settings) == tuned
    assert set(tuned) == {"raw", "ice", "ice_gauss", "truth"}
    assert all(w in (3, 5) and p in (0.1, 0.2) and pw in (0, 9) and md in (0, 1) and 0 <= f1 <= 1
               for w, p, pw, md, f1 in tuned.values())
    assert all(c.f1_val == c[4] for c in tuned.values())
    # the one-pass scores equal a separate evaluation of the same split with the tuned calling, and the
    # tuned F1 is the mean F1 of those scores
    again = evaluate_simulated(split, 16, {}, settings, 10_000, tad_calling=tuned)
    assert val.metrics == again.metrics
    assert all(val.metrics[f"tad_f1_{method}"] == pytest.approx(f1) for method, (*_, f1) in tuned.items())
    assert 0 <= val.metrics["tad_f1_truth"] <= 1 and "scc_truth" not in val.metrics
