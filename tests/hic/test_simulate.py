import numpy as np
import pytest

from sciml.errors import ConfigError
from sciml.hic.biases import BiasParams
from sciml.hic.simulate import SimulationParams, nested_tads, simulate_chromosome, thin


def test_expected_map_structure(small_chrom):
    s = small_chrom
    n = s.bias.size
    assert s.expected.shape == (n, n) and np.allclose(s.expected, s.expected.T)
    assert np.array_equal(s.observed, s.observed.T) and s.observed.dtype == np.int64
    # depth: observable cis contacts per bin as configured
    assert abs(s.expected.sum() / (~s.dead).sum() - 20_000) < 1
    # distance decay: the bias-free map falls with distance
    clean = s.expected / np.outer(s.bias, s.bias)
    assert np.mean(np.diagonal(clean, 1)) > np.mean(np.diagonal(clean, 20)) > np.mean(np.diagonal(clean, 80))
    # TAD enrichment: contacts inside a TAD exceed those across the boundary at the same distance
    t = s.tads.iloc[1]
    start = int(t.start)
    inside = clean[start + 1, start + 6]
    across = clean[start - 3, start + 2]
    assert inside > across


def test_loops_are_local_maxima(small_chrom):
    s = small_chrom
    clean = s.expected / np.outer(s.bias, s.bias)
    assert len(s.loops)
    for i, j in s.loops:
        assert clean[i, j] > clean[i, j + 3] and clean[i, j] > clean[i - 3, j]


def test_seeded_and_counts_follow_poisson():
    params, bias = SimulationParams(), BiasParams()
    a = simulate_chromosome(120, params, bias, np.random.default_rng(1))
    b = simulate_chromosome(120, params, bias, np.random.default_rng(1))
    assert np.array_equal(a.observed, b.observed)
    ratio = a.observed.sum() / a.expected.sum()
    assert abs(ratio - 1) < 0.01


def test_thinning_keeps_the_fraction_and_symmetry(small_chrom):
    low = thin(small_chrom.observed, 1 / 16, np.random.default_rng(0))
    assert np.array_equal(low, low.T) and (low <= small_chrom.observed).all()
    assert abs(low.sum() / small_chrom.observed.sum() - 1 / 16) < 0.005
    with pytest.raises(ConfigError, match="thinning fraction"):
        thin(small_chrom.observed, 1.5, np.random.default_rng(0))


def test_nested_tads_partition():
    tads = nested_tads(500, SimulationParams(subtad_probability=1.0), np.random.default_rng(2))
    top = tads[tads.level == 1]
    assert top.start.iloc[0] == 0 and top.end.iloc[-1] == 500
    assert (top.start.to_numpy()[1:] == top.end.to_numpy()[:-1]).all()
    assert (tads.level == 2).any()


def test_config_validation():
    from sciml.settings import from_dict

    with pytest.raises(ConfigError, match="alpa"):
        from_dict(SimulationParams, {"alpa": [1, 2]})
    with pytest.raises(ConfigError, match="low <= high"):
        from_dict(SimulationParams, {"alpha": [1.2, 0.8]})
    assert from_dict(SimulationParams, {"alpha": [0.9, 1.0]}).alpha == (0.9, 1.0)


def test_bias_ranges_are_drawn_per_chromosome_and_recorded():
    bias = BiasParams(gc_sigma=(0.2, 0.6), dead_fraction=(0.01, 0.05))
    rng = np.random.default_rng(3)
    chroms = [simulate_chromosome(80, SimulationParams(tad_size_bins=(10, 20)), bias, rng) for _ in range(3)]
    drawn = [c.drawn["bias_gc_sigma"] for c in chroms]
    assert len(set(drawn)) == 3 and all(0.2 <= d <= 0.6 for d in drawn)
    assert "bias_re_sigma" not in chroms[0].drawn and "bias_dead_fraction" in chroms[0].drawn
