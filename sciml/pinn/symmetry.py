"""Exact reflection symmetry of the solution: u odd or even in a coordinate about the domain centre.

When the PDE is equivariant under x_k -> 2 c_k - x_k (c_k the centre of the box along k) and the
initial/boundary data are odd (or even) in x_k, so is the solution. Declaring it with
`PDE(..., symmetry={k: "odd"})` makes the PINN output exactly symmetric,
u(x) = (v(x) + s v(R x)) / 2 with v the (hard-constrained) network, R the reflection and s = -1
(odd) or +1 (even), and the collocation points are drawn in the half box x_k >= c_k only (the
squared residual is the same at x and R x, so the other half adds nothing).

Burgers with u0 = -sin(pi x) and u(+-1, t) = 0 is odd in x: the shock stays exactly at x = 0.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from sciml.errors import ConfigError
from sciml.pinn.geometry import Box, Geometry

PARITIES = {"odd": -1.0, "even": 1.0}


def parse_symmetry(spec: str, box: Box) -> dict[int, str]:
    """'odd_x' or 'odd_x,even_y' (parity_coordinate-name, names from `box.names`) -> {index: parity}.

    An empty string or "none" gives {}.
    """
    out: dict[int, str] = {}
    for item in (s.strip() for s in spec.split(",")):
        if item in ("", "none"):
            continue
        parity, _, name = item.partition("_")
        if parity not in PARITIES or name not in box.names:
            raise ConfigError("symmetry", f"{item!r} is not <odd|even>_<coordinate>, coordinates {list(box.names)}")
        out[box.names.index(name)] = parity
    return out


def check_symmetry(symmetry: dict[int, str], box: Geometry) -> None:
    """Raise ConfigError unless the domain is a `Box`, every key a coordinate index of it and every value a parity."""
    if symmetry and not isinstance(box, Box):
        raise ConfigError("symmetry", f"reflection symmetry needs a Box domain, got {box!r}")
    for dim, parity in symmetry.items():
        if not 0 <= dim < box.dim or parity not in PARITIES:
            raise ConfigError("symmetry", f"{dim}: {parity!r} needs a coordinate index < {box.dim} and one of {sorted(PARITIES)}")


def half_box(box: Geometry, symmetry: dict[int, str]) -> Geometry:
    """The part of `box` with x_k >= centre_k for every symmetric coordinate k (where points are sampled)."""
    if not symmetry:
        return box
    assert isinstance(box, Box)  # check_symmetry allows symmetry on boxes only
    lower = list(box.lower)
    for dim in symmetry:
        lower[dim] = 0.5 * (box.lower[dim] + box.upper[dim])
    return Box(tuple(lower), box.upper, box.names)


class Symmetrize(torch.nn.Module):
    """u(x) = (v(x) + s v(R x)) / 2 over every declared reflection, v evaluated in one batched call.

    Shapes: x (N, d) -> u (N, out). Differentiable in x (R x is affine in x).
    """

    def __init__(self, symmetry: dict[int, str], lower: tuple[float, ...], upper: tuple[float, ...]) -> None:
        super().__init__()
        self.symmetry = dict(symmetry)
        self.dims = sorted(self.symmetry)
        self.centres = {k: 0.5 * (lower[k] + upper[k]) for k in self.dims}

    def forward(self, v: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        for dim in self.dims:  # one reflection after another: odd/even in each coordinate separately
            v = self._symmetrized(v, dim)
        return v(x)

    def _symmetrized(self, v: Callable[[torch.Tensor], torch.Tensor], dim: int) -> Callable[[torch.Tensor], torch.Tensor]:
        sign = PARITIES[self.symmetry[dim]]
        centre = self.centres[dim]

        def u(x: torch.Tensor) -> torch.Tensor:
            cols = list(x.unbind(dim=1))
            cols[dim] = 2.0 * centre - cols[dim]
            both = v(torch.cat([x, torch.stack(cols, dim=1)]))
            n = len(x)
            return 0.5 * (both[:n] + sign * both[n:])

        return u
