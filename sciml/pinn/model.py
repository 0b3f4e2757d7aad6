"""The trainable PINN: network + PDE coefficients + optional hard-constraint output transform."""

from __future__ import annotations

import torch
from torch import nn

from sciml.pinn.network import MLP
from sciml.pinn.pde import PDE, OutputTransform
from sciml.pinn.symmetry import Symmetrize


class PINN(nn.Module):
    """u(x) = transform(x, net(x)), plus the PDE's trainable coefficients (inverse problems).

    With `symmetry` (a `Symmetrize`), u is made exactly odd/even: u(x) = (v(x) +- v(R x)) / 2 with
    v = transform(x, net(x)). Shapes: x (N, d) -> u (N, 1). `coefficients` holds one scalar
    parameter per entry of `PDE.params`.
    """

    def __init__(self, net: MLP, params: dict[str, float] | None = None,
                 output_transform: OutputTransform | None = None, symmetry: Symmetrize | None = None) -> None:
        super().__init__()
        self.net = net
        self.coefficients = nn.ParameterDict(
            {k: nn.Parameter(torch.tensor(float(v), dtype=torch.float64)) for k, v in (params or {}).items()}
        )
        self.output_transform = output_transform
        self.symmetry = symmetry

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._unsymmetric(x) if self.symmetry is None else self.symmetry(self._unsymmetric, x)

    def _unsymmetric(self, x: torch.Tensor) -> torch.Tensor:
        raw = self.net(x)
        return raw if self.output_transform is None else self.output_transform(x, raw)

    def pde_params(self) -> dict[str, torch.Tensor]:
        """Current PDE coefficients by name (scalars, differentiable)."""
        return dict(self.coefficients.items())

    @torch.no_grad()
    def predict(self, points: torch.Tensor, batch_size: int = 65536) -> torch.Tensor:
        """Evaluate u on `points` (N, d) in batches of bounded memory; returns (N, 1) on the points' device."""
        p = next(self.parameters())
        out = [self(points[i : i + batch_size].to(p.device, p.dtype)) for i in range(0, len(points), batch_size)]
        return torch.cat(out).to(points.device)


def build_pinn(pde: PDE, network: dict, dtype: torch.dtype = torch.float64, seed: int | None = 0) -> PINN:
    """A PINN for `pde` with an MLP configured by `network` (keyword arguments of `MLP`).

    The initial weights are drawn from `seed` without touching the global RNG (None: from the global RNG).
    """
    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(seed)
        net = MLP(pde.domain.lower, pde.domain.upper, periodic=pde.periodic or None, **network)
    symmetry = Symmetrize(pde.symmetry, pde.domain.lower, pde.domain.upper) if pde.symmetry else None
    return PINN(net, pde.params, pde.output_transform, symmetry).to(dtype)
