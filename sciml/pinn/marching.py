"""Time-marching: train a time-dependent problem window by window, each window starting from the previous one's end state.

For long or chaotic evolutions (Kuramoto–Sivashinsky, Allen–Cahn over long times) one PINN over
the whole interval tends to fit a wrong, smooth solution; marching splits [t0, t1] into windows
(Wang, Sankaran & Perdikaris 2023, "An expert's guide", time-marching). Window k has its own PINN
with the exact initial condition u(x, t) = u_{k-1}(x, t_k) + (t - t_k) / (t_{k+1} - t_k) N_k(x, t),
u_{-1}(x, t0) being the problem's initial condition; the earlier windows are frozen. Boundary and
data conditions are handed to the window that contains their points.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from sciml.errors import ConfigError
from sciml.pinn.geometry import Box
from sciml.pinn.models import PINN, build_pinn
from sciml.pinn.pde import PDE
from sciml.pinn.settings import NetworkSettings, PINNTrainConfig
from sciml.pinn.training import PINNTrainResult, train_pinn

Initial = Callable[[torch.Tensor], torch.Tensor]


class TimeMarching(nn.Module):
    """The piecewise-in-time solution: window k's PINN on [times[k], times[k + 1]] (the time coordinate last).

    Shapes:
        x: (N, d) points -> u: (N, k) fields.
    """

    def __init__(self, models: Sequence[PINN], times: Sequence[float]) -> None:
        super().__init__()
        self.windows = nn.ModuleList(models)
        self.register_buffer("times", torch.tensor(list(times), dtype=torch.float64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        index = torch.bucketize(x[:, -1].detach().to(torch.float64), self.times[1:-1].to(x.device))
        parts = [self.windows[k](x[index == k]) for k in range(len(self.windows))]
        out = torch.zeros(len(x), parts[0].shape[1], dtype=parts[0].dtype, device=x.device)
        for k, part in enumerate(parts):
            out = out.index_put((torch.nonzero(index == k)[:, 0],), part)
        return out

    @torch.no_grad()
    def predict(self, points: torch.Tensor) -> torch.Tensor:
        """u at points (N, d), (N, k), without building a graph."""
        return self(points)


def march_in_time(pde: PDE, windows: int | Sequence[float], initial: Initial, network: NetworkSettings | dict,
                  config: PINNTrainConfig) -> tuple[TimeMarching, list[PINNTrainResult]]:
    """Train `pde` window by window in time.

    Args:
        pde: the problem on a `Box` whose last coordinate is time; no `output_transform` (each window imposes
            its initial condition exactly); its conditions (boundary values, data) go to the windows holding
            their points.
        windows: the number of equal windows, or the window edges t0 < t1 < ... spanning the box's time range.
        initial: u(x, t0) as a function of the points (N, d) (their time column is t0) -> (N, k).
        network: each window's MLP.
        config: each window's training run (its seed is shifted by the window index).

    Returns:
        The solution over the whole interval and each window's training result.

    Raises:
        ConfigError: a non-box domain, an output transform, or window edges that do not span the time range.
    """
    if not isinstance(pde.domain, Box):
        raise ConfigError("domain", f"time-marching needs a Box with time last, got {pde.domain!r}")
    if pde.output_transform is not None:
        raise ConfigError("output_transform", "time-marching imposes each window's initial condition itself")
    t0, t1 = pde.domain.lower[-1], pde.domain.upper[-1]
    edges = np.linspace(t0, t1, int(windows) + 1) if isinstance(windows, int) else np.asarray(windows, dtype=float)
    if len(edges) < 2 or not np.all(np.diff(edges) > 0) or not np.isclose(edges[0], t0) or not np.isclose(edges[-1], t1):
        raise ConfigError("windows", f"window edges must increase from {t0} to {t1}, got {list(edges)}")
    models: list[PINN] = []
    results = []
    start: Initial = initial
    for k, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        box = Box((*pde.domain.lower[:-1], float(a)), (*pde.domain.upper[:-1], float(b)), pde.domain.names)
        conditions = []
        for cond in pde.conditions:
            inside = (cond.points[:, -1] >= a - 1e-12) & (cond.points[:, -1] <= b + 1e-12)
            if inside.any():
                conditions.append(dataclasses.replace(
                    cond, points=cond.points[inside], values=cond.values[inside],
                    normals=None if cond.normals is None else cond.normals[inside]))
        window = dataclasses.replace(pde, domain=box, conditions=conditions,
                                     output_transform=_window_start(start, float(a), float(b)), name=f"{pde.name}_w{k}")
        model = build_pinn(window, network, seed=config.seed + k)
        results.append(train_pinn(window, model, dataclasses.replace(config, seed=config.seed + k)))
        model.requires_grad_(False)
        models.append(model)
        start = model
    return TimeMarching(models, edges.tolist()), results


def _window_start(start: Initial, a: float, b: float) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """u = start(x at t = a) + (t - a) / (b - a) raw: the window begins exactly at `start`'s state."""

    def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
        at_start = torch.cat([x[:, :-1], torch.full_like(x[:, -1:], a)], dim=1)
        return start(at_start) + (x[:, -1:] - a) / (b - a) * raw

    return transform
