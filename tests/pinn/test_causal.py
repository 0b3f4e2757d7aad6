"""Causal weighting in time: weights, slab losses, eps annealing, and training with it."""

from __future__ import annotations

import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.causal import CausalWeighting, causal_weights
from sciml.pinn.evaluate import grid_error, reference_grid
from sciml.pinn.models import build_pinn
from sciml.pinn.problems import heat
from sciml.pinn.training import PINNTrainConfig, train_pinn


def test_weights_start_at_one_and_do_not_increase():
    losses = torch.rand(20, generator=torch.Generator().manual_seed(0), dtype=torch.float64) * 3.0
    for eps in (0.01, 1.0, 100.0):
        w = causal_weights(losses, eps)
        assert w.shape == (20,) and w[0] == 1.0
        assert torch.all(w[1:] <= w[:-1]) and torch.all(w >= 0)
    assert torch.allclose(causal_weights(losses, 1.0)[3], torch.exp(-losses[:3].sum()))
    assert not causal_weights(losses.requires_grad_(True), 1.0).requires_grad


def test_slab_losses_and_weighted_loss():
    causal = CausalWeighting(0.0, 1.0, 4, (1.0, 10.0), 0.99, dim=1)
    t = torch.tensor([0.1, 0.2, 0.3, 0.6, 0.99, 1.0], dtype=torch.float64)
    points = torch.stack([torch.zeros_like(t), t], dim=1)
    r = torch.tensor([1.0, 3.0, 2.0, 4.0, 1.0, 3.0], dtype=torch.float64).reshape(-1, 1)
    losses, count = causal.slab_losses(points, r)
    assert count.tolist() == [2, 1, 1, 2]  # t = 1 belongs to the last slab
    assert losses.tolist() == [5.0, 4.0, 16.0, 5.0]
    loss, w = causal.loss(points, r)
    assert torch.allclose(w, torch.exp(-torch.tensor([0.0, 5.0, 9.0, 25.0], dtype=torch.float64)))
    assert torch.isclose(loss, (w * losses).mean())
    causal.freeze(torch.ones(4, dtype=torch.float64))
    assert torch.isclose(causal.loss(points, r)[0], losses.mean())


def test_eps_steps_up_only_when_every_weight_exceeds_tol():
    causal = CausalWeighting(0.0, 1.0, 3, (0.1, 1.0), 0.9, dim=0)
    assert not causal.advance(torch.tensor([1.0, 0.95, 0.5])) and causal.eps == 0.1
    assert causal.advance(torch.tensor([1.0, 0.95, 0.91])) and causal.eps == 1.0
    assert not causal.advance(torch.tensor([1.0, 1.0, 1.0])) and causal.level == 1  # last eps kept


@pytest.mark.parametrize("kwargs", [dict(n_slabs=1), dict(eps_schedule=()), dict(eps_schedule=(1.0, 0.1)),
                                    dict(tol=1.0)])
def test_bad_settings_raise_config_error(kwargs):
    settings = dict(lower=0.0, upper=1.0, n_slabs=8, eps_schedule=(1.0,), tol=0.99, dim=1) | kwargs
    with pytest.raises(ConfigError, match="causal"):
        CausalWeighting(**settings)
    with pytest.raises(ConfigError, match="causal_slabs"):
        PINNTrainConfig(causal_slabs=1)


def test_training_with_causal_weights_learns_and_anneals_eps():
    pde, grid = heat(), reference_grid("heat")
    model = build_pinn(pde, {"width": 12, "depth": 3})
    config = PINNTrainConfig(n_collocation=300, adam_steps=60, lbfgs_steps=60, lbfgs_chunk=20, log_every=20,
                             causal_slabs=8, causal_eps=(0.01, 0.1, 1.0), device="cpu", optimizer2="lbfgs",
                             rar_rounds=0)
    result = train_pinn(pde, model, config)
    assert grid_error(model, grid) < 2e-2
    eps = [row["causal_eps"] for row in result.history]
    assert eps == sorted(eps) and eps[-1] > eps[0]
    assert all(0.0 < row["causal_min_weight"] <= 1.0 for row in result.history)
