"""The PINN network: an MLP with input normalisation, optional Fourier features and periodic embedding."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from sciml.errors import ConfigError

ACTIVATIONS = {"tanh": nn.Tanh, "sin": None, "gelu": nn.GELU, "silu": nn.SiLU}


class Sine(nn.Module):
    """sin(x) activation (not in torch.nn)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(x)


class AdaptiveSlope(nn.Module):
    """act(n * a * x) with a trainable slope `a` (initialised to 1/n), one per layer.

    Layer-wise locally adaptive activation of Jagtap, Kawaguchi & Karniadakis (2020): the scale
    factor `n` >= 1 makes the slope's effective learning rate n times larger, which is what speeds
    up the fit of steep fronts. Shapes: (N, width) -> (N, width).
    """

    def __init__(self, activation: nn.Module, n: float) -> None:
        super().__init__()
        self.activation, self.n = activation, float(n)
        self.slope = nn.Parameter(torch.tensor(1.0 / self.n))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.activation(self.n * self.slope * x)


class MLP(nn.Module):
    """Fully connected network u(x) for PINNs.

    Inputs are mapped to [-1, 1] with the domain box (`lower`, `upper`). Coordinates listed in
    `periodic` (index -> period P) are replaced by cos/sin(2 pi k x / P), k = 1..`periodic_harmonics`,
    which makes u exactly P-periodic in them. With `fourier_features` > 0 the (normalised) inputs
    are further mapped to [cos(2 pi B x), sin(2 pi B x)] with B ~ N(0, `fourier_scale`^2) drawn
    from `fourier_seed` (Tancik et al. 2020), which helps fields with fine structure.

    `depth` hidden layers of `width` units (Raissi et al.'s Burgers net: width 20, depth 8).
    With `adaptive_slope` = n > 0 every hidden activation becomes act(n a x) with a trainable
    slope a per layer (`AdaptiveSlope`; 0 = plain activations).

    Shapes: x (N, d) -> u (N, out_dim).
    """

    def __init__(
        self,
        lower: Sequence[float],
        upper: Sequence[float],
        width: int = 20,
        depth: int = 8,
        out_dim: int = 1,
        activation: str = "tanh",
        fourier_features: int = 0,
        fourier_scale: float = 1.0,
        fourier_seed: int = 0,
        periodic: dict[int, float] | None = None,
        periodic_harmonics: int = 1,
        adaptive_slope: float = 0.0,
    ) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ConfigError("network.activation", f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
        if width < 1 or depth < 1:
            raise ConfigError("network", f"width and depth must be >= 1, got {width} and {depth}")
        if adaptive_slope < 0:
            raise ConfigError("network.adaptive_slope", f"must be 0 (off) or > 0, got {adaptive_slope}")
        in_dim = len(lower)
        self.register_buffer("lower", torch.tensor(list(lower), dtype=torch.float64))
        self.register_buffer("upper", torch.tensor(list(upper), dtype=torch.float64))
        periodic = {int(k): float(v) for k, v in (periodic or {}).items()}
        self.periodic_dims = sorted(periodic)
        self.register_buffer("periods", torch.tensor([periodic[k] for k in self.periodic_dims], dtype=torch.float64))
        self.register_buffer("harmonics", torch.arange(1, periodic_harmonics + 1, dtype=torch.float64))
        self.plain_dims = [i for i in range(in_dim) if i not in periodic]
        feat_dim = len(self.plain_dims) + 2 * len(self.periodic_dims) * periodic_harmonics
        generator = torch.Generator().manual_seed(fourier_seed)
        self.register_buffer("fourier_b", fourier_scale * torch.randn(feat_dim, fourier_features, generator=generator,
                                                                      dtype=torch.float64))
        act = Sine if activation == "sin" else ACTIVATIONS[activation]
        layers: list[nn.Module] = []
        size = 2 * fourier_features if fourier_features else feat_dim
        for _ in range(depth):
            layers += [nn.Linear(size, width), AdaptiveSlope(act(), adaptive_slope) if adaptive_slope else act()]
            size = width
        layers.append(nn.Linear(size, out_dim))
        self.body = nn.Sequential(*layers)
        for layer in self.body:
            if isinstance(layer, nn.Linear):  # Glorot init, as in Raissi et al. 2019
                nn.init.xavier_normal_(layer.weight)
                nn.init.zeros_(layer.bias)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Network input features from raw coordinates, (N, d) -> (N, F)."""
        z = self.embedding(x)
        if self.fourier_b.shape[1]:
            proj = 2.0 * math.pi * z @ self.fourier_b.to(x.dtype)
            z = torch.cat([torch.cos(proj), torch.sin(proj)], dim=1)
        return z

    def embedding(self, x: torch.Tensor) -> torch.Tensor:
        """The inputs normalised to [-1, 1] and the periodic coordinates' cos/sin harmonics (before any random
        Fourier projection), (N, d) -> (N, E)."""
        lower, upper = self.lower.to(x.dtype), self.upper.to(x.dtype)
        parts = [2.0 * (x[:, self.plain_dims] - lower[self.plain_dims]) / (upper - lower)[self.plain_dims] - 1.0]
        if self.periodic_dims:
            angle = 2.0 * math.pi * x[:, self.periodic_dims, None] / self.periods.to(x.dtype)[None, :, None]
            angle = (angle * self.harmonics.to(x.dtype)).flatten(1)
            parts += [torch.cos(angle), torch.sin(angle)]
        return torch.cat(parts, dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(self.features(x))
