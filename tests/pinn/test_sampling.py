"""Collocation samplers and residual-based refinement."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.errors import ConfigError
from sciml.pinn.pde import Box
from sciml.pinn.sampling import residual_refinement, sample_domain, unit_samples


@pytest.mark.parametrize("method", ["lhs", "sobol", "uniform"])
def test_samples_fill_the_box_and_are_seeded(method):
    box = Box((-1.0, 0.0), (1.0, 1.0))
    a, b = sample_domain(box, 300, method, seed=3), sample_domain(box, 300, method, seed=3)
    assert a.shape == (300, 2) and np.array_equal(a, b)
    assert a[:, 0].min() >= -1 and a[:, 0].max() <= 1 and a[:, 1].min() >= 0 and a[:, 1].max() <= 1
    assert not np.array_equal(a, sample_domain(box, 300, method, seed=4))


def test_latin_hypercube_is_stratified():
    u = unit_samples(50, 2, "lhs", seed=0)
    for d in range(2):  # exactly one point in each of the 50 strata per coordinate
        assert sorted(np.floor(u[:, d] * 50).astype(int)) == list(range(50))


def test_rar_picks_points_of_largest_residual():
    box = Box((0.0, 0.0), (1.0, 1.0))
    new = residual_refinement(lambda p: np.exp(-50 * ((p - 0.8) ** 2).sum(1)), box, 4000, 40, seed=0)
    assert new.shape == (40, 2)
    assert np.all(np.linalg.norm(new - 0.8, axis=1) < 0.15)


def test_rar_density_spreads_points_over_the_high_residual_region():
    box = Box((0.0, 0.0), (1.0, 1.0))

    def bump(p):  # a ridge along x = 0.5
        return np.exp(-200 * (p[:, 0] - 0.5) ** 2)

    topk = residual_refinement(bump, box, 4000, 100, seed=0)
    dense = residual_refinement(bump, box, 4000, 100, seed=0, method="density", power=2.0)
    again = residual_refinement(bump, box, 4000, 100, seed=0, method="density", power=2.0)
    assert np.array_equal(dense, again) and len(np.unique(dense, axis=0)) == 100
    assert np.mean(np.abs(dense[:, 0] - 0.5) < 0.15) > 0.9  # most points near the ridge
    assert np.abs(dense[:, 0] - 0.5).mean() > np.abs(topk[:, 0] - 0.5).mean()  # but not only at its crest
    flat = residual_refinement(bump, box, 4000, 100, seed=0, method="density", power=2.0, floor=100.0)
    assert np.mean(np.abs(flat[:, 0] - 0.5) < 0.15) < 0.6  # a large floor approaches uniform sampling


def test_bad_sampler_settings_raise():
    with pytest.raises(ConfigError, match="sampler"):
        unit_samples(10, 2, "grid")
    with pytest.raises(ConfigError, match="rar"):
        residual_refinement(lambda p: p[:, 0], Box((0.0,), (1.0,)), 10, 20)
    with pytest.raises(ConfigError, match="rar_method"):
        residual_refinement(lambda p: p[:, 0], Box((0.0,), (1.0,)), 20, 10, method="random")
