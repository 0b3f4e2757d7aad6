"""The trainable PINN (network + PDE coefficients + optional hard-constraint output transform) and its model folder.

A trained PINN is saved with `save_pinn` as a `sciml.models` folder of kind `pinn.mlp`: the
settings rebuild the network and the problem's exact constraints, the extra state records the
training settings. `load_model` (or `sciml.load_model`) returns the `PINN` in its training dtype.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

import torch
from torch import nn

from sciml import models
from sciml.errors import ConfigError, InputError
from sciml.pinn.geometry import Box
from sciml.pinn.network import MLP
from sciml.pinn.pde import PDE, OutputTransform
from sciml.pinn.problems import PROBLEMS
from sciml.pinn.settings import NetworkSettings, PINNTrainConfig
from sciml.pinn.symmetry import Symmetrize, check_symmetry
from sciml.train.device import select_device

KIND = "pinn.mlp"
DTYPES = {"float32": torch.float32, "float64": torch.float64}


class PINN(nn.Module):
    """u(x) = transform(x, net(x)), plus the PDE's trainable coefficients (inverse problems).

    With `symmetry` (a `Symmetrize`), u is made exactly odd/even: u(x) = (v(x) +- v(R x)) / 2 with
    v = transform(x, net(x)). `coefficients` holds one scalar parameter per entry of `PDE.params`.
    With `gauge` ({field index: point}), that field is shifted to be exactly 0 at its point
    (a pressure gauge): u_k(x) - u_k(x0), evaluated in the same batch.

    Args:
        net: the MLP.
        params: initial values of the PDE's trainable coefficients.
        output_transform: hard-constraint transform `(x, raw) -> u`.
        symmetry: exact odd/even reflection of the output.
        gauge: field index -> point (d,) where that field is pinned to 0.

    Shapes:
        x: (N, d) points -> u: (N, k), one column per field of the PDE's `outputs`.
    """

    def __init__(self, net: MLP, params: dict[str, float] | None = None,
                 output_transform: OutputTransform | None = None, symmetry: Symmetrize | None = None,
                 gauge: dict[int, tuple[float, ...]] | None = None) -> None:
        super().__init__()
        self.net = net
        self.coefficients = nn.ParameterDict(
            {k: nn.Parameter(torch.tensor(float(v), dtype=torch.float64)) for k, v in (params or {}).items()}
        )
        self.output_transform = output_transform
        self.symmetry = symmetry
        self.gauge_fields = sorted(gauge or {})
        points = [list((gauge or {})[k]) for k in self.gauge_fields]
        self.register_buffer("gauge_points", torch.tensor(points, dtype=torch.float64) if points
                             else torch.zeros(0, net.lower.numel(), dtype=torch.float64), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._unsymmetric(x) if self.symmetry is None else self.symmetry(self._unsymmetric, x)

    def _unsymmetric(self, x: torch.Tensor) -> torch.Tensor:
        n = len(x)
        if self.gauge_fields:
            x = torch.cat([x, self.gauge_points.to(x.dtype)])
        raw = self.net(x)
        u = raw if self.output_transform is None else self.output_transform(x, raw)
        if not self.gauge_fields:
            return u
        cols = torch.tensor(self.gauge_fields, device=u.device)
        at_points = u[n + torch.arange(len(cols), device=u.device), cols]
        shift = torch.zeros_like(u[:1]).index_put((torch.zeros_like(cols), cols), at_points)
        return u[:n] - shift

    def pde_params(self) -> dict[str, torch.Tensor]:
        """Current PDE coefficients by name (scalars, differentiable)."""
        return dict(self.coefficients.items())

    @torch.no_grad()
    def predict(self, points: torch.Tensor, batch_size: int = 65536) -> torch.Tensor:
        """Evaluate u on `points` (N, d) in batches of bounded memory; returns (N, 1) on the points' device."""
        p = next(self.parameters())
        out = [self(points[i : i + batch_size].to(p.device, p.dtype)) for i in range(0, len(points), batch_size)]
        return torch.cat(out).to(points.device)


def build_pinn(pde: PDE, network: dict | NetworkSettings, dtype: torch.dtype = torch.float64,
               seed: int | None = 0) -> PINN:
    """A PINN for `pde` with an MLP configured by `network`.

    Args:
        pde: the problem (domain, periodic coordinates, coefficients, transform, symmetry).
        network: `NetworkSettings` or a dict of `MLP` keyword arguments.
        dtype: parameter dtype.
        seed: the initial weights are drawn from it without touching the global RNG (None: from the global RNG).

    Returns:
        The untrained PINN.
    """
    if isinstance(network, NetworkSettings):
        network = asdict(network)
    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(seed)
        net = MLP(pde.domain.lower, pde.domain.upper, periodic=pde.periodic or None, out_dim=len(pde.outputs),
                  **network)
    symmetry = Symmetrize(pde.symmetry, pde.domain.lower, pde.domain.upper) if pde.symmetry else None
    return PINN(net, pde.params, pde.output_transform, symmetry, _gauge_indices(pde.gauge, pde.outputs)).to(dtype)


def _gauge_indices(gauge: dict[str, tuple[float, ...]], outputs: tuple[str, ...] | list[str]) -> dict[int, tuple[float, ...]]:
    return {list(outputs).index(name): tuple(point) for name, point in gauge.items()}


def save_pinn(directory: str | os.PathLike[str], model: PINN, pde: PDE, *, pde_options: dict[str, Any],
              network: dict[str, Any] | NetworkSettings, train: dict[str, Any] | PINNTrainConfig,
              metrics: dict[str, Any] | None = None) -> None:
    """Write a trained PINN as a model folder (kind `pinn.mlp`) that `load_model` rebuilds, atomically.

    Args:
        directory: the model folder to write.
        model: the trained PINN.
        pde: the problem it was trained on (ready-made problems get their exact constraints back on load).
        pde_options: keyword arguments that rebuild a ready-made problem (`PROBLEMS[pde.name](**pde_options)`).
        network: the MLP settings.
        train: the training settings (their `dtype` is the model's dtype).
        metrics: evaluation written to `metrics.json`.
    """
    network = asdict(network) if isinstance(network, NetworkSettings) else dict(network)
    train = asdict(train) if isinstance(train, PINNTrainConfig) else dict(train)
    settings = {
        "pde": pde.name,
        "pde_options": pde_options,
        "domain": {"lower": list(pde.domain.lower), "upper": list(pde.domain.upper), "names": list(pde.domain.names)},
        "periodic": {str(k): v for k, v in pde.periodic.items()},
        "coefficients": sorted(pde.params),
        "outputs": list(pde.outputs),
        "gauge": {name: list(point) for name, point in pde.gauge.items()},
        "symmetry": {str(k): v for k, v in pde.symmetry.items()},
        "network": network,
        "dtype": train["dtype"],
    }
    models.save_model(directory, model, kind=KIND, settings=settings, extra={"train": train}, metrics=metrics)


@models.register_model(KIND)
def _build_saved(settings: dict[str, Any], extra: dict[str, Any]) -> PINN:
    """Rebuild the untrained PINN described by a `pinn.mlp` folder's settings."""
    try:
        domain, network, dtype = settings["domain"], dict(settings["network"]), DTYPES[settings["dtype"]]
        periodic = {int(k): float(v) for k, v in settings.get("periodic", {}).items()}
        coefficients = {name: 0.0 for name in settings.get("coefficients", [])}
        symmetry = {int(k): str(v) for k, v in settings.get("symmetry", {}).items()}
        transform = None
        if settings["pde"] in PROBLEMS:
            transform = PROBLEMS[settings["pde"]](**settings.get("pde_options", {})).output_transform
    except (KeyError, TypeError) as exc:
        raise InputError("config.json", f"lacks a PINN setting ({exc})") from None
    outputs = settings.get("outputs", ["u"])
    net = MLP(domain["lower"], domain["upper"], periodic=periodic or None, out_dim=len(outputs), **network)
    try:
        check_symmetry(symmetry, Box(tuple(domain["lower"]), tuple(domain["upper"])))
    except ConfigError as exc:
        raise InputError("config.json", f"bad symmetry ({exc})") from None
    reflection = Symmetrize(symmetry, tuple(domain["lower"]), tuple(domain["upper"])) if symmetry else None
    gauge = _gauge_indices(settings.get("gauge", {}), outputs)
    return PINN(net, coefficients, transform, reflection, gauge).to(dtype)


def load_model(path: str | os.PathLike[str], device: str = "cpu") -> PINN:
    """Load a PINN saved by `save_pinn` (alias of `sciml.load_model` that also accepts device "auto").

    Args:
        path: the model folder.
        device: "auto", "cpu" or "cuda".

    Returns:
        The PINN in its training dtype, in eval mode, on `device`.
    """
    return models.load_model(path, select_device(device))  # type: ignore[return-value]


def model_problem(path: str | os.PathLike[str]) -> str:
    """Name of the PDE a saved model was trained on."""
    return str(models.read_model_config(path).settings.get("pde", ""))
