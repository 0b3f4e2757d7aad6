"""Incompressible Navier–Stokes: the residual of u . grad u + grad p = nu lap u, div u = 0 (steady or unsteady, 2-D).

Fields (network outputs) are ("u", "v", "p"); coordinates (x, y) for steady flow, (x, y, t) for
unsteady flow. The residual has three columns: x-momentum, y-momentum, continuity. The pressure
is fixed up to a constant by a gauge (`PDE(gauge={"p": point})`) or a one-point condition.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from sciml.pinn.geometry import Geometry
from sciml.pinn.pde import PDE, Condition, OutputTransform, Residual, derivative

FIELDS = ("u", "v", "p")


def navier_stokes_residual(nu: float, steady: bool = True) -> Residual:
    """Residual (N, 3) of the incompressible Navier–Stokes equations with unit density.

    Args:
        nu: kinematic viscosity (1 / Re for unit velocity and length).
        steady: drop the time derivative (coordinates (x, y)); else coordinates (x, y, t).

    Shapes:
        x: (N, 2) or (N, 3) ; u: (N, 3) fields (u, v, p) -> (N, 3).
    """

    def residual(x: torch.Tensor, fields: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        u, v, p = fields.split(1, dim=1)
        u_x, u_y = derivative(u, x, 0), derivative(u, x, 1)
        v_x, v_y = derivative(v, x, 0), derivative(v, x, 1)
        lap_u = derivative(u, x, 0, 0) + derivative(u, x, 1, 1)
        lap_v = derivative(v, x, 0, 0) + derivative(v, x, 1, 1)
        momentum_x = u * u_x + v * u_y + derivative(p, x, 0) - nu * lap_u
        momentum_y = u * v_x + v * v_y + derivative(p, x, 1) - nu * lap_v
        if not steady:
            momentum_x = momentum_x + derivative(u, x, 2)
            momentum_y = momentum_y + derivative(v, x, 2)
        return torch.cat([momentum_x, momentum_y, u_x + v_y], dim=1)

    return residual


def navier_stokes(domain: Geometry, nu: float, conditions: Sequence[Condition] = (), *, steady: bool = True,
                  output_transform: OutputTransform | None = None,
                  gauge: dict[str, tuple[float, ...]] | None = None, name: str = "navier_stokes") -> PDE:
    """An incompressible Navier–Stokes problem on `domain` with fields (u, v, p).

    Args:
        domain: (x, y) geometry, or (x, y, t) (`SpaceTime`) when `steady` is False.
        nu: kinematic viscosity.
        conditions: velocity / pressure conditions (`Condition(..., output="u")`).
        steady: steady flow (no time coordinate).
        output_transform: hard constraints `(x, raw (N, 3)) -> (N, 3)`.
        gauge: e.g. {"p": (0.0, 0.0)}: the pressure is exactly 0 there.
        name: problem name.
    """
    return PDE(navier_stokes_residual(nu, steady), domain, list(conditions), output_transform=output_transform,
               outputs=FIELDS, gauge=dict(gauge or {}), name=name)
