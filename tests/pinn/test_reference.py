"""Exact/reference solutions: Cole–Hopf against Raissi's burgers_shock.mat, AC.mat reading, analytic fields."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.data import fetch
from sciml.errors import InputError
from sciml.pinn.reference import (
    burgers_cole_hopf,
    heat_exact,
    load_allen_cahn_reference,
    load_burgers_reference,
    poisson_exact,
    relative_l2,
)


@pytest.fixture(scope="module")
def reference_dir(data_mirror, tmp_path_factory):
    return fetch("pinn-reference", root=tmp_path_factory.mktemp("raw"), mirror=data_mirror)


def test_cole_hopf_matches_published_burgers_reference(reference_dir):
    x, t, u = load_burgers_reference(reference_dir)
    xx, tt = np.meshgrid(x, t, indexing="ij")
    assert relative_l2(burgers_cole_hopf(xx, tt, n_nodes=120), u) < 1e-10


def test_cole_hopf_initial_condition_and_pde_residual():
    x = np.linspace(-1, 1, 41)
    assert np.allclose(burgers_cole_hopf(x, np.zeros_like(x)), -np.sin(np.pi * x), atol=1e-14)
    # finite-difference residual of u_t + u u_x - nu u_xx at smooth interior points (away from the shock)
    nu, h, k = 0.01 / np.pi, 1e-3, 1e-4
    xs, ts = np.array([-0.6, -0.3, 0.4, 0.7]), np.array([0.2, 0.5, 0.3, 0.8])
    u = burgers_cole_hopf(xs, ts)
    u_t = (burgers_cole_hopf(xs, ts + k) - burgers_cole_hopf(xs, ts - k)) / (2 * k)
    u_x = (burgers_cole_hopf(xs + h, ts) - burgers_cole_hopf(xs - h, ts)) / (2 * h)
    u_xx = (burgers_cole_hopf(xs + h, ts) - 2 * u + burgers_cole_hopf(xs - h, ts)) / h**2
    assert np.max(np.abs(u_t + u * u_x - nu * u_xx)) < 1e-4


def test_allen_cahn_reference_starts_from_its_initial_condition(reference_dir):
    x, t, u = load_allen_cahn_reference(reference_dir)
    assert u.shape == (512, 201) and t[0] == 0.0 and t[-1] == 1.0
    assert np.allclose(u[:, 0], x**2 * np.cos(np.pi * x), atol=1e-12)


def test_analytic_heat_and_poisson_satisfy_their_pdes():
    x, t = torch.rand(50, dtype=torch.float64, requires_grad=True), torch.rand(50, dtype=torch.float64, requires_grad=True)
    u = torch.exp(-(torch.pi**2) * 0.4 * t) * torch.sin(torch.pi * x)
    assert np.allclose(u.detach().numpy(), heat_exact(x.detach().numpy(), t.detach().numpy()))
    u_t = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
    u_x = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x.sum(), x)[0]
    assert torch.allclose(u_t, 0.4 * u_xx)
    xy = np.random.default_rng(0).random((20, 2))
    h = 1e-4
    lap = sum((poisson_exact(*(xy + h * e).T) - 2 * poisson_exact(*xy.T) + poisson_exact(*(xy - h * e).T)) / h**2
              for e in np.eye(2))
    assert np.allclose(-lap, 5 * np.pi**2 * poisson_exact(*xy.T), rtol=1e-5)


def test_bad_reference_files_are_named(tmp_path):
    with pytest.raises(InputError, match="burgers_shock.mat"):
        load_burgers_reference(tmp_path)
    (tmp_path / "AC.mat").write_text("not a mat file")
    with pytest.raises(InputError, match="AC.mat"):
        load_allen_cahn_reference(tmp_path)
