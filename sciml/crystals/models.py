"""Building, saving and loading potentials (model directories: model.safetensors + config.json)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from sciml.crystals.equivariant import EquivariantNetwork
from sciml.crystals.invariant import InvariantNetwork
from sciml.crystals.potential import Potential
from sciml.errors import ConfigError, InputError
from sciml.train import load_weights, read_model_config, save_model_dir

MODEL_KINDS = ("invariant", "equivariant")
_NETWORKS = {"invariant": InvariantNetwork, "equivariant": EquivariantNetwork}


def build_potential(kind: str, elements: list[str], reference_energies: list[float], energy_scale: float,
                    cutoff: float, avg_num_neighbors: float, hyper: dict[str, Any]) -> Potential:
    """A fresh `Potential` with an "invariant" or "equivariant" network.

    `hyper` holds the network's own keyword arguments (e.g. hidden, l_max, channels).
    """
    if kind not in _NETWORKS:
        raise ConfigError("crystals.model", f"unknown model {kind!r}; choose from {MODEL_KINDS}")
    try:
        network = _NETWORKS[kind](num_elements=len(elements), cutoff=cutoff, avg_num_neighbors=avg_num_neighbors,
                                  **hyper)
    except TypeError as exc:
        raise ConfigError(f"crystals.{kind}", f"bad network settings {hyper}: {exc}") from None
    return Potential(network, elements, reference_energies, energy_scale, cutoff)


def model_config(kind: str, potential: Potential, avg_num_neighbors: float,
                 hyper: dict[str, Any]) -> dict[str, Any]:
    """Everything `load_model` needs to rebuild `potential`."""
    return {
        "kind": kind,
        "elements": potential.elements,
        "reference_energies": [float(e) for e in potential.reference_energies],
        "energy_scale": float(potential.energy_scale),
        "cutoff": potential.cutoff,
        "avg_num_neighbors": float(avg_num_neighbors),
        "hyper": dict(hyper),
    }


def save_potential(directory: str | os.PathLike[str], potential: Potential, config: dict[str, Any],
                   metrics: dict[str, Any] | None = None) -> Path:
    """Write the model directory atomically (float32 weights)."""
    return save_model_dir(directory, potential.float(), config, metrics)


def load_model(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> Potential:
    """Load a potential saved by `save_potential` (or `sciml crystals train`), in eval mode."""
    config = read_model_config(path)
    missing = {"kind", "elements", "reference_energies", "energy_scale", "cutoff", "avg_num_neighbors",
               "hyper"} - set(config)
    if missing:
        raise InputError(Path(path) / "config.json", f"not a crystals model config (missing {sorted(missing)})")
    potential = build_potential(config["kind"], config["elements"], config["reference_energies"],
                                config["energy_scale"], config["cutoff"], config["avg_num_neighbors"],
                                config["hyper"])
    load_weights(potential, path, device)
    return potential.eval()
