import numpy as np
import pytest

from sciml.hic.biases import BiasParams, bin_biases, dead_bins


def test_biases_are_positive_mean_one_and_seeded():
    b1, d1 = bin_biases(500, BiasParams(), np.random.default_rng(3))
    b2, d2 = bin_biases(500, BiasParams(), np.random.default_rng(3))
    assert np.array_equal(b1, b2) and np.array_equal(d1, d2)
    assert (b1 > 0).all()
    assert abs(b1[~d1].mean() - 1) < 1e-9
    assert (b1[d1] < 0.01).all() and d1.any()


def test_larger_sigma_gives_more_spread():
    small, dead = bin_biases(2000, BiasParams(gc_sigma=0.1, re_sigma=0.05), np.random.default_rng(0))
    large, dead2 = bin_biases(2000, BiasParams(gc_sigma=0.6, re_sigma=0.3), np.random.default_rng(0))
    assert np.log(large[~dead2]).std() > np.log(small[~dead]).std()


def test_dead_bins_fraction():
    dead = dead_bins(10_000, 0.05, np.random.default_rng(1))
    assert 0.02 < dead.mean() < 0.08


def test_ranges_are_drawn_per_chromosome_and_fixed_values_draw_nothing():
    fixed = BiasParams()
    rng = np.random.default_rng(5)
    assert fixed.ranged() == [] and fixed.draw(rng) == fixed
    assert rng.random() == np.random.default_rng(5).random()  # no draw consumed
    ranged = BiasParams(gc_sigma=(0.2, 0.6), re_sigma=(0.1, 0.3))
    assert ranged.ranged() == ["gc_sigma", "re_sigma"]
    draws = [ranged.draw(rng) for _ in range(50)]
    sigmas = np.array([d.gc_sigma for d in draws])
    assert ((sigmas >= 0.2) & (sigmas <= 0.6)).all() and sigmas.std() > 0.05
    assert all(d.ranged() == [] and d.gc_smooth_bins == ranged.gc_smooth_bins for d in draws)


def test_bin_biases_refuses_undrawn_ranges():
    with pytest.raises(ValueError, match="draw"):
        bin_biases(100, BiasParams(gc_sigma=(0.2, 0.6)), np.random.default_rng(0))
