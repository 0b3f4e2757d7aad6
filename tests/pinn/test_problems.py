"""Ready-made problems: the exact solutions make each residual vanish; hard constraints hold exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.models import build_pinn
from sciml.pinn.problems import (
    PROBLEMS,
    allen_cahn,
    burgers,
    burgers_inverse,
    convection,
    heat,
    heat_2d_ms,
    heat_nd,
    kuramoto_sivashinsky,
    poisson,
    poisson_nd,
    reaction,
    wave,
)
from sciml.pinn.reference import (
    convection_exact,
    heat_2d_ms_exact,
    heat_exact,
    heat_nd_exact,
    ks_initial,
    poisson_exact,
    poisson_nd_exact,
    reaction_exact,
    wave_exact,
)


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
    assert all(c.points.shape[1] == pde.domain.dim for c in pde.conditions)


@pytest.mark.parametrize(
    ("pde", "exact"),
    [
        (convection(), lambda x, t: torch.sin(x - 40.0 * t)),
        (reaction(), lambda x, t: (lambda h: h * torch.exp(5.0 * t) / (h * torch.exp(5.0 * t) + 1.0 - h))(
            torch.exp(-0.5 * ((x - math.pi) / (math.pi / 4)) ** 2))),
        (wave(), lambda x, t: torch.sin(math.pi * x) * torch.cos(2 * math.pi * t)
         + 0.5 * torch.sin(5 * math.pi * x) * torch.cos(10 * math.pi * t)),
    ],
)
def test_rathore_solutions_have_zero_residual_and_match_the_references(pde, exact):
    lo, hi = torch.tensor(pde.domain.lower), torch.tensor(pde.domain.upper)
    x = (lo + torch.rand(64, 2, dtype=torch.float64) * (hi - lo)).requires_grad_(True)
    u = exact(x[:, 0:1], x[:, 1:2])
    assert pde.residual(x, u, {}).abs().max() < 1e-8
    reference = {"convection": convection_exact, "reaction": reaction_exact, "wave": wave_exact}[pde.name]
    p = x.detach().numpy()
    assert np.allclose(reference(p[:, 0], p[:, 1]), u.detach().numpy().ravel(), atol=1e-12)


@pytest.mark.parametrize("name", ["convection", "reaction", "wave"])
def test_rathore_hard_constraints_impose_the_initial_and_boundary_conditions(name):
    pde = PROBLEMS[name]()
    raw = torch.randn(30, 1, dtype=torch.float64)
    lo, hi = pde.domain.lower, pde.domain.upper
    xs = lo[0] + (hi[0] - lo[0]) * torch.rand(30, 1, dtype=torch.float64)
    start = torch.cat([xs, torch.zeros_like(xs)], 1).requires_grad_(True)
    u0 = pde.output_transform(start, raw)
    exact = {"convection": convection_exact, "reaction": reaction_exact, "wave": wave_exact}[name]
    assert np.allclose(u0.detach().numpy().ravel(), exact(xs.numpy().ravel(), 0.0), atol=1e-12)
    if name == "wave":  # u_t(x, 0) = 0 and zero walls, whatever the network says
        (u_t,) = torch.autograd.grad(u0.sum(), start)
        assert u_t[:, 1].abs().max() < 1e-12
        walls = torch.tensor([[0.0, 0.3], [1.0, 0.7]], dtype=torch.float64)
        assert pde.output_transform(walls, torch.randn(2, 1, dtype=torch.float64)).abs().max() < 1e-12
    assert convection().periodic == {0: 2 * math.pi} and not reaction().periodic


def test_five_dimensional_pinnacle_problems():
    pnd = poisson_nd()
    assert pnd.domain.dim == 5 and pnd.output_transform is None and pnd.conditions[0].points.shape == (2000, 5)
    x = torch.rand(50, 5, dtype=torch.float64, requires_grad=True)
    u = torch.sin(0.5 * math.pi * x).sum(1, keepdim=True)
    assert pnd.residual(x, u, {}).abs().max() < 1e-10
    on_faces = pnd.conditions[0].points
    assert np.all(np.any(np.isclose(on_faces, 0.0) | np.isclose(on_faces, 1.0), axis=1))
    assert np.allclose(pnd.conditions[0].values.ravel(), poisson_nd_exact(on_faces))
    with pytest.raises(ConfigError, match="hard_constraints"):
        poisson_nd(hard_constraints=True)

    hnd = heat_nd(n_condition=300)
    assert hnd.domain.dim == 6 and hnd.domain.names == ("x1", "x2", "x3", "x4", "x5", "t")
    xt = torch.cat([torch.rand(50, 5, dtype=torch.float64) * 0.4 - 0.2, torch.rand(50, 1, dtype=torch.float64)], 1)
    xt.requires_grad_(True)
    u = torch.exp(0.5 * (xt[:, :5] ** 2).sum(1, keepdim=True) + xt[:, 5:])
    assert hnd.residual(xt, u, {}).abs().max() < 1e-10
    assert np.allclose(u.detach().numpy().ravel(), heat_nd_exact(xt.detach().numpy()))
    rim = hnd.conditions[0]
    assert np.allclose(np.linalg.norm(rim.points[:, :5], axis=1), 1.0) and np.allclose(rim.normals[:, 5], 0.0)
    # the Neumann operator on the exact solution gives the condition's values: du/dn = u on |x| = 1
    pts = torch.as_tensor(rim.points[:20]).requires_grad_(True)
    exact_u = torch.exp(0.5 * (pts[:, :5] ** 2).sum(1, keepdim=True) + pts[:, 5:])
    flux = rim.operator(pts, exact_u, torch.as_tensor(rim.normals[:20]))
    assert np.allclose(flux.detach().numpy(), rim.values[:20], rtol=1e-10)
    start = torch.cat([torch.rand(10, 5, dtype=torch.float64) * 0.4, torch.zeros(10, 1, dtype=torch.float64)], 1)
    assert np.allclose(hnd.output_transform(start, torch.randn(10, 1, dtype=torch.float64)).numpy().ravel(),
                       heat_nd_exact(start.numpy()))


@pytest.mark.parametrize("make", [lambda: convection(beta=math.nan), lambda: reaction(rho=math.inf),
                                  lambda: wave(speed=math.nan), lambda: wave(speed=0.0), lambda: heat_nd(dim=1),
                                  lambda: poisson_nd(dim=1), lambda: kuramoto_sivashinsky(gamma=math.inf),
                                  lambda: kuramoto_sivashinsky(t_end=0.0)])
def test_bad_coefficients_are_named(make):
    with pytest.raises(ConfigError):
        make()


def test_allen_cahn_is_periodic_in_x_and_inverse_has_coefficients():
    assert allen_cahn().periodic == {0: 2.0}
    pde = burgers_inverse(np.zeros((3, 2)), np.zeros(3))
    assert set(pde.params) == {"lambda1", "log_lambda2"} and pde.conditions[0].name == "data"


def test_kuramoto_sivashinsky_residual_vanishes_on_the_linear_problems_exact_mode():
    """alpha = 0: u = exp((beta k^2 - gamma k^4) t) sin(k x) solves u_t + beta u_xx + gamma u_xxxx = 0."""
    beta, gamma, k = 100 / 16**2, 100 / 16**4, 3.0
    pde = kuramoto_sivashinsky(alpha=0.0)
    assert pde.taylor == {0: 4} and pde.periodic == {0: 2 * math.pi} and pde.domain.upper == (2 * math.pi, 0.1)
    x = (torch.rand(64, 2, dtype=torch.float64) * torch.tensor([2 * math.pi, 0.1])).requires_grad_(True)
    u = torch.exp((beta * k**2 - gamma * k**4) * x[:, 1:2]) * torch.sin(k * x[:, 0:1])
    assert pde.residual(x, u, {}).abs().max() < 1e-10
    assert kuramoto_sivashinsky().residual(x, u, {}).abs().max() > 1e-2  # the nonlinear term is there


def test_kuramoto_sivashinsky_terms_and_signs():
    """u = e^(-t) sin x: r = -u + alpha u cos x e^(-t) - beta u + gamma u."""
    alpha, beta, gamma = 100 / 16, 100 / 16**2, 100 / 16**4
    x = (torch.rand(32, 2, dtype=torch.float64) * torch.tensor([2 * math.pi, 0.1])).requires_grad_(True)
    u = torch.exp(-x[:, 1:2]) * torch.sin(x[:, 0:1])
    expected = -u + alpha * u * torch.exp(-x[:, 1:2]) * torch.cos(x[:, 0:1]) - beta * u + gamma * u
    assert torch.allclose(kuramoto_sivashinsky().residual(x, u, {}), expected, atol=1e-10)


def test_kuramoto_sivashinsky_initial_condition_is_exact_and_the_model_periodic():
    pde = kuramoto_sivashinsky()
    xs = torch.linspace(0, 2 * math.pi, 9, dtype=torch.float64)[:, None]
    start = torch.cat([xs, torch.zeros_like(xs)], 1)
    assert np.allclose(pde.output_transform(start, torch.randn(9, 1, dtype=torch.float64)).numpy().ravel(),
                       ks_initial(xs.numpy().ravel()), atol=1e-14)
    model = build_pinn(pde, {"width": 6, "depth": 2, "periodic_harmonics": 2})
    t = torch.rand(5, 1, dtype=torch.float64) * 0.1
    ends = [torch.cat([torch.full_like(t, v), t], 1) for v in (0.0, 2 * math.pi)]
    assert torch.allclose(model.predict(ends[0]), model.predict(ends[1]), atol=1e-12)


def test_heat_2d_ms_is_pinnacles_problem_with_exact_conditions():
    """u_t = u_xx / (500 pi)^2 + u_yy / pi^2, u0 = sin(20 pi x) sin(pi y): the exact mode decays at 1.0016."""
    pde = heat_2d_ms()
    assert pde.domain.lower == (0.0, 0.0, 0.0) and pde.domain.upper == (1.0, 1.0, 5.0) and pde.periodic == {0: 2.0}
    x = (torch.rand(64, 3, dtype=torch.float64) * torch.tensor([1.0, 1.0, 5.0])).requires_grad_(True)
    exact = torch.sin(20 * math.pi * x[:, 0:1]) * torch.sin(math.pi * x[:, 1:2]) * torch.exp(-1.0016 * x[:, 2:3])
    assert pde.residual(x, exact, {}).abs().max() < 1e-9
    assert np.allclose(exact.detach().numpy().ravel(), heat_2d_ms_exact(x.detach().numpy()), atol=1e-14)
    slower = torch.sin(20 * math.pi * x[:, 0:1]) * torch.sin(math.pi * x[:, 1:2]) * torch.exp(-x[:, 2:3])
    assert pde.residual(x, slower, {}).abs().max() > 1e-4  # the x-diffusion term is there
    raw = torch.randn(6, 1, dtype=torch.float64)
    start = torch.cat([torch.rand(6, 2, dtype=torch.float64), torch.zeros(6, 1, dtype=torch.float64)], 1)
    assert np.allclose(pde.output_transform(start, raw).numpy().ravel(), heat_2d_ms_exact(start.numpy()), atol=1e-14)
    edges = torch.tensor([[0.0, 0.3, 2.0], [1.0, 0.7, 4.0], [0.4, 0.0, 1.0], [0.6, 1.0, 3.0]], dtype=torch.float64)
    assert pde.output_transform(edges, torch.randn(4, 1, dtype=torch.float64)).abs().max() < 1e-13


def test_heat_2d_ms_soft_conditions_sit_on_their_faces():
    pde = heat_2d_ms(hard_constraints=False, n_condition=40)
    assert pde.output_transform is None and [c.name for c in pde.conditions] == ["initial", "left", "right", "bottom", "top"]
    initial = pde.conditions[0]
    assert np.all(initial.points[:, 2] == 0.0) and np.allclose(initial.values.ravel(), heat_2d_ms_exact(initial.points))
    for cond, (dim, value) in zip(pde.conditions[1:], [(0, 0.0), (0, 1.0), (1, 0.0), (1, 1.0)], strict=True):
        assert np.all(cond.points[:, dim] == value) and np.all(cond.values == 0.0) and len(cond.points) == 40


def test_the_heat_2d_ms_embedding_imposes_no_periodicity_on_the_interval():
    """Period 2 on x in [0, 1]: the network's values at x = 0 and x = 1 are free (unlike a period-1 embedding)."""
    model = build_pinn(heat_2d_ms(hard_constraints=False), {"width": 8, "depth": 2, "periodic_harmonics": 4})
    ends = torch.tensor([[0.0, 0.5, 1.0], [1.0, 0.5, 1.0]], dtype=torch.float64)
    values = model.predict(ends).ravel()
    assert abs(float(values[0] - values[1])) > 1e-6
