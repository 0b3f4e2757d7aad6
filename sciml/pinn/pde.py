"""A PDE problem: residual(s) over autograd derivatives, a domain, and IC/BC/data conditions.

The residual is a plain function `residual(x, u, params) -> r` with `x: (N, d)` the collocation
points (requiring grad), `u: (N, k)` the network output at `x` (one column per field of
`PDE.outputs`, e.g. u, v, p) and `params` a dict of trainable scalars (empty for forward problems;
e.g. `{"lambda1": ...}` for inverse problems); `r: (N, m)` holds one column per equation (the loss
is the sum over equations of the mean squared residual). Derivatives come from
`derivative(u, x, i, j, ...)` of one field (`u[:, 1:2]`, or the columns of `u.split(1, dim=1)`).
The domain is a `Box` or any CSG `sciml.pinn.geometry.Geometry`. Conditions are point sets with
target values of one field (Dirichlet), of its normal derivative (`Condition.neumann`), of
a u + b du/dn (`Condition.robin`) or of any operator of the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from sciml.errors import ConfigError
from sciml.pinn.geometry import Box, Geometry
from sciml.pinn.symmetry import check_symmetry

Residual = Callable[[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]], torch.Tensor]
OutputTransform = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
ConditionOperator = Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor]

__all__ = ["PDE", "Box", "Condition", "ConditionOperator", "OutputTransform", "Residual", "derivative"]


def derivative(u: torch.Tensor, x: torch.Tensor, *dims: int) -> torch.Tensor:
    """Partial derivative of `u` w.r.t. the input coordinates `dims`, in order, by autograd.

    Parameters
    ----------
    u : (N, 1) field computed from `x`.
    x : (N, d) inputs with `requires_grad=True`.
    dims : coordinate indices, e.g. `derivative(u, x, 0, 0)` = d^2u/dx0^2.

    Returns
    -------
    (N, 1) derivative, itself differentiable (graph kept for training). When the problem declares
    `PDE.taylor`, leading repeats of that coordinate are read from the Taylor-mode streams the
    training attached to `u` (`sciml.pinn.taylor`) instead of nested autograd.
    """
    out, rest = u, dims
    jets = getattr(u, "_pinn_taylor", None)  # attached by `sciml.pinn.taylor.taylor_fields` (PDE.taylor)
    if jets and dims and dims[0] in jets and jets[dims[0]][0] is x:
        streams = jets[dims[0]][1]  # streams[k - 1] = k-th derivative in that coordinate
        n = 1
        while n < min(len(dims), len(streams)) and dims[n] == dims[0]:
            n += 1
        out, rest = streams[n - 1], dims[n:]
    for dim in rest:
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


@dataclass
class Condition:
    """A penalised constraint `B[u](points) = values`: initial/boundary condition or observed data.

    By default B[u] is the field `output` itself (Dirichlet / data); with `operator`, B[u] =
    `operator(x, u, normals)` -> (M, c) of the points `x` (requiring grad), all fields `u` (M, k) and
    the `normals` (M, d) (None when not given), e.g. a normal derivative (`Condition.neumann`).

    points : (M, d) ; values : (M, c) (c = 1 for a field) ; weight : initial loss weight of this term ;
    output : the field (name in `PDE.outputs` or column index) of a Dirichlet condition ;
    normals : (M, d) unit outward normals, for operators that need them.
    """

    name: str
    points: np.ndarray
    values: np.ndarray
    weight: float = 1.0
    output: int | str = 0
    operator: ConditionOperator | None = None
    normals: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.points = np.asarray(self.points, dtype=np.float64)
        self.values = np.asarray(self.values, dtype=np.float64)
        self.values = self.values.reshape(-1, 1) if self.values.ndim <= 1 else self.values
        if self.points.ndim != 2 or len(self.points) != len(self.values) or not len(self.points):
            raise ConfigError(f"conditions.{self.name}", f"points {self.points.shape} and values {self.values.shape} do not match")
        if not (np.all(np.isfinite(self.points)) and np.all(np.isfinite(self.values))):
            raise ConfigError(f"conditions.{self.name}", "points and values must be finite (NaN or inf found)")
        if self.operator is None and self.values.shape[1] != 1:
            raise ConfigError(f"conditions.{self.name}", f"a Dirichlet condition has one value per point, got {self.values.shape}")
        if self.normals is not None:
            self.normals = np.asarray(self.normals, dtype=np.float64)
            if self.normals.shape != self.points.shape:
                raise ConfigError(f"conditions.{self.name}", f"normals {self.normals.shape} do not match points {self.points.shape}")

    @classmethod
    def from_function(cls, name: str, points: np.ndarray, fn: Callable[[np.ndarray], np.ndarray],
                      weight: float = 1.0, output: int | str = 0) -> Condition:
        """Dirichlet condition whose target values are `fn(points)` (fn maps (M, d) -> (M,) or (M, 1))."""
        return cls(name, points, fn(np.asarray(points, dtype=np.float64)), weight, output)

    @classmethod
    def neumann(cls, name: str, points: np.ndarray, normals: np.ndarray, values: np.ndarray | float,
                output: int = 0, weight: float = 1.0) -> Condition:
        """du/dn = values at boundary points with unit outward `normals` (M, d) (`Geometry.normals`)."""
        return cls.robin(name, points, normals, values, 0.0, 1.0, output, weight)

    @classmethod
    def robin(cls, name: str, points: np.ndarray, normals: np.ndarray, values: np.ndarray | float, a: float,
              b: float, output: int = 0, weight: float = 1.0) -> Condition:
        """a u + b du/dn = values at boundary points with unit outward `normals` (M, d)."""

        def operator(x: torch.Tensor, u: torch.Tensor, n: torch.Tensor | None) -> torch.Tensor:
            field = u[:, output : output + 1]
            grad = _gradient(field, x)
            return a * field + b * (grad * n).sum(1, keepdim=True)

        values = np.asarray(values, dtype=np.float64).reshape(-1, 1) * np.ones((len(points), 1))
        return cls(name, points, values, weight, output, operator, normals)


@dataclass
class PDE:
    """Everything that defines a PINN problem.

    residual : `residual(x, u, params) -> (N, m)`, one column per equation; zero where the PDE holds.
    domain : where collocation points are drawn: a `Box` or any `Geometry` (holes, disks, polygons).
    conditions : IC/BC/data terms (may be empty when `output_transform` enforces them exactly).
    params : initial values of trainable PDE coefficients (inverse problems), by name.
    output_transform : optional `(x, raw) -> u` applied to the network output (N, k), e.g. to impose
        an initial/boundary condition exactly (a "hard constraint").
    outputs : names of the fields the network outputs (k columns), e.g. ("u", "v", "p").
    gauge : field name -> point where the field is pinned to 0 exactly, e.g. {"p": (0.0, 0.0)}: the
        pressure of incompressible flow is defined up to a constant (a soft alternative is a
        one-point `Condition(..., output="p")`).
    periodic : coordinate index -> period, for networks that embed those coordinates periodically.
    anchors : optional (K, d) points where the residual is always evaluated, in addition to the
        sampled collocation points (e.g. the observation points of an inverse problem, as in
        Raissi et al. 2019, so the PDE holds exactly where the data constrain u).
    symmetry : coordinate index -> "odd" | "even": the solution is odd/even under reflection of that
        coordinate about the box centre; the network output is made exactly so and collocation
        points are drawn in one half of the box (`sciml.pinn.symmetry`).
    taylor : coordinate index -> order: pure derivatives in that coordinate up to this order come
        from one Taylor-mode forward pass (`sciml.pinn.taylor`) instead of nested autograd, e.g.
        {0: 4} for the u_xxxx of Kuramoto–Sivashinsky (one-field problems, tanh or sin networks).
    name : short identifier (saved with the model).
    """

    residual: Residual
    domain: Geometry
    conditions: Sequence[Condition] = ()
    params: dict[str, float] = field(default_factory=dict)
    output_transform: OutputTransform | None = None
    periodic: dict[int, float] = field(default_factory=dict)
    anchors: np.ndarray | None = None
    symmetry: dict[int, str] = field(default_factory=dict)
    name: str = "pde"
    outputs: tuple[str, ...] = ("u",)
    gauge: dict[str, tuple[float, ...]] = field(default_factory=dict)
    taylor: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.domain, Geometry):
            raise ConfigError("domain", f"must be a Box or another sciml.pinn.geometry.Geometry, got {type(self.domain).__name__}")
        check_symmetry(self.symmetry, self.domain)
        self.outputs = tuple(self.outputs)
        if not self.outputs or len(set(self.outputs)) != len(self.outputs):
            raise ConfigError("outputs", f"need distinct field names, got {self.outputs}")
        for dim, order in self.taylor.items():
            if not 0 <= dim < self.domain.dim or order < 1:
                raise ConfigError("taylor", f"{self.name}: needs a coordinate in [0, {self.domain.dim}) and an order "
                                            f">= 1, got {{{dim}: {order}}}")
        if self.taylor and len(self.outputs) != 1:
            raise ConfigError("taylor", f"{self.name}: Taylor-mode derivatives need one field, got {self.outputs}")
        tol = 1e-6 * self.domain.diameter
        for name, point in self.gauge.items():
            if name not in self.outputs:
                raise ConfigError("gauge", f"unknown field {name!r}; fields {self.outputs}")
            _check_inside(self.domain, np.asarray([point], dtype=np.float64).reshape(1, -1), f"gauge.{name}", tol)
        for cond in self.conditions:
            if cond.points.shape[1] != self.domain.dim:
                raise ConfigError(f"conditions.{cond.name}",
                                  f"points have {cond.points.shape[1]} coordinates, the domain {self.domain.dim}")
            if isinstance(cond.output, str):
                if cond.output not in self.outputs:
                    raise ConfigError(f"conditions.{cond.name}", f"unknown field {cond.output!r}; fields {self.outputs}")
                cond.output = self.outputs.index(cond.output)
            if not 0 <= cond.output < len(self.outputs):
                raise ConfigError(f"conditions.{cond.name}", f"field index {cond.output} out of range for {self.outputs}")
            _check_inside(self.domain, cond.points, f"conditions.{cond.name}", tol)
        if self.anchors is not None:
            self.anchors = np.asarray(self.anchors, dtype=np.float64)
            if self.anchors.ndim != 2 or self.anchors.shape[1] != self.domain.dim:
                raise ConfigError("anchors", f"must have shape (K, {self.domain.dim}), got {self.anchors.shape}")
            _check_inside(self.domain, self.anchors, "anchors", tol)
        names = [c.name for c in self.conditions]
        if len(set(names)) != len(names) or "residual" in names:
            raise ConfigError("conditions", f"condition names must be unique and not 'residual': {names}")


def _check_inside(domain: Geometry, points: np.ndarray, where: str, tol: float) -> None:
    """ConfigError naming `where` when some points lie outside the closed domain (farther than `tol`)."""
    outside = ~domain.contains(points, tol)
    if outside.any():
        first = points[np.argmax(outside)]
        raise ConfigError(where, f"{int(outside.sum())} of {len(points)} points lie outside the domain {domain!r}, "
                                 f"e.g. {first.tolist()}")
