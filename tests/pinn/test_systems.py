"""PDE systems: several fields and residuals, Neumann conditions, the pressure gauge, Navier–Stokes, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn import PDE, Box, Condition, PINNTrainConfig, build_pinn, derivative, train_pinn
from sciml.pinn.geometry import Disk
from sciml.pinn.navier_stokes import navier_stokes_residual
from sciml.pinn.problems import lid_driven_cavity, poisson_2d_cg

QUICK = dict(n_collocation=100, adam_steps=50, lbfgs_steps=150, optimizer2="ssbroyden", rar_rounds=0, device="cpu",
             log_every=50)


def test_two_field_system_trains_to_its_exact_solution():
    """u' = v, v' = -u on [0, 2], u(0) = 0, v(0) = 1: u = sin x, v = cos x (two fields, two residuals)."""
    def residual(x, fields, params):
        u, v = fields.split(1, dim=1)
        return torch.cat([derivative(u, x, 0) - v, derivative(v, x, 0) + u], dim=1)

    box = Box((0.0,), (2.0,), ("x",))
    start = np.zeros((1, 1))
    pde = PDE(residual, box, [Condition("u0", start, [0.0], output="u"), Condition("v0", start, [1.0], output="v")],
              outputs=("u", "v"), name="oscillator")
    model = build_pinn(pde, {"width": 8, "depth": 2})
    train_pinn(pde, model, PINNTrainConfig(**QUICK))
    x = torch.linspace(0, 2, 101, dtype=torch.float64)[:, None]
    exact = torch.cat([torch.sin(x), torch.cos(x)], 1)
    assert float((model.predict(x) - exact).norm() / exact.norm()) < 1e-3


def test_neumann_condition_on_a_disk():
    """-lap u = 4 in the unit disk with du/dn = -2 (u = 1 - r^2 + c), gauge u(0) = 1: u = 1 - r^2."""
    disk = Disk((0.0, 0.0), 1.0, ("x", "y"))
    points = disk.sample_boundary(32, seed=0)

    def residual(x, u, params):
        return derivative(u, x, 0, 0) + derivative(u, x, 1, 1) + 4.0

    pde = PDE(residual, disk, [Condition.neumann("flux", points, disk.normals(points), -2.0),
                               Condition("centre", np.zeros((1, 2)), [1.0])], name="neumann_disk")
    model = build_pinn(pde, {"width": 8, "depth": 2})
    train_pinn(pde, model, PINNTrainConfig(**QUICK))
    x = torch.as_tensor(disk.sample_interior(500, seed=1))
    exact = 1.0 - (x**2).sum(1, keepdim=True)
    assert float((model.predict(x) - exact).norm() / exact.norm()) < 1e-2


def test_navier_stokes_residual_vanishes_on_kovasznay_flow():
    re = 40.0
    lam = re / 2 - math.sqrt(re**2 / 4 + 4 * math.pi**2)
    x = torch.rand(200, 2, dtype=torch.float64).requires_grad_(True)
    xs, ys = x[:, 0:1], x[:, 1:2]
    u = 1 - torch.exp(lam * xs) * torch.cos(2 * math.pi * ys)
    v = lam / (2 * math.pi) * torch.exp(lam * xs) * torch.sin(2 * math.pi * ys)
    p = (1 - torch.exp(2 * lam * xs)) / 2
    r = navier_stokes_residual(1 / re, steady=True)(x, torch.cat([u, v, p], 1), {})
    assert r.shape == (200, 3) and float(r.abs().max()) < 1e-10


def test_lid_driven_cavity_hard_constraints_and_gauge():
    pde = lid_driven_cavity()
    model = build_pinn(pde, {"width": 8, "depth": 2})
    assert pde.outputs == ("u", "v", "p")
    walls = np.array([[0.0, 0.3], [1.0, 0.7], [0.4, 0.0], [0.25, 1.0]])
    out = model.predict(torch.as_tensor(walls)).numpy()
    assert np.allclose(out[:, 0], [0, 0, 0, 0.75]) and np.allclose(out[:, 1], 0.0)
    assert abs(float(model.predict(torch.zeros(1, 2, dtype=torch.float64))[0, 2])) < 1e-15  # p(0, 0) = 0 exactly


def test_poisson_2d_cg_boundary_values_are_exact():
    pde = poisson_2d_cg()
    model = build_pinn(pde, {"width": 8, "depth": 2})
    points = pde.domain.sample_boundary(400, seed=2)
    on_outer = np.max(np.abs(points), axis=1) > 1 - 1e-12
    u = model.predict(torch.as_tensor(points)).numpy().ravel()
    assert np.allclose(u[on_outer], 0.2) and np.allclose(u[~on_outer], 1.0)


def test_bad_problems_are_named_before_training():
    box = Box((0.0, 0.0), (1.0, 1.0))
    flat = PDE(lambda x, u, p: derivative(u, x, 0).ravel(), box, name="flat")
    with pytest.raises(ConfigError, match="residual.*flat"):
        train_pinn(flat, build_pinn(flat, {"width": 4, "depth": 1}), PINNTrainConfig(**QUICK))
    with pytest.raises(ConfigError, match="outside the domain"):
        PDE(lambda x, u, p: u, box - Disk((0.5, 0.5), 0.2), [Condition("bc", [[0.5, 0.5]], [0.0])])
    with pytest.raises(ConfigError, match="unknown field"):
        PDE(lambda x, u, p: u, box, [Condition("bc", [[0.0, 0.5]], [0.0], output="w")], outputs=("u", "v"))
    with pytest.raises(ConfigError, match="finite"):
        Condition("bc", [[0.0, 0.5]], [np.nan])
    with pytest.raises(ConfigError, match="gauge"):
        PDE(lambda x, u, p: u, box, gauge={"p": (0.0, 0.0)})


def test_time_marching_continues_each_window_from_the_last():
    """Heat u_t = 0.4 u_xx, u(x, 0) = sin(pi x), zero walls, in two windows: exact exp(-0.4 pi^2 t) sin(pi x)."""
    from sciml.pinn.marching import march_in_time

    def residual(x, u, params):
        return derivative(u, x, 1) - 0.4 * derivative(u, x, 0, 0)

    box = Box((0.0, 0.0), (1.0, 1.0), ("x", "t"))
    t = np.linspace(0, 1, 40)
    walls = np.vstack([np.column_stack([np.zeros(40), t]), np.column_stack([np.ones(40), t])])
    pde = PDE(residual, box, [Condition("walls", walls, np.zeros(80))], name="heat")
    solution, results = march_in_time(pde, 2, lambda x: torch.sin(math.pi * x[:, :1]), {"width": 10, "depth": 2},
                                      PINNTrainConfig(**QUICK))
    assert len(results) == 2 and all(r.steps > 0 for r in results)
    x = torch.rand(400, 2, dtype=torch.float64)
    exact = torch.exp(-0.4 * math.pi**2 * x[:, 1:]) * torch.sin(math.pi * x[:, :1])
    assert float((solution.predict(x) - exact).norm() / exact.norm()) < 3e-2
    edge = torch.tensor([[0.3, 0.5]], dtype=torch.float64)  # continuity at the window edge t = 0.5
    below, above = solution.windows[0](edge), solution.windows[1](edge)
    assert torch.allclose(below, above, atol=1e-12)
