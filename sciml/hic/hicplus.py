"""HiCPlus-style baseline CNN (Zhang et al., Nat Commun 9:750, 2018)."""

from __future__ import annotations

import torch
from torch import nn


class HiCPlus(nn.Module):
    """HiCPlus-style 3-layer CNN (Zhang et al. 2018): 9x9 -> 1x1 -> 5x5 convolutions, 'same' padding.

    Uses only the count channel. Shapes: x (B, C, P, P) -> (B, 1, P, P).
    """

    def __init__(self, filters: int = 8) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, filters, 9, padding=4), nn.ReLU(),
            nn.Conv2d(filters, filters, 1), nn.ReLU(),
            nn.Conv2d(filters, 1, 5, padding=2),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x[:, :1])
