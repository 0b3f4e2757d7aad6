"""Building, saving and loading potentials as `sciml.models` folders.

Kinds: `crystals.invariant` and `crystals.equivariant`. A folder's `config.json` holds the
network settings and the cutoff (`settings`) and the elements and mean neighbour count of the
training set (`extra`); the reference energies and the energy scale are buffers of the
`Potential`, saved with the weights. `sciml.load_model(folder)` returns the `Potential`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch

from sciml.crystals.equivariant import EquivariantNetwork
from sciml.crystals.invariant import InvariantNetwork
from sciml.crystals.potential import Potential
from sciml.crystals.settings import MODELS, EquivariantSettings, InvariantSettings
from sciml.errors import ConfigError
from sciml.models import register_model, save_model
from sciml.settings import from_dict

NetworkSettings = InvariantSettings | EquivariantSettings
_NETWORKS = {"invariant": (InvariantNetwork, InvariantSettings), "equivariant": (EquivariantNetwork, EquivariantSettings)}


def network_settings(model: str, network: NetworkSettings | Mapping[str, Any] | None = None) -> NetworkSettings:
    """The settings dataclass of `model`'s network from a (partial) mapping or an instance.

    Raises:
        ConfigError: an unknown model or an unknown or bad network setting.
    """
    if model not in _NETWORKS:
        raise ConfigError("crystals.model", f"unknown model {model!r}; choose from {MODELS}")
    cls = _NETWORKS[model][1]
    if isinstance(network, cls):
        return network
    return from_dict(cls, dict(network or {}), prefix=f"crystals.{model}")


def build_potential(model: str, elements: Sequence[str], reference_energies: Sequence[float], energy_scale: float,
                    cutoff: float, avg_num_neighbors: float,
                    network: NetworkSettings | Mapping[str, Any] | None = None) -> Potential:
    """A fresh `Potential` with an "invariant" or "equivariant" network.

    Args:
        model: "invariant" or "equivariant".
        elements: chemical symbols; index k is species k.
        reference_energies: per-element energies (eV), one per element.
        energy_scale: multiplies the network output (eV).
        cutoff: graph cutoff (A).
        avg_num_neighbors: normalises the networks' neighbour sums.
        network: the network's settings (a dataclass or a partial mapping; missing keys take the
            defaults of `InvariantSettings` / `EquivariantSettings`).

    Raises:
        ConfigError: an unknown model or network setting.
    """
    settings = network_settings(model, network)
    net = _NETWORKS[model][0](num_elements=len(elements), cutoff=cutoff, avg_num_neighbors=avg_num_neighbors,
                              **asdict(settings))
    return Potential(net, elements, reference_energies, energy_scale, cutoff)


def save_potential(directory: str | os.PathLike[str], potential: Potential, model: str,
                   network: NetworkSettings, avg_num_neighbors: float,
                   metrics: Mapping[str, Any] | None = None) -> Path:
    """Write a model folder atomically (float32 weights; kind `crystals.<model>`).

    Args:
        directory: the folder to create or replace.
        potential: the trained potential.
        model: "invariant" or "equivariant".
        network: the settings the network was built with.
        avg_num_neighbors: the neighbour normalisation it was built with.
        metrics: training metrics written to `metrics.json`.
    """
    return save_model(directory, potential.float(), kind=f"crystals.{model}",
                      settings={"cutoff": potential.cutoff, "network": network},
                      extra={"elements": list(potential.elements), "avg_num_neighbors": float(avg_num_neighbors)},
                      metrics=metrics)


def _builder(model: str):
    def build(settings: dict[str, Any], extra: dict[str, Any]) -> Potential:
        elements = extra["elements"]
        return build_potential(model, elements, [0.0] * len(elements), 1.0, settings["cutoff"],
                               extra["avg_num_neighbors"], settings["network"])

    return build


for _model in MODELS:
    register_model(f"crystals.{_model}")(_builder(_model))


def load_model(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> Potential:
    """Load a saved potential in eval mode (a thin alias of `sciml.models.load_model`)."""
    from sciml.models import load_model as load

    return load(path, device)  # type: ignore[return-value]
