"""Observation sampling and coefficient errors of the inverse Burgers problem."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.errors import ConfigError
from sciml.pinn.inverse import coefficient_errors, sample_observations


def test_observations_are_distinct_grid_points_with_seeded_noise():
    x, t = np.linspace(-1, 1, 30), np.linspace(0, 1, 20)
    u = np.sin(np.pi * x)[:, None] * np.exp(-t)[None, :]
    points, values = sample_observations(x, t, u, 200, seed=1)
    assert points.shape == (200, 2) and len(np.unique(points, axis=0)) == 200
    i, j = np.searchsorted(x, points[:, 0]), np.searchsorted(t, points[:, 1])
    assert np.allclose(values, u[i, j])
    p2, noisy = sample_observations(x, t, u, 200, noise=0.01, seed=1)
    assert np.array_equal(points, p2)
    assert np.std(noisy - values) == pytest.approx(0.01 * np.std(u), rel=0.2)


def test_bad_requests_raise_and_errors_are_relative():
    with pytest.raises(ConfigError, match="n_observations"):
        sample_observations(np.zeros(2), np.zeros(2), np.zeros((2, 2)), 5)
    errs = coefficient_errors(1.01, 0.0033, 1.0, 0.003)
    assert errs["lambda1_rel_error"] == pytest.approx(0.01) and errs["lambda2_rel_error"] == pytest.approx(0.1)
