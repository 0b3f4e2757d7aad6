import json

import numpy as np
import pytest

from sciml.cli import main
from sciml.errors import ConfigError, InputError
from sciml.hic.biases import BiasParams
from sciml.hic.io import read_matrix, write_cool
from sciml.hic.pipeline import evaluate
from sciml.hic.plots import real_scores
from sciml.hic.realeval import evaluate_real, parse_score_key, read_cases, scc_key
from sciml.hic.settings import EvaluateSettings, HicWorkflow, RealEvalCase, RealEvalSettings, SimulationParams
from sciml.hic.simulate import sample_counts, simulate_chromosome
from sciml.settings import from_dict

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


def test_library_mode_scores_the_input_as_it_is_against_replicates(replicates, tmp_path):
    _, a, b = replicates
    thinned = RealEvalSettings(frac=1 / 16, seed=1, scc_max_distance_bp=200_000)
    library = RealEvalSettings(frac=1.0, scc_max_distance_bp=200_000)
    key = scc_key(library)
    ref, _ = evaluate_real(a, {"b": b}, {}, tmp_path / "thinned", thinned)
    metrics, curves = evaluate_real(a, {"b": b}, {}, tmp_path / "library", library)
    assert not (tmp_path / "library" / "thinned.cool").exists()
    assert not any(k.startswith("complement") or k.endswith("ceiling") for k in metrics)
    # the untouched library against b is exactly the thinned run's ceiling (full a vs b)
    assert metrics[f"replicate_b_raw_{key}_raw"] == pytest.approx(ref[f"replicate_b_raw_{key}_ceiling"])
    assert metrics["kept_contacts"] == metrics["input_contacts"] == int(read_matrix(a, "c1")[np.triu_indices(90)].sum())
    assert {f"replicate_b_ice_{key}_ice_gauss", f"replicate_b_raw_{key}_ice_gauss"} <= set(metrics)
    with pytest.raises(ConfigError, match="replicate"):
        evaluate_real(a, {}, {}, tmp_path / "none", library)
    with pytest.raises(ConfigError):
        RealEvalSettings(frac=1.5)
    with pytest.raises(ConfigError, match="protocol"):
        RealEvalSettings(frac=1.0, protocol=True)


def test_protocol_scores_join_the_metrics_of_a_thinned_map(replicates, tmp_path):
    _, a, _ = replicates
    settings = RealEvalSettings(frac=1 / 4, scc_max_distance_bp=200_000, protocol=True)
    metrics, _ = evaluate_real(a, {}, {}, tmp_path, settings)
    assert {"protocol_ssim_raw", "protocol_psnr_ice_gauss"} <= set(metrics)
    assert 0 < metrics["protocol_ssim_ice_gauss"] <= 1
    assert "protocol_ssim_raw" not in evaluate_real(a, {}, {}, tmp_path / "off", RealEvalSettings(frac=1 / 4))[0]


def test_cases_are_read_parsed_and_drawn(replicates, tmp_path):
    _, a, b = replicates
    for name, frac in (("thin", "0.125"), ("library", "1")):
        assert main(["hic", "evaluate-real", "--cool", str(a), "--replicate", f"b={b}", "--out-dir",
                     str(tmp_path / name), "--set", "scc_max_distance_bp=100000", "--set", f"frac={frac}"]) == 0
    cases = read_cases({"thin": tmp_path / "thin", "library": tmp_path / "library"})
    assert set(cases["thin"]) > {"replicate_b_raw_scc_h1_100kb_ceiling", "kept_contacts"}
    assert all(isinstance(v, float) for v in cases["library"].values())
    assert parse_score_key("replicate_b_raw_scc_h1_100kb_ice_gauss") == ("replicate_b", "raw", "scc_h1_100kb",
                                                                         "ice_gauss")
    assert parse_score_key("complement_ice_scc_h2_500kb_model_sim") == ("complement", "ice", "scc_h2_500kb",
                                                                        "model_sim")
    assert parse_score_key("kept_contacts") is None
    figure = real_scores(cases, tmp_path / "real.png")
    assert figure.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError, match="missing"):
        read_cases({"missing": tmp_path / "missing"})
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "metrics.json").write_text('{"complement_raw_scc_h1_100kb_raw": 0.')
    with pytest.raises(InputError, match="broken"):
        read_cases({"broken": tmp_path / "broken"})


def test_evaluate_checks_its_real_cases_before_any_work(tmp_path):
    with pytest.raises(InputError, match="case gone"):
        evaluate(*(tmp_path / n for n in ("test", "val", "real", "m", "ms", "hp", "ft", "out")), EvaluateSettings(),
                 "cpu", [tmp_path / "gone"])


def test_workflow_cases_default_and_replace():
    defaults = HicWorkflow().real_eval
    assert {"yeast_1_160", "hct116_r4_library", "imr90_1_16"} <= set(defaults)
    assert defaults["hct116_r4_library"].scoring.frac == 1 and defaults["hct116_r4_library"].replicates
    assert defaults["yeast_1_160"].scoring.chromosomes and defaults["yeast_1_160"].dataset == "hic-yeast-10kb"
    chosen = from_dict(HicWorkflow, {"real_eval": {"mine": {"cool": "a.cool", "scoring": {"frac": 0.25}}}})
    assert list(chosen.real_eval) == ["mine"] and chosen.real_eval["mine"].scoring.frac == 0.25
    with pytest.raises(ConfigError, match="cool"):
        from_dict(HicWorkflow, {"real_eval": {"mine": {"scoring": {"frac": 0.25}}}})
    with pytest.raises(ConfigError, match="replicates"):
        RealEvalCase(cool="a.cool", scoring=RealEvalSettings(frac=1.0))
