"""Saving and loading trained PINNs: identical predictions, hard constraints and coefficients restored."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from sciml.errors import InputError
from sciml.pinn.models import build_pinn, load_model, model_problem, save_pinn
from sciml.pinn.problems import allen_cahn, burgers_inverse
from sciml.pinn.settings import PINNTrainConfig
from sciml.pinn.training import config_dict

NET = {"width": 8, "depth": 3, "activation": "tanh", "fourier_features": 2, "fourier_scale": 1.0,
       "periodic_harmonics": 2}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_trip_keeps_predictions(tmp_path, dtype):
    pde = allen_cahn()
    model = build_pinn(pde, NET, getattr(torch, dtype))
    save_pinn(tmp_path / "m", model, pde, pde_options={"hard_constraints": True}, network=NET,
              train=config_dict(PINNTrainConfig(dtype=dtype)), metrics={"rel_l2": 0.5})
    loaded = load_model(tmp_path / "m")
    x = torch.rand(16, 2, dtype=getattr(torch, dtype)) * 2 - torch.tensor([1.0, 0.0], dtype=getattr(torch, dtype))
    assert torch.equal(model(x), loaded(x))
    assert model_problem(tmp_path / "m") == "allen_cahn"
    assert json.loads((tmp_path / "m" / "metrics.json").read_text()) == {"rel_l2": 0.5}


def test_inverse_coefficients_are_restored(tmp_path):
    pde = burgers_inverse(np.zeros((4, 2)), np.zeros(4), lambda1_init=0.7)
    model = build_pinn(pde, NET)
    save_pinn(tmp_path / "m", model, pde, pde_options={}, network=NET, train=config_dict(PINNTrainConfig()))
    loaded = load_model(tmp_path / "m")
    assert loaded.pde_params()["lambda1"].item() == pytest.approx(0.7)


def test_not_a_model_directory_is_named(tmp_path):
    with pytest.raises(InputError, match="config.json"):
        load_model(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"kind": "pinn.mlp", "format_version": 1,
                                                      "settings": {"pde": "heat"}}))
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(InputError, match="lacks"):
        load_model(tmp_path)


def test_weights_of_another_architecture_are_rejected(tmp_path):
    pde = allen_cahn()
    save_pinn(tmp_path / "m", build_pinn(pde, NET), pde, pde_options={}, network=NET,
              train=config_dict(PINNTrainConfig()))
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    config["settings"]["network"]["width"] = 9
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    with pytest.raises(InputError, match="do not fit"):
        load_model(tmp_path / "m")
