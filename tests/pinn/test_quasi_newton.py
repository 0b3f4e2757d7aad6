"""Dense quasi-Newton optimisers: convergence on a quadratic and Rosenbrock, determinism, exact resume."""

from __future__ import annotations

import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.quasi_newton import DenseQuasiNewton
from sciml.pinn.settings import DENSE_METHODS
from sciml.train.checkpoint import load_state, save_state


def _rosenbrock(x: torch.Tensor) -> torch.Tensor:
    z = x.view(-1, 2)
    return (100 * (z[:, 1] - z[:, 0] ** 2) ** 2 + (1 - z[:, 0]) ** 2).sum()


def _minimise(loss_fn, x0: torch.Tensor, method: str, calls: int, max_iter: int = 20):
    x = torch.nn.Parameter(x0.clone())
    opt = DenseQuasiNewton([x], method=method, max_iter=max_iter)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = loss_fn(x)
        loss.backward()
        return loss

    for _ in range(calls):
        opt.step(closure)
    return x, opt, closure


@pytest.mark.parametrize("method", DENSE_METHODS)
def test_minimises_an_ill_conditioned_quadratic(method):
    generator = torch.Generator().manual_seed(0)
    q, _ = torch.linalg.qr(torch.randn(30, 30, dtype=torch.float64, generator=generator))
    a = q @ torch.diag(torch.logspace(0, 4, 30, dtype=torch.float64)) @ q.T  # condition number 1e4
    b = torch.randn(30, dtype=torch.float64, generator=generator)
    solution = torch.linalg.solve(a, b)
    x, opt, _ = _minimise(lambda x: 0.5 * x @ a @ x - b @ x, torch.zeros(30, dtype=torch.float64), method, 12)
    assert torch.allclose(x.detach(), solution, atol=1e-6, rtol=0)
    assert opt.state[x]["n_iter"] < 240  # gradient descent would need ~1e5 steps (condition number 1e4)


@pytest.mark.parametrize("method", DENSE_METHODS)
def test_minimises_rosenbrock(method):
    x, _, _ = _minimise(_rosenbrock, torch.tensor([-1.2, 1.0] * 3, dtype=torch.float64), method, 8)
    assert torch.allclose(x.detach(), torch.ones(6, dtype=torch.float64), atol=1e-8)


def test_is_deterministic():
    x0 = torch.tensor([-1.2, 1.0, 0.5, -0.3], dtype=torch.float64)
    a, _, _ = _minimise(_rosenbrock, x0, "ssbroyden", 1)
    b, _, _ = _minimise(_rosenbrock, x0, "ssbroyden", 1)
    assert torch.equal(a, b)


def test_resumes_exactly_from_a_saved_state(tmp_path):
    x0 = torch.tensor([-1.2, 1.0, 0.5, -0.3], dtype=torch.float64)
    full, _, _ = _minimise(_rosenbrock, x0, "ssbroyden", 2, max_iter=10)
    half, opt, _ = _minimise(_rosenbrock, x0, "ssbroyden", 1, max_iter=10)
    save_state(tmp_path / "state", {"x": half.detach(), "opt": opt.state_dict()})
    saved = load_state(tmp_path / "state")
    assert saved["opt"]["state"][0]["H"].shape == (4, 4)
    resumed, opt2, closure = _minimise(_rosenbrock, saved["x"], "ssbroyden", 0, max_iter=10)
    opt2.load_state_dict(saved["opt"])
    opt2.step(closure)
    assert torch.equal(full, resumed)


def test_rejects_unknown_methods_and_oversized_networks():
    with pytest.raises(ConfigError, match="optimizer2"):
        DenseQuasiNewton([torch.nn.Parameter(torch.zeros(2))], method="newton")
    with pytest.raises(ConfigError, match="dense"):
        DenseQuasiNewton([torch.nn.Parameter(torch.zeros(30000))], method="bfgs")
