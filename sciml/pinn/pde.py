"""A PDE problem: residual over autograd derivatives, a box domain, and IC/BC/data conditions.

The residual is a plain function `residual(x, u, params) -> r` with `x: (N, d)` the collocation
points (requiring grad), `u: (N, 1)` the network output at `x` and `params` a dict of trainable
scalars (empty for forward problems; e.g. `{"lambda1": ...}` for inverse problems). Derivatives
come from `derivative(u, x, i, j, ...)`. Conditions are point sets with target values; a
condition on a face of the box (initial or boundary) is made with `Box.face_points`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from sciml.errors import ConfigError

Residual = Callable[[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]], torch.Tensor]
OutputTransform = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def derivative(u: torch.Tensor, x: torch.Tensor, *dims: int) -> torch.Tensor:
    """Partial derivative of `u` w.r.t. the input coordinates `dims`, in order, by autograd.

    Parameters
    ----------
    u : (N, 1) field computed from `x`.
    x : (N, d) inputs with `requires_grad=True`.
    dims : coordinate indices, e.g. `derivative(u, x, 0, 0)` = d^2u/dx0^2.

    Returns
    -------
    (N, 1) derivative, itself differentiable (graph kept for training).
    """
    out = u
    for dim in dims:
        out = _gradient(out, x)[:, dim : dim + 1]
    return out


def _gradient(u: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Full gradient du/dx (N, d), cached on `u` so that u_t, u_x and u_xx share one backward pass."""
    cached = getattr(u, "_pinn_gradient", None)
    if cached is not None and cached[0] is x:
        return cached[1]
    (grad,) = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)
    u._pinn_gradient = (x, grad)  # plain attribute: lives exactly as long as `u`
    return grad


@dataclass(frozen=True)
class Box:
    """Axis-aligned box domain `[lower_i, upper_i]` per coordinate, e.g. (x, t) or (x, y)."""

    lower: tuple[float, ...]
    upper: tuple[float, ...]
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.lower) != len(self.upper) or not self.lower:
            raise ConfigError("domain", f"lower {self.lower} and upper {self.upper} must have the same length >= 1")
        if any(hi <= lo for lo, hi in zip(self.lower, self.upper, strict=True)):
            raise ConfigError("domain", f"every upper bound must exceed its lower bound: {self.lower} .. {self.upper}")
        if self.names and len(self.names) != len(self.lower):
            raise ConfigError("domain.names", f"{len(self.names)} names for {len(self.lower)} coordinates")

    @property
    def dim(self) -> int:
        return len(self.lower)

    def scale(self, unit: np.ndarray) -> np.ndarray:
        """Map points of the unit cube `(N, d)` into the box."""
        lo, hi = np.asarray(self.lower), np.asarray(self.upper)
        return lo + unit * (hi - lo)

    def face_points(self, dim: int, side: str, unit: np.ndarray) -> np.ndarray:
        """Points on the face `x_dim = lower` (side="lower") or `= upper`, from `(N, d - 1)` unit samples."""
        if side not in ("lower", "upper"):
            raise ConfigError("side", f"must be 'lower' or 'upper', got {side!r}")
        full = np.insert(np.asarray(unit, dtype=np.float64), dim, 0.0, axis=1)
        points = self.scale(full)
        points[:, dim] = self.lower[dim] if side == "lower" else self.upper[dim]
        return points


@dataclass
class Condition:
    """A penalised constraint `u(points) = values` (initial/boundary condition or observed data).

    points : (M, d) ; values : (M, 1) ; weight : initial loss weight of this term.
    """

    name: str
    points: np.ndarray
    values: np.ndarray
    weight: float = 1.0

    def __post_init__(self) -> None:
        self.points = np.asarray(self.points, dtype=np.float64)
        self.values = np.asarray(self.values, dtype=np.float64).reshape(-1, 1)
        if self.points.ndim != 2 or len(self.points) != len(self.values) or not len(self.points):
            raise ConfigError(f"conditions.{self.name}", f"points {self.points.shape} and values {self.values.shape} do not match")
        if not (np.all(np.isfinite(self.points)) and np.all(np.isfinite(self.values))):
            raise ConfigError(f"conditions.{self.name}", "points and values must be finite")

    @classmethod
    def from_function(cls, name: str, points: np.ndarray, fn: Callable[[np.ndarray], np.ndarray],
                      weight: float = 1.0) -> Condition:
        """Condition whose target values are `fn(points)` (fn maps (M, d) -> (M,) or (M, 1))."""
        return cls(name, points, fn(np.asarray(points, dtype=np.float64)), weight)


@dataclass
class PDE:
    """Everything that defines a PINN problem.

    residual : `residual(x, u, params) -> (N, 1)`; zero where the PDE holds.
    domain : the box where collocation points are drawn.
    conditions : IC/BC/data terms (may be empty when `output_transform` enforces them exactly).
    params : initial values of trainable PDE coefficients (inverse problems), by name.
    output_transform : optional `(x, raw) -> u` applied to the network output, e.g. to impose
        an initial/boundary condition exactly (a "hard constraint").
    periodic : coordinate index -> period, for networks that embed those coordinates periodically.
    anchors : optional (K, d) points where the residual is always evaluated, in addition to the
        sampled collocation points (e.g. the observation points of an inverse problem, as in
        Raissi et al. 2019, so the PDE holds exactly where the data constrain u).
    symmetry : coordinate index -> "odd" | "even": the solution is odd/even under reflection of that
        coordinate about the box centre; the network output is made exactly so and collocation
        points are drawn in one half of the box (`sciml.pinn.symmetry`).
    name : short identifier (saved with the model).
    """

    residual: Residual
    domain: Box
    conditions: Sequence[Condition] = ()
    params: dict[str, float] = field(default_factory=dict)
    output_transform: OutputTransform | None = None
    periodic: dict[int, float] = field(default_factory=dict)
    anchors: np.ndarray | None = None
    symmetry: dict[int, str] = field(default_factory=dict)
    name: str = "pde"

    def __post_init__(self) -> None:
        from sciml.pinn.symmetry import check_symmetry  # symmetry.py imports Box from here

        check_symmetry(self.symmetry, self.domain)
        for cond in self.conditions:
            if cond.points.shape[1] != self.domain.dim:
                raise ConfigError(f"conditions.{cond.name}",
                                  f"points have {cond.points.shape[1]} coordinates, the domain {self.domain.dim}")
        if self.anchors is not None:
            self.anchors = np.asarray(self.anchors, dtype=np.float64)
            if self.anchors.ndim != 2 or self.anchors.shape[1] != self.domain.dim:
                raise ConfigError("anchors", f"must have shape (K, {self.domain.dim}), got {self.anchors.shape}")
        names = [c.name for c in self.conditions]
        if len(set(names)) != len(names) or "residual" in names:
            raise ConfigError("conditions", f"condition names must be unique and not 'residual': {names}")
