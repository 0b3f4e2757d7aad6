"""Observation sampling, coefficient errors and a short identification run of the inverse Burgers problem."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sciml.errors import ConfigError
from sciml.pinn.inverse import coefficient_errors, sample_observations
from sciml.pinn.models import build_pinn
from sciml.pinn.problems import burgers_inverse
from sciml.pinn.reference import burgers_cole_hopf
from sciml.pinn.training import PINNTrainConfig, train_pinn


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


def test_short_run_identifies_the_burgers_coefficients():
    """A smooth Burgers field (nu = 0.1/pi, exact by Cole–Hopf), 600 observations: lambda1 within 3 %."""
    nu = 0.1 / np.pi
    x, t = np.linspace(-1, 1, 64), np.linspace(0, 1, 32)
    u = burgers_cole_hopf(x[:, None], t[None, :], nu)
    points, values = sample_observations(x, t, u, 600, seed=0)
    pde = burgers_inverse(points, values)
    model = build_pinn(pde, {"width": 16, "depth": 4})
    train_pinn(pde, model, PINNTrainConfig(n_collocation=200, adam_steps=300, lbfgs_steps=700, device="cpu",
                                           optimizer2="lbfgs", rar_rounds=0))
    coef = {k: float(v.detach()) for k, v in model.pde_params().items()}
    errors = coefficient_errors(coef["lambda1"], math.exp(coef["log_lambda2"]), 1.0, nu)
    assert errors["lambda1_rel_error"] < 0.03 and errors["lambda2_rel_error"] < 0.1


def test_residual_is_also_evaluated_at_the_observations():
    points = np.array([[0.0, 0.5], [0.5, 0.25]])
    assert np.array_equal(burgers_inverse(points, np.zeros(2)).anchors, points)
    assert burgers_inverse(points, np.zeros(2), residual_at_observations=False).anchors is None
