"""Ready-made problems: the exact solutions make each residual vanish; hard constraints hold exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from sciml.pinn.problems import PROBLEMS, allen_cahn, burgers, burgers_inverse, heat, poisson
from sciml.pinn.reference import heat_exact, poisson_exact


def _field(fn):
    return lambda x: fn(x[:, 0:1], x[:, 1:2])


@pytest.mark.parametrize(
    ("pde", "exact"),
    [
        (heat(), _field(lambda x, t: torch.exp(-(math.pi**2) * 0.4 * t) * torch.sin(math.pi * x))),
        (poisson(), _field(lambda x, y: torch.sin(math.pi * x) * torch.sin(2 * math.pi * y))),
    ],
)
def test_analytic_solutions_have_zero_residual(pde, exact):
    x = torch.rand(64, 2, dtype=torch.float64, requires_grad=True)
    r = pde.residual(x, exact(x), {})
    assert r.shape == (64, 1) and r.abs().max() < 1e-9


def test_burgers_residual_vanishes_on_a_travelling_wave():
    # u = -tanh((x - c t) / (2 nu)) * ... : the viscous shock u = c - a tanh(a (x - c t) / (2 nu)) solves Burgers
    nu, a, c = 0.05, 0.7, 0.3
    x = torch.rand(64, 2, dtype=torch.float64, requires_grad=True)
    u = c - a * torch.tanh(a * (x[:, 0:1] - c * x[:, 1:2]) / (2 * nu))
    assert burgers(nu=nu).residual(x, u, {}).abs().max() < 1e-9


@pytest.mark.parametrize("name", ["allen_cahn", "burgers", "heat", "poisson"])  # the CSG / three-field ones: test_systems
def test_hard_constraints_impose_initial_and_boundary_values(name):
    pde = PROBLEMS[name]()
    raw = torch.randn(20, 1, dtype=torch.float64)
    s = torch.rand(20, 1, dtype=torch.float64)
    lo, hi = pde.domain.lower, pde.domain.upper
    bottom = torch.cat([lo[0] + (hi[0] - lo[0]) * s, torch.full_like(s, lo[1])], 1)
    u0 = pde.output_transform(bottom, raw).numpy().ravel()
    xs = bottom[:, 0].numpy()
    expected = {"burgers": -np.sin(np.pi * xs), "heat": heat_exact(xs, 0.0), "poisson": poisson_exact(xs, 0.0),
                "allen_cahn": xs**2 * np.cos(np.pi * xs)}[name]
    assert np.allclose(u0, expected, atol=1e-12)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_soft_variant_has_condition_terms(name):
    pde = PROBLEMS[name](hard_constraints=False, n_condition=64)
    assert pde.output_transform is None and len(pde.conditions) >= 1
    assert all(c.points.shape[1] == 2 for c in pde.conditions)


def test_allen_cahn_is_periodic_in_x_and_inverse_has_coefficients():
    assert allen_cahn().periodic == {0: 2.0}
    pde = burgers_inverse(np.zeros((3, 2)), np.zeros(3))
    assert set(pde.params) == {"lambda1", "log_lambda2"} and pde.conditions[0].name == "data"
