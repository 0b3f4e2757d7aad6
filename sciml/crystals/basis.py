"""Radial basis functions with a smooth cutoff envelope (shared by both models).

The Bessel basis sin(n pi r / r_c) / r and the polynomial envelope of DimeNet
(Gasteiger et al., 2020) make every edge contribution go to zero at r_c together with its first
and second derivatives, so energies and forces stay continuous when atoms cross the cutoff.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def polynomial_envelope(r: torch.Tensor, cutoff: float, p: int = 6) -> torch.Tensor:
    """u(r/r_c): 1 at r = 0, zero with two vanishing derivatives at r >= r_c. (E,) -> (E,)."""
    x = r / cutoff
    u = (
        1.0
        - (p + 1) * (p + 2) / 2 * x**p
        + p * (p + 2) * x ** (p + 1)
        - p * (p + 1) / 2 * x ** (p + 2)
    )
    return torch.where(x < 1.0, u, torch.zeros_like(u))


class BesselBasis(nn.Module):
    """sqrt(2/r_c) sin(n pi r / r_c) / r, n = 1..num_basis, times the polynomial envelope.

    Shapes: r (E,) -> (E, num_basis).
    """

    def __init__(self, cutoff: float, num_basis: int = 8, envelope_exponent: int = 6) -> None:
        super().__init__()
        self.cutoff = float(cutoff)
        self.envelope_exponent = int(envelope_exponent)
        self.register_buffer("frequencies", math.pi / self.cutoff * torch.arange(1, num_basis + 1,
                                                                                  dtype=torch.float32))

    def forward(self, r: torch.Tensor) -> torch.Tensor:
        envelope = polynomial_envelope(r, self.cutoff, self.envelope_exponent)
        prefactor = math.sqrt(2.0 / self.cutoff)
        return prefactor * torch.sin(self.frequencies * r.unsqueeze(-1)) / r.unsqueeze(-1) * envelope.unsqueeze(-1)
