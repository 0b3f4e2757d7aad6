"""Taylor-mode derivatives along one coordinate agree with nested autograd, and `derivative` reads them."""

from __future__ import annotations

import math

import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.geometry import Box
from sciml.pinn.models import build_pinn
from sciml.pinn.network import MLP
from sciml.pinn.pde import PDE, derivative
from sciml.pinn.taylor import compose, mlp_taylor, taylor_fields, transform_taylor


def _nested(f, x: torch.Tensor, dim: int, order: int) -> list[torch.Tensor]:
    """d^k f / dx_dim^k, k = 0..order, by nested reverse-mode autograd (the reference)."""
    out = [f(x)]
    for _ in range(order):
        (g,) = torch.autograd.grad(out[-1].sum(), x, create_graph=True)
        out.append(g[:, dim : dim + 1])
    return out


@pytest.mark.parametrize("options", [
    {"activation": "tanh"},
    {"activation": "sin"},
    {"activation": "tanh", "adaptive_slope": 5.0},
    {"activation": "tanh", "periodic": {0: 2 * math.pi}, "periodic_harmonics": 3},
    {"activation": "sin", "fourier_features": 5, "fourier_scale": 0.5},
    {"activation": "tanh", "periodic": {0: 2.0, 1: 3.0}, "fourier_features": 4},
])
@pytest.mark.parametrize("dim", [0, 1])
def test_mlp_streams_match_nested_autograd(options, dim):
    torch.manual_seed(0)
    net = MLP((0.0, -1.0), (2.0, 1.0), width=6, depth=2, **options).double()
    x = torch.rand(16, 2, dtype=torch.float64, requires_grad=True)
    streams = mlp_taylor(net, x, dim, 4)
    reference = _nested(net, x, dim, 4)
    assert [s.shape for s in streams] == [(16, 1)] * 5
    for k, (got, want) in enumerate(zip(streams, reference, strict=True)):
        assert torch.allclose(got, want, rtol=1e-9, atol=1e-9), f"order {k}"


def test_output_transform_streams_match_nested_autograd():
    torch.manual_seed(1)
    net = MLP((0.0, 0.0), (1.0, 1.0), width=5, depth=2).double()

    def transform(x, raw):
        return torch.cos(3 * x[:, 0:1]) * (1 + raw) + x[:, 1:2] * raw**2

    x = torch.rand(12, 2, dtype=torch.float64, requires_grad=True)
    streams = transform_taylor(transform, x, mlp_taylor(net, x, 0, 4), 0)
    reference = _nested(lambda p: transform(p, net(p)), x, 0, 4)
    for got, want in zip(streams, reference, strict=True):
        assert torch.allclose(got, want, rtol=1e-9, atol=1e-9)


def test_compose_is_faa_di_bruno():
    s = torch.linspace(-1, 1, 7, dtype=torch.float64)
    z = [s**3, 3 * s**2, 6 * s, torch.full_like(s, 6.0), torch.zeros_like(s)]  # z = s^3 and its derivatives
    e = torch.exp(z[0])
    h = compose([e] * 5, z)  # exp(s^3): h'' = e (9 s^4 + 6 s)
    assert torch.allclose(h[1], e * 3 * s**2) and torch.allclose(h[2], e * (9 * s**4 + 6 * s))


def test_derivative_reads_the_streams_and_mixed_partials_still_work():
    def residual(x, u, params):
        return derivative(u, x, 1) + derivative(u, x, 0, 0, 0, 0)

    pde = PDE(residual, Box((0.0, 0.0), (1.0, 1.0)), output_transform=lambda x, raw: torch.sin(x[:, 0:1]) + x[:, 1:2] * raw,
              taylor={0: 4})
    model = build_pinn(pde, {"width": 6, "depth": 2})
    x = torch.rand(10, 2, dtype=torch.float64, requires_grad=True)
    u = taylor_fields(model, x, pde.taylor)
    plain = _nested(model, x, 0, 4)
    assert torch.allclose(u, model(x)) and torch.allclose(derivative(u, x, 0, 0, 0, 0), plain[4], atol=1e-10)
    mixed = torch.autograd.grad(plain[1].sum(), x, create_graph=True)[0][:, 1:2]
    assert torch.allclose(derivative(u, x, 0, 1), mixed, atol=1e-10)  # u_x from the stream, then autograd in t
    assert torch.allclose(derivative(u, x, 1), torch.autograd.grad(plain[0].sum(), x)[0][:, 1:2])


def test_unsupported_networks_and_declarations_are_named():
    pde = PDE(lambda x, u, p: u, Box((0.0, 0.0), (1.0, 1.0)), taylor={0: 4})
    x = torch.rand(4, 2, dtype=torch.float64, requires_grad=True)
    with pytest.raises(ConfigError, match="tanh and sin"):
        taylor_fields(build_pinn(pde, {"width": 4, "depth": 1, "activation": "gelu"}), x, pde.taylor)
    with pytest.raises(ConfigError, match="coordinate in \\[0, 2\\)"):
        PDE(lambda x, u, p: u, Box((0.0, 0.0), (1.0, 1.0)), taylor={2: 4})
    with pytest.raises(ConfigError, match="one field"):
        PDE(lambda x, u, p: u, Box((0.0, 0.0), (1.0, 1.0)), taylor={0: 2}, outputs=("u", "v"))
