"""Saving and loading trained PINNs as model directories (model.safetensors + config.json + metrics.json)."""

from __future__ import annotations

import os
from typing import Any

from sciml.errors import ConfigError, InputError
from sciml.pinn.model import PINN
from sciml.pinn.network import MLP
from sciml.pinn.pde import PDE, Box
from sciml.pinn.problems import PROBLEMS
from sciml.pinn.symmetry import Symmetrize, check_symmetry
from sciml.pinn.training import DTYPES
from sciml.train.checkpoint import load_weights, read_model_config, save_model_dir
from sciml.train.device import select_device


def save_pinn(directory: str | os.PathLike[str], model: PINN, pde: PDE, *, pde_options: dict[str, Any],
              network: dict[str, Any], train: dict[str, Any], metrics: dict[str, Any] | None = None) -> None:
    """Write a trained PINN and everything `load_model` needs to rebuild it, atomically."""
    config = {
        "pde": pde.name,
        "pde_options": pde_options,
        "domain": {"lower": list(pde.domain.lower), "upper": list(pde.domain.upper), "names": list(pde.domain.names)},
        "periodic": {str(k): v for k, v in pde.periodic.items()},
        "coefficients": sorted(pde.params),
        "symmetry": {str(k): v for k, v in pde.symmetry.items()},
        "network": network,
        "train": train,
    }
    save_model_dir(directory, model, config, metrics)


def load_model(path: str | os.PathLike[str], device: str = "cpu") -> PINN:
    """Load a PINN saved by `save_pinn` (hard-constraint transforms of ready-made problems included).

    The model comes back in its training dtype, in eval mode, on `device` ("auto", "cpu", "cuda").
    """
    config = read_model_config(path)
    try:
        domain, network, dtype = config["domain"], dict(config["network"]), DTYPES[config["train"]["dtype"]]
        periodic = {int(k): float(v) for k, v in config.get("periodic", {}).items()}
        coefficients = {name: 0.0 for name in config.get("coefficients", [])}
        symmetry = {int(k): str(v) for k, v in config.get("symmetry", {}).items()}
        transform = None
        if config["pde"] in PROBLEMS:
            transform = PROBLEMS[config["pde"]](**config.get("pde_options", {})).output_transform
    except (KeyError, TypeError) as exc:
        raise InputError(path, f"config.json lacks a PINN setting ({exc})") from None
    net = MLP(domain["lower"], domain["upper"], periodic=periodic or None, **network)
    try:
        check_symmetry(symmetry, Box(tuple(domain["lower"]), tuple(domain["upper"])))
    except ConfigError as exc:
        raise InputError(path, f"config.json has a bad symmetry ({exc})") from None
    reflection = Symmetrize(symmetry, tuple(domain["lower"]), tuple(domain["upper"])) if symmetry else None
    model = PINN(net, coefficients, transform, reflection).to(dtype)
    try:
        load_weights(model, path, select_device(device))
    except RuntimeError as exc:  # shape mismatches come from torch's load_state_dict as RuntimeError
        raise InputError(path, f"weights do not fit the network in config.json ({str(exc).splitlines()[-1].strip()})") from None
    return model.eval()


def model_problem(path: str | os.PathLike[str]) -> str:
    """Name of the PDE a saved model was trained on."""
    return str(read_model_config(path).get("pde", ""))



