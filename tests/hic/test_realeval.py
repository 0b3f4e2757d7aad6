import json

import numpy as np
import pytest

from sciml.cli import main
from sciml.errors import ConfigError, InputError
from sciml.hic.biases import BiasParams
from sciml.hic.io import read_matrix, write_cool
from sciml.hic.realeval import evaluate_real, scc_key
from sciml.hic.settings import RealEvalSettings, SimulationParams
from sciml.hic.simulate import sample_counts, simulate_chromosome

BINSIZE = 10_000


@pytest.fixture(scope="module")
def replicates(tmp_path_factory):
    """Two libraries of one simulated chromosome (same expected map, independent counts)."""
    root = tmp_path_factory.mktemp("realeval")
    rng = np.random.default_rng(0)
    chrom = simulate_chromosome(90, SimulationParams(contacts_per_bin=(3000.0, 3000.0)), BiasParams(), rng)
    a = write_cool(root / "a.cool", {"c1": chrom.observed}, BINSIZE)
    b = write_cool(root / "b.cool", {"c1": sample_counts(chrom.expected, rng)}, BINSIZE)
    return root, a, b


def test_complement_is_independent_and_replicate_ceiling_beats_thinned(replicates, tmp_path):
    _, a, b = replicates
    settings = RealEvalSettings(frac=1 / 16, seed=1, scc_max_distance_bp=200_000)
    metrics, curves = evaluate_real(a, {"b": b}, {}, tmp_path, settings)
    key = scc_key(settings)
    assert key == "scc_h1_200kb"
    thinned, rest = read_matrix(tmp_path / "thinned.cool", "c1"), read_matrix(tmp_path / "complement.cool", "c1")
    np.testing.assert_array_equal(thinned + rest, read_matrix(a, "c1"))
    ceiling = metrics[f"replicate_b_raw_{key}_ceiling"]
    raw = metrics[f"replicate_b_raw_{key}_raw"]
    assert 0 < raw < ceiling <= 1
    assert metrics[f"replicate_b_ice_{key}_ice_gauss"] > metrics[f"replicate_b_ice_{key}_ice"]  # smoothing helps at 1/16
    assert f"complement_raw_{key}_ceiling" not in metrics
    assert curves["replicate_b_raw_pearson_raw"].shape == (21,)
    again, _ = evaluate_real(a, {"b": b}, {}, tmp_path / "again", settings)
    assert again == metrics


def test_bad_replicate_and_chromosome_are_named(replicates, tmp_path):
    root, a, _ = replicates
    other = write_cool(root / "other.cool", {"c1": np.eye(45, dtype=np.int64) * 5}, 2 * BINSIZE)
    with pytest.raises(InputError, match="other.cool"):
        evaluate_real(a, {"o": other}, {}, tmp_path, RealEvalSettings())
    with pytest.raises(InputError, match="chrZ"):
        evaluate_real(a, {}, {}, tmp_path, RealEvalSettings(chromosomes=("chrZ",)))


def test_cli_writes_metrics_with_provenance(replicates, tmp_path):
    _, a, b = replicates
    assert main(["hic", "evaluate-real", "--cool", str(a), "--replicate", f"b={b}", "--out-dir", str(tmp_path),
                 "--set", "scc_max_distance_bp=100000", "--set", "frac=0.125"]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert "replicate_b_ice_scc_h1_100kb_ice" in metrics and "provenance" in metrics
    assert (tmp_path / "distance_pearson.tsv").read_text().startswith("distance_bp\t")


def test_bins_setting_scores_a_region_balanced_on_its_own(replicates, tmp_path):
    _, a, b = replicates
    settings = RealEvalSettings(frac=1 / 8, seed=1, scc_max_distance_bp=100_000, bins=(30, 90))
    metrics, curves = evaluate_real(a, {"b": b}, {}, tmp_path, settings)
    whole, _ = evaluate_real(a, {"b": b}, {}, tmp_path / "whole", RealEvalSettings(frac=1 / 8, seed=1,
                                                                                    scc_max_distance_bp=100_000))
    key = scc_key(settings)
    assert 0 < metrics[f"complement_raw_{key}_raw"] < 1
    assert metrics[f"complement_raw_{key}_raw"] != whole[f"complement_raw_{key}_raw"]
    with pytest.raises(ConfigError):
        RealEvalSettings(bins=(10, 5))
