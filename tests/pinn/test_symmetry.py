"""Exact reflection symmetry: odd output that keeps the hard IC/BC, half-box sampling, parsing, persistence."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch

from sciml.errors import ConfigError, InputError
from sciml.pinn.models import build_pinn, load_model, save_pinn
from sciml.pinn.pde import Box
from sciml.pinn.problems import burgers
from sciml.pinn.symmetry import half_box, parse_symmetry
from sciml.pinn.training import PINNTrainConfig, config_dict, train_pinn

NET = {"width": 8, "depth": 3}


def _odd_burgers():
    pde = burgers()
    return dataclasses.replace(pde, symmetry=parse_symmetry("odd_x", pde.domain))


def _points(n: int = 64) -> torch.Tensor:
    g = torch.Generator().manual_seed(1)
    return torch.rand(n, 2, generator=g, dtype=torch.float64) * torch.tensor([2.0, 1.0]) - torch.tensor([1.0, 0.0])


def test_output_is_exactly_odd_in_x_and_keeps_the_hard_initial_and_boundary_conditions():
    model = build_pinn(_odd_burgers(), NET, seed=3)
    x = _points()
    mirrored = x * torch.tensor([-1.0, 1.0], dtype=torch.float64)
    assert torch.equal(model(x), -model(mirrored))
    assert not torch.allclose(model(x), torch.zeros(len(x), 1, dtype=torch.float64))  # odd, not trivially zero
    initial = x * torch.tensor([1.0, 0.0], dtype=torch.float64)
    assert torch.allclose(model(initial), -torch.sin(math.pi * initial[:, :1]), atol=1e-15, rtol=0)
    walls = torch.stack([torch.tensor([-1.0, 1.0], dtype=torch.float64).repeat(16), x[:32, 1]], dim=1)
    assert torch.allclose(model(walls), torch.zeros(32, 1, dtype=torch.float64), atol=1e-15, rtol=0)
    # derivatives of an odd field: u_x is even (autograd through the reflection)
    xg, mg = x.clone().requires_grad_(True), mirrored.clone().requires_grad_(True)
    (gx,) = torch.autograd.grad(model(xg).sum(), xg)
    (gm,) = torch.autograd.grad(model(mg).sum(), mg)
    assert torch.allclose(gx[:, 0], gm[:, 0], atol=1e-12, rtol=0)


def test_even_symmetry_and_half_box():
    box = Box((-1.0, 0.0), (3.0, 1.0), ("x", "t"))
    assert parse_symmetry("even_x", box) == {0: "even"} and parse_symmetry("none", box) == {}
    assert half_box(box, {0: "even"}) == Box((1.0, 0.0), (3.0, 1.0), ("x", "t"))
    assert half_box(box, {}) == box


@pytest.mark.parametrize("spec", ["odd_y", "weird_x", "odd"])
def test_bad_symmetry_spec_raises(spec):
    with pytest.raises(ConfigError, match="symmetry"):
        parse_symmetry(spec, Box((-1.0, 0.0), (1.0, 1.0), ("x", "t")))


def test_bad_symmetry_in_pde_raises():
    with pytest.raises(ConfigError, match="symmetry"):
        dataclasses.replace(burgers(), symmetry={2: "odd"})


def test_training_samples_the_half_box_and_the_model_round_trips(tmp_path):
    pde = _odd_burgers()
    model = build_pinn(pde, NET, seed=0)
    config = PINNTrainConfig(n_collocation=100, adam_steps=5, lbfgs_steps=0, device="cpu")
    train_pinn(pde, model, config, out_dir=tmp_path / "run")
    from sciml.train.checkpoint import load_state

    collocation = load_state(tmp_path / "run" / "checkpoint")["loss"]["collocation"]
    assert collocation[:, 0].min() >= 0.0 and collocation[:, 0].max() <= 1.0
    save_pinn(tmp_path / "m", model, pde, pde_options={"hard_constraints": True}, network=NET,
              train=config_dict(config))
    x = _points()
    assert torch.equal(load_model(tmp_path / "m")(x), model(x))


def test_bad_symmetry_in_a_saved_model_is_named(tmp_path):
    import json

    pde = _odd_burgers()
    save_pinn(tmp_path / "m", build_pinn(pde, NET), pde, pde_options={"hard_constraints": True}, network=NET,
              train=config_dict(PINNTrainConfig()))
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    config["settings"]["symmetry"] = {"0": "sideways"}
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    with pytest.raises(InputError, match="symmetry"):
        load_model(tmp_path / "m")
