"""Domains of PINN problems: boxes, balls and polygons combined by constructive solid geometry.

Every domain is a `Geometry`: a bounding box (`lower`, `upper`, used by the network's input
normalisation), a signed distance `sdf(x)` (negative inside, zero on the boundary; exact for the
primitives, a bound for CSG combinations taken by min/max), and a smooth approximate distance
`adf(x)` (positive inside, zero on the boundary) built from R-functions (Rvachev; Sukumar &
Srivastava 2022, CMAME 389) for hard boundary constraints `u = g + adf(x) N(x)`. `sdf` and `adf`
take and return torch tensors and are differentiable.

Sampling: `sample_interior` draws by rejection from the bounding box with Latin hypercube, Sobol
or uniform points; `sample_boundary` draws uniformly (by arc length / area) on the primitives'
boundaries and keeps the points on the combined boundary; `normals` are the unit outward normals
(the gradient of `sdf`), what Neumann and Robin conditions need. Combine with `a | b` (union),
`a & b` (intersection), `a - b` (difference). `SpaceTime(space, t0, t1)` adds a time coordinate.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from sciml.errors import ConfigError
from sciml.pinn.sampling import unit_samples

_BOUNDARY_TOL = 1e-9  # relative to the bounding-box diameter


def r_and(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """R-conjunction (intersection) of two positive-inside distance functions: a + b - sqrt(a^2 + b^2)."""
    return a + b - torch.sqrt(a * a + b * b + 1e-300)


def r_or(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """R-disjunction (union) of two positive-inside distance functions: a + b + sqrt(a^2 + b^2)."""
    return a + b + torch.sqrt(a * a + b * b + 1e-300)


class Geometry(ABC):
    """A closed domain in R^d (see the module docstring)."""

    names: tuple[str, ...] = ()
    lower: tuple[float, ...]  # lower corner of the bounding box (a field or a property of each geometry)
    upper: tuple[float, ...]  # upper corner of the bounding box

    @abstractmethod
    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        """Signed distance (N,) at points (N, d): negative inside, zero on the boundary."""

    @abstractmethod
    def adf(self, x: torch.Tensor) -> torch.Tensor:
        """Smooth approximate distance (N,) at points (N, d): positive inside, zero on the boundary."""

    @abstractmethod
    def boundary_measure(self) -> float:
        """Length (2-D) / area (3-D) of the boundary (exact for primitives, estimated for CSG)."""

    @abstractmethod
    def _boundary_candidates(self, n: int, method: str, seed: int) -> np.ndarray:
        """About `n` points uniform on the boundaries of the primitives, shape (M, d)."""

    @property
    def dim(self) -> int:
        return len(self.lower)

    @property
    def diameter(self) -> float:
        """Diagonal of the bounding box."""
        return float(np.linalg.norm(np.subtract(self.upper, self.lower)))

    def signed_distance(self, points: np.ndarray) -> np.ndarray:
        """`sdf` on a numpy array (N, d) -> (N,)."""
        with torch.no_grad():
            return self.sdf(torch.as_tensor(np.asarray(points, dtype=np.float64))).numpy()

    def contains(self, points: np.ndarray, tol: float | None = None) -> np.ndarray:
        """(N,) bool: the points lie in the closed domain (boundary within `tol`, default 1e-9 x diameter)."""
        tol = _BOUNDARY_TOL * self.diameter if tol is None else tol
        return self.signed_distance(points) <= tol

    def _check_points(self, points: np.ndarray) -> None:
        if points.ndim != 2 or points.shape[1] != self.dim:
            raise ConfigError("geometry", f"points must have shape (N, {self.dim}), got {points.shape}")

    def sample_interior(self, n: int, method: str = "sobol", seed: int = 0) -> np.ndarray:
        """`n` points strictly inside, by rejection from the bounding box, shape (n, d).

        Raises:
            ConfigError: the domain has no interior (no candidate point falls inside).
        """
        lo, hi = np.asarray(self.lower), np.asarray(self.upper)
        pilot = lo + unit_samples(4096, self.dim, "sobol", seed) * (hi - lo)
        rate = float(np.mean(self.signed_distance(pilot) < 0))
        if rate == 0.0:
            raise ConfigError("geometry", f"{self!r} has no interior: none of 4096 points of its bounding box "
                                          f"{self.lower} .. {self.upper} lies inside")
        m = int(n / rate * 1.2) + 64
        for _ in range(8):
            candidates = lo + unit_samples(m, self.dim, method, seed) * (hi - lo)
            inside = candidates[self.signed_distance(candidates) < 0]
            if len(inside) >= n:
                return inside[:n]
            m *= 2
        raise ConfigError("geometry", f"could not draw {n} interior points of {self!r} (volume fraction {rate:.2g})")

    def sample_boundary(self, n: int, method: str = "sobol", seed: int = 0) -> np.ndarray:
        """`n` points uniform on the boundary (by length/area), shape (n, d).

        Raises:
            ConfigError: the domain has no boundary points left (e.g. an empty intersection).
        """
        tol = 1e-7 * self.diameter
        m = n + 64
        for attempt in range(8):
            candidates = self._boundary_candidates(m, method, seed + 1000 * attempt)
            kept = candidates[np.abs(self.signed_distance(candidates)) <= tol]
            if len(kept) >= n:
                order = np.random.default_rng(seed).permutation(len(kept))[:n]
                return kept[np.sort(order)]
            rate = max(len(kept), 1) / len(candidates)
            m = int(n / rate * 1.3) + 64
        raise ConfigError("geometry", f"{self!r} has no boundary to sample (empty domain?)")

    def normals(self, points: np.ndarray) -> np.ndarray:
        """Unit outward normals (N, d) at boundary points (N, d): the normalised gradient of `sdf`."""
        points = np.asarray(points, dtype=np.float64)
        self._check_points(points)
        x = torch.as_tensor(points).clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(self.sdf(x).sum(), x)
        g = grad.numpy()
        return g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-300)

    def measure(self, n: int = 200_000, seed: int = 0) -> float:
        """Volume (area in 2-D) estimated from `n` Sobol points of the bounding box."""
        lo, hi = np.asarray(self.lower), np.asarray(self.upper)
        points = lo + unit_samples(n, self.dim, "sobol", seed) * (hi - lo)
        return float(np.prod(hi - lo) * np.mean(self.signed_distance(points) < 0))

    def __or__(self, other: Geometry) -> Geometry:
        return Union(self, other)

    def __and__(self, other: Geometry) -> Geometry:
        return Intersection(self, other)

    def __sub__(self, other: Geometry) -> Geometry:
        return Difference(self, other)


@dataclass(frozen=True)
class Box(Geometry):
    """Axis-aligned box `[lower_i, upper_i]` per coordinate, e.g. (x, t) or (x, y) (a rectangle in 2-D)."""

    lower: tuple[float, ...]
    upper: tuple[float, ...]
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.lower) != len(self.upper) or not self.lower:
            raise ConfigError("domain", f"lower {self.lower} and upper {self.upper} must have the same length >= 1")
        if any(hi <= lo for lo, hi in zip(self.lower, self.upper, strict=True)):
            raise ConfigError("domain", f"every upper bound must exceed its lower bound: {self.lower} .. {self.upper}"
                                        " (a box with no interior)")
        if self.names and len(self.names) != len(self.lower):
            raise ConfigError("domain.names", f"{len(self.names)} names for {len(self.lower)} coordinates")

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

    def sample_interior(self, n: int, method: str = "lhs", seed: int = 0) -> np.ndarray:
        return self.scale(unit_samples(n, self.dim, method, seed))

    def _half(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        lo = torch.as_tensor(self.lower, dtype=x.dtype, device=x.device)
        hi = torch.as_tensor(self.upper, dtype=x.dtype, device=x.device)
        return (lo + hi) / 2, (hi - lo) / 2

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        centre, half = self._half(x)
        q = (x - centre).abs() - half
        outside = torch.clamp(q, min=0.0)
        outside_norm = torch.sqrt((outside**2).sum(1) + 1e-300) * (outside.amax(1) > 0)
        return outside_norm + torch.clamp(q.amax(1), max=0.0)

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        centre, half = self._half(x)
        slabs = (half**2 - (x - centre) ** 2) / (2 * half)
        out = slabs[:, 0]
        for i in range(1, self.dim):
            out = r_and(out, slabs[:, i])
        return out

    def _face_areas(self) -> np.ndarray:
        ext = np.subtract(self.upper, self.lower)
        return np.array([np.prod(np.delete(ext, i)) for i in range(self.dim) for _ in (0, 1)])

    def boundary_measure(self) -> float:
        return float(self._face_areas().sum()) if self.dim > 1 else 2.0

    def _boundary_candidates(self, n: int, method: str, seed: int) -> np.ndarray:
        unit = unit_samples(n, self.dim, method, seed)
        areas = self._face_areas() if self.dim > 1 else np.ones(2)
        face = np.minimum(np.searchsorted(np.cumsum(areas) / areas.sum(), unit[:, 0], side="right"), len(areas) - 1)
        points = np.empty((n, self.dim))
        for f in range(len(areas)):
            rows = face == f
            dim, side = divmod(f, 2)
            points[rows] = self.face_points(dim, ("lower", "upper")[side], unit[rows, 1:])
        return points

    def __repr__(self) -> str:
        return f"Box({self.lower}, {self.upper})"


@dataclass(frozen=True)
class Ball(Geometry):
    """Ball (a disk in 2-D) of `radius` around `centre`."""

    centre: tuple[float, ...]
    radius: float
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.radius > 0:
            raise ConfigError("geometry", f"Ball radius must be > 0, got {self.radius} (a ball with no interior)")
        if not self.centre:
            raise ConfigError("geometry", "Ball centre needs at least one coordinate")

    @property
    def lower(self) -> tuple[float, ...]:
        return tuple(c - self.radius for c in self.centre)

    @property
    def upper(self) -> tuple[float, ...]:
        return tuple(c + self.radius for c in self.centre)

    def _offset(self, x: torch.Tensor) -> torch.Tensor:
        return x - torch.as_tensor(self.centre, dtype=x.dtype, device=x.device)

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sqrt((self._offset(x) ** 2).sum(1) + 1e-300) - self.radius

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        return (self.radius**2 - (self._offset(x) ** 2).sum(1)) / (2 * self.radius)

    def boundary_measure(self) -> float:
        d = self.dim
        return float(2 * math.pi ** (d / 2) / math.gamma(d / 2) * self.radius ** (d - 1))

    def _boundary_candidates(self, n: int, method: str, seed: int) -> np.ndarray:
        from scipy.special import ndtri

        if self.dim == 2:
            angle = 2 * np.pi * unit_samples(n, 1, method, seed)[:, 0]
            direction = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        else:
            gauss = ndtri(np.clip(unit_samples(n, self.dim, method, seed), 1e-12, 1 - 1e-12))
            direction = gauss / np.linalg.norm(gauss, axis=1, keepdims=True)
        return np.asarray(self.centre) + self.radius * direction

    def __repr__(self) -> str:
        return f"Ball({self.centre}, {self.radius})"


Disk = Ball


@dataclass(frozen=True)
class Polygon(Geometry):
    """Simple polygon in 2-D from its vertices (either orientation, not closed: the last joins the first)."""

    vertices: tuple[tuple[float, float], ...]
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        v = np.asarray(self.vertices, dtype=np.float64)
        if v.ndim != 2 or v.shape[1] != 2 or len(v) < 3:
            raise ConfigError("geometry", f"a polygon needs >= 3 vertices (x, y), got shape {v.shape}")
        if abs(self._signed_area(v)) < 1e-14:
            raise ConfigError("geometry", "polygon has zero area (collinear or repeated vertices: no interior)")
        object.__setattr__(self, "vertices", tuple(tuple(map(float, p)) for p in v))

    @staticmethod
    def _signed_area(v: np.ndarray) -> float:
        return 0.5 * float(np.sum(v[:, 0] * np.roll(v[:, 1], -1) - np.roll(v[:, 0], -1) * v[:, 1]))

    @property
    def lower(self) -> tuple[float, ...]:
        return tuple(np.min(self.vertices, axis=0).tolist())

    @property
    def upper(self) -> tuple[float, ...]:
        return tuple(np.max(self.vertices, axis=0).tolist())

    def _edges(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        a = torch.as_tensor(self.vertices, dtype=x.dtype, device=x.device)
        return a, torch.roll(a, -1, dims=0)

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        """Exact signed distance; near an edge (nearest point inside it) the signed distance to its line, so
        that the gradient on the boundary is the edge's outward normal."""
        a, b = self._edges(x)
        e = b - a                                               # (E, 2)
        w = x[:, None, :] - a[None]                             # (N, E, 2)
        t = torch.clamp((w * e).sum(-1) / (e * e).sum(-1), 0.0, 1.0)
        dist = torch.sqrt(((w - t[..., None] * e) ** 2).sum(-1) + 1e-300)
        nearest = dist.argmin(1, keepdim=True)
        with torch.no_grad():  # even-odd rule: a ray to +x crosses the boundary an odd number of times inside
            ya, yb = a[:, 1][None], b[:, 1][None]
            y = x[:, 1:2]
            crosses = (ya > y) != (yb > y)
            x_cross = a[:, 0][None] + (y - ya) * (b[:, 0] - a[:, 0])[None] / torch.where(yb == ya, 1.0, yb - ya)
            inside = (crosses & (x[:, 0:1] < x_cross)).sum(1) % 2 == 1
        sign = 1.0 if self._signed_area(np.asarray(self.vertices)) > 0 else -1.0
        outward = sign * torch.stack([e[:, 1], -e[:, 0]], 1) / torch.linalg.norm(e, dim=1, keepdim=True)
        line = (w * outward[None]).sum(-1).gather(1, nearest)[:, 0]
        t_near = t.gather(1, nearest)[:, 0]
        point = torch.where(inside, -dist.gather(1, nearest)[:, 0], dist.gather(1, nearest)[:, 0])
        return torch.where((t_near > 0) & (t_near < 1), line, point)

    def _convex(self) -> bool:
        v = np.asarray(self.vertices)
        d1, d2 = np.roll(v, -1, 0) - v, np.roll(v, -2, 0) - np.roll(v, -1, 0)
        cross = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
        return bool(np.all(cross >= -1e-14) or np.all(cross <= 1e-14))

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        """R-conjunction of the edges' half-planes for a convex polygon (smooth but at the corners); else -sdf."""
        if not self._convex():
            return -self.sdf(x)
        a, b = self._edges(x)
        sign = 1.0 if self._signed_area(np.asarray(self.vertices)) > 0 else -1.0
        e = b - a
        inward = sign * torch.stack([-e[:, 1], e[:, 0]], 1) / torch.linalg.norm(e, dim=1, keepdim=True)
        half_planes = ((x[:, None, :] - a[None]) * inward[None]).sum(-1)  # (N, E), positive inside
        out = half_planes[:, 0]
        for i in range(1, half_planes.shape[1]):
            out = r_and(out, half_planes[:, i])
        return out

    def boundary_measure(self) -> float:
        v = np.asarray(self.vertices)
        return float(np.linalg.norm(np.roll(v, -1, 0) - v, axis=1).sum())

    def _boundary_candidates(self, n: int, method: str, seed: int) -> np.ndarray:
        v = np.asarray(self.vertices)
        lengths = np.linalg.norm(np.roll(v, -1, 0) - v, axis=1)
        cum = np.concatenate([[0.0], np.cumsum(lengths)])
        s = unit_samples(n, 1, method, seed)[:, 0] * cum[-1]
        edge = np.minimum(np.searchsorted(cum, s, side="right") - 1, len(v) - 1)
        frac = (s - cum[edge]) / lengths[edge]
        return v[edge] + frac[:, None] * (np.roll(v, -1, 0)[edge] - v[edge])

    def __repr__(self) -> str:
        return f"Polygon({len(self.vertices)} vertices)"


class _CSG(Geometry):
    """A combination of two geometries of the same dimension."""

    symbol = "?"

    def __init__(self, a: Geometry, b: Geometry) -> None:
        if a.dim != b.dim:
            raise ConfigError("geometry", f"cannot combine a {a.dim}-d and a {b.dim}-d geometry")
        self.a, self.b = a, b
        self.names = a.names or b.names
        self._boundary_measure: float | None = None

    def __repr__(self) -> str:
        return f"({self.a!r} {self.symbol} {self.b!r})"

    def _boundary_candidates(self, n: int, method: str, seed: int) -> np.ndarray:
        ma, mb = self.a.boundary_measure(), self.b.boundary_measure()
        na = max(1, round(n * ma / (ma + mb)))
        return np.concatenate([self.a._boundary_candidates(na, method, seed),
                               self.b._boundary_candidates(max(1, n - na), method, seed + 1)])

    def boundary_measure(self) -> float:
        """Estimated from the fraction of 20,000 primitive-boundary points that lie on this boundary (computed once)."""
        if self._boundary_measure is None:
            self._boundary_measure = self._estimate_boundary_measure()
        return self._boundary_measure

    def _estimate_boundary_measure(self) -> float:
        tol = 1e-7 * self.diameter
        total = self.a.boundary_measure() + self.b.boundary_measure()
        candidates = self._boundary_candidates(20_000, "sobol", 0)
        return total * float(np.mean(np.abs(self.signed_distance(candidates)) <= tol))


class Union(_CSG):
    """Points in `a` or in `b`."""

    symbol = "|"

    @property
    def lower(self) -> tuple[float, ...]:
        return tuple(np.minimum(self.a.lower, self.b.lower).tolist())

    @property
    def upper(self) -> tuple[float, ...]:
        return tuple(np.maximum(self.a.upper, self.b.upper).tolist())

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        return torch.minimum(self.a.sdf(x), self.b.sdf(x))

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        return r_or(self.a.adf(x), self.b.adf(x))


class Intersection(_CSG):
    """Points in both `a` and `b`."""

    symbol = "&"

    @property
    def lower(self) -> tuple[float, ...]:
        return tuple(np.maximum(self.a.lower, self.b.lower).tolist())

    @property
    def upper(self) -> tuple[float, ...]:
        return tuple(np.minimum(self.a.upper, self.b.upper).tolist())

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        return torch.maximum(self.a.sdf(x), self.b.sdf(x))

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        return r_and(self.a.adf(x), self.b.adf(x))


class Difference(_CSG):
    """Points in `a` but not in the interior of `b` (holes: `rectangle - disk`)."""

    symbol = "-"

    @property
    def lower(self) -> tuple[float, ...]:
        return self.a.lower

    @property
    def upper(self) -> tuple[float, ...]:
        return self.a.upper

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        return torch.maximum(self.a.sdf(x), -self.b.sdf(x))

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        return r_and(self.a.adf(x), -self.b.adf(x))


class SpaceTime(Geometry):
    """`space` x [t0, t1], the time coordinate last (name `time_name`).

    Interior points combine the space's interior points with Latin-hypercube times;
    `sample_lateral` gives points on the space's boundary at all times (with the space's normals),
    `sample_initial` interior points at t0.
    """

    def __init__(self, space: Geometry, t0: float, t1: float, time_name: str = "t") -> None:
        if not t1 > t0:
            raise ConfigError("geometry", f"time interval [{t0}, {t1}] is empty")
        self.space, self.t0, self.t1 = space, float(t0), float(t1)
        self.names = (*space.names, time_name) if space.names else ()

    @property
    def lower(self) -> tuple[float, ...]:
        return (*self.space.lower, self.t0)

    @property
    def upper(self) -> tuple[float, ...]:
        return (*self.space.upper, self.t1)

    def _time_sdf(self, t: torch.Tensor) -> torch.Tensor:
        return (t - (self.t0 + self.t1) / 2).abs() - (self.t1 - self.t0) / 2

    def sdf(self, x: torch.Tensor) -> torch.Tensor:
        return torch.maximum(self.space.sdf(x[:, :-1]), self._time_sdf(x[:, -1]))

    def adf(self, x: torch.Tensor) -> torch.Tensor:
        return r_and(self.space.adf(x[:, :-1]), -self._time_sdf(x[:, -1]))

    def boundary_measure(self) -> float:
        return self.space.boundary_measure() * (self.t1 - self.t0) + 2 * self.space.measure()

    def _times(self, n: int, method: str, seed: int) -> np.ndarray:
        return self.t0 + unit_samples(n, 1, method, seed + 7)[:, 0] * (self.t1 - self.t0)

    def sample_interior(self, n: int, method: str = "sobol", seed: int = 0) -> np.ndarray:
        return np.column_stack([self.space.sample_interior(n, method, seed), self._times(n, method, seed)])

    def sample_lateral(self, n: int, method: str = "sobol", seed: int = 0) -> np.ndarray:
        """`n` points on the space's boundary x (t0, t1), shape (n, d)."""
        return np.column_stack([self.space.sample_boundary(n, method, seed), self._times(n, method, seed)])

    def sample_initial(self, n: int, method: str = "sobol", seed: int = 0) -> np.ndarray:
        """`n` interior points of the space at t = t0, shape (n, d)."""
        return np.column_stack([self.space.sample_interior(n, method, seed), np.full(n, self.t0)])

    def _boundary_candidates(self, n: int, method: str, seed: int) -> np.ndarray:
        return self.sample_lateral(n, method, seed)

    def __repr__(self) -> str:
        return f"SpaceTime({self.space!r}, {self.t0}, {self.t1})"


def dirichlet_blend(distances: Sequence[torch.Tensor], values: Sequence[torch.Tensor]) -> torch.Tensor:
    """Transfinite interpolation of boundary values: g = sum_i g_i prod_{j != i} d_j / sum_i prod_{j != i} d_j.

    `distances[i]` (N,) vanishes on boundary piece i (e.g. `outer.adf(x)`, `-hole.adf(x)`), `values[i]`
    (N,) is the value wanted there; g equals values[i] where distances[i] = 0 (pieces must not touch).
    Hard Dirichlet constraint: u = dirichlet_blend(...) + domain.adf(x) * N(x).
    """
    if len(distances) != len(values) or not distances:
        raise ConfigError("dirichlet_blend", f"{len(distances)} distances for {len(values)} values")
    weights = []
    for i in range(len(distances)):
        w = torch.ones_like(distances[0])
        for j, d in enumerate(distances):
            if j != i:
                w = w * d
        weights.append(w)
    total = sum(weights)
    return sum(w * g for w, g in zip(weights, values, strict=True)) / total
