"""Ready-made PDE problems: viscous Burgers, heat, 2D Poisson, Allen–Cahn, inverse Burgers; PINNacle's
Poisson 2d-CG (four holes), NS 2d-C (lid-driven cavity at Re 100, fields u, v, p), PNd and HNd (5-D
Poisson and heat), Heat 2d-MS (multi-scale heat); the convection, reaction and wave problems of Rathore et al. (2024); jaxpi's chaotic
Kuramoto–Sivashinsky problem (short window t in [0, 0.1]).

Each factory returns a `PDE`. With `hard_constraints=True` the initial/boundary conditions are
built into the network output (`output_transform`) instead of being penalised; the periodic
Allen–Cahn and convection boundaries are always exact (periodic input embedding).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from sciml.errors import ConfigError
from sciml.pinn.geometry import Ball, Box, Disk, Geometry, SpaceTime, dirichlet_blend, r_and
from sciml.pinn.navier_stokes import navier_stokes
from sciml.pinn.pde import PDE, Condition, derivative
from sciml.pinn.reference import (
    HEAT_MS_DIFFUSIVITY,
    HEAT_MS_WAVENUMBER,
    heat_2d_ms_exact,
    heat_nd_exact,
    ks_initial,
    poisson_nd_exact,
    reaction_initial,
)
from sciml.pinn.sampling import unit_samples

BURGERS_NU = 0.01 / math.pi
HEAT_DIFFUSIVITY = 0.4
ALLEN_CAHN_EPS = 1e-4


def _face_conditions(box: Box, faces: list[tuple[str, int, str]], fn, n: int, seed: int) -> list[Condition]:
    """One condition per (name, dim, side) face with `n` Latin-hypercube points and targets `fn(points)`."""
    conditions = []
    for i, (name, dim, side) in enumerate(faces):
        points = box.face_points(dim, side, unit_samples(n, box.dim - 1, "lhs", seed + i))
        conditions.append(Condition.from_function(name, points, fn))
    return conditions


def burgers(nu: float = BURGERS_NU, hard_constraints: bool = True, n_condition: int = 256, seed: int = 0) -> PDE:
    """u_t + u u_x - nu u_xx = 0 on x in [-1, 1], t in [0, 1]; u(x, 0) = -sin(pi x), u(+-1, t) = 0.

    Coordinates: x[:, 0] = x, x[:, 1] = t. Hard constraints: u = -sin(pi x) + t (1 - x^2) N(x, t).
    """

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 1) + u * derivative(u, x, 0) - nu * derivative(u, x, 0, 0)

    box = Box((-1.0, 0.0), (1.0, 1.0), ("x", "t"))
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, t = x[:, 0:1], x[:, 1:2]
            return -torch.sin(math.pi * xs) + t * (1.0 - xs**2) * raw

        return PDE(residual, box, output_transform=transform, name="burgers")
    initial = _face_conditions(box, [("initial", 1, "lower")], lambda p: -np.sin(np.pi * p[:, 0]), n_condition, seed)
    boundary = _face_conditions(box, [("left", 0, "lower"), ("right", 0, "upper")], lambda p: np.zeros(len(p)),
                                n_condition // 2, seed + 1)
    return PDE(residual, box, initial + boundary, name="burgers")


def heat(diffusivity: float = HEAT_DIFFUSIVITY, hard_constraints: bool = True, n_condition: int = 256,
         seed: int = 0) -> PDE:
    """u_t = a u_xx on x in [0, 1], t in [0, 1]; u(x, 0) = sin(pi x), u(0, t) = u(1, t) = 0.

    Exact: u = exp(-a pi^2 t) sin(pi x). Hard constraints: u = sin(pi x) + 4 t x (1 - x) N(x, t)
    (the factor 4 keeps the multiplier of N at unit scale).
    """

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 1) - diffusivity * derivative(u, x, 0, 0)

    box = Box((0.0, 0.0), (1.0, 1.0), ("x", "t"))
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, t = x[:, 0:1], x[:, 1:2]
            return torch.sin(math.pi * xs) + 4.0 * t * xs * (1.0 - xs) * raw

        return PDE(residual, box, output_transform=transform, name="heat")
    conditions = _face_conditions(box, [("initial", 1, "lower")], lambda p: np.sin(np.pi * p[:, 0]), n_condition, seed)
    conditions += _face_conditions(box, [("left", 0, "lower"), ("right", 0, "upper")], lambda p: np.zeros(len(p)),
                                   n_condition // 2, seed + 1)
    return PDE(residual, box, conditions, name="heat")


def poisson(hard_constraints: bool = True, n_condition: int = 256, seed: int = 0) -> PDE:
    """-(u_xx + u_yy) = 5 pi^2 sin(pi x) sin(2 pi y) on [0, 1]^2, u = 0 on the boundary.

    Manufactured solution u = sin(pi x) sin(2 pi y). Hard constraints: u = 16 x (1 - x) y (1 - y) N(x, y)
    (the factor 16 keeps the multiplier of N at unit scale).
    """

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        source = 5.0 * math.pi**2 * torch.sin(math.pi * x[:, 0:1]) * torch.sin(2.0 * math.pi * x[:, 1:2])
        return -(derivative(u, x, 0, 0) + derivative(u, x, 1, 1)) - source

    box = Box((0.0, 0.0), (1.0, 1.0), ("x", "y"))
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, ys = x[:, 0:1], x[:, 1:2]
            return 16.0 * xs * (1.0 - xs) * ys * (1.0 - ys) * raw

        return PDE(residual, box, output_transform=transform, name="poisson")
    faces = [("left", 0, "lower"), ("right", 0, "upper"), ("bottom", 1, "lower"), ("top", 1, "upper")]
    conditions = _face_conditions(box, faces, lambda p: np.zeros(len(p)), n_condition // 4, seed)
    return PDE(residual, box, conditions, name="poisson")


def allen_cahn(eps: float = ALLEN_CAHN_EPS, hard_constraints: bool = True, n_condition: int = 256,
               seed: int = 0) -> PDE:
    """u_t - eps u_xx + 5 u^3 - 5 u = 0 on x in [-1, 1] (periodic), t in [0, 1]; u(x, 0) = x^2 cos(pi x).

    Periodicity is exact through the network's periodic embedding of x (period 2). Hard
    constraints: u = x^2 cos(pi x) + t N(x, t).
    """

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 1) - eps * derivative(u, x, 0, 0) + 5.0 * u**3 - 5.0 * u

    box = Box((-1.0, 0.0), (1.0, 1.0), ("x", "t"))
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, t = x[:, 0:1], x[:, 1:2]
            return xs**2 * torch.cos(math.pi * xs) + t * raw

        return PDE(residual, box, output_transform=transform, periodic={0: 2.0}, name="allen_cahn")
    initial = _face_conditions(box, [("initial", 1, "lower")], lambda p: p[:, 0] ** 2 * np.cos(np.pi * p[:, 0]),
                               n_condition, seed)
    return PDE(residual, box, initial, periodic={0: 2.0}, name="allen_cahn")


def burgers_inverse(points: np.ndarray, values: np.ndarray, lambda1_init: float = 0.0,
                    log_lambda2_init: float = -6.0, residual_at_observations: bool = True) -> PDE:
    """Identify lambda1, lambda2 in u_t + lambda1 u u_x - lambda2 u_xx = 0 from observations (Raissi et al. 2019).

    points : (M, 2) observed (x, t) ; values : (M,) observed u. lambda2 is trained as log(lambda2)
    (it is positive and ~1e-3). Trainable coefficients: "lambda1", "log_lambda2".
    residual_at_observations : also evaluate the residual at the observation points (Raissi et al.
        use exactly these points), where the data pin u down and the derivatives are reliable.
    """

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        lambda2 = torch.exp(params["log_lambda2"])
        return derivative(u, x, 1) + params["lambda1"] * u * derivative(u, x, 0) - lambda2 * derivative(u, x, 0, 0)

    box = Box((-1.0, 0.0), (1.0, 1.0), ("x", "t"))
    data = Condition("data", points, values)
    return PDE(residual, box, [data], params={"lambda1": lambda1_init, "log_lambda2": log_lambda2_init},
               anchors=data.points if residual_at_observations else None, name="burgers_inverse")


POISSON_CG_HOLES = (((0.5, 0.5), 0.2), ((0.4, -0.4), 0.4), ((-0.2, -0.7), 0.1), ((-0.6, 0.5), 0.3))
POISSON_CG_K, POISSON_CG_MU, POISSON_CG_A = 8.0, (1.0, 4.0), 10.0
LID_DRIVEN_NU = 0.01


def poisson_2d_cg(hard_constraints: bool = True, n_condition: int = 1000, seed: int = 0) -> PDE:
    """PINNacle's Poisson 2d-CG: -lap u + k^2 u = f on [-1, 1]^2 minus four disks; u = 0.2 outside, 1 on the holes.

    k = 8, f = A (mu1^2 + x^2 + mu2^2 + y^2) sin(mu1 pi x) sin(mu2 pi y), mu = (1, 4), A = 10; holes
    (centre, radius) (0.5, 0.5) 0.2, (0.4, -0.4) 0.4, (-0.2, -0.7) 0.1, (-0.6, 0.5) 0.3 (Hao et al.
    2024). Hard constraints: u = g + adf(x) N(x) with g the transfinite blend of 0.2 on the square's
    edges and 1 on the holes and adf the R-function distance of the domain
    (`sciml.pinn.geometry`); soft: `n_condition` boundary points, Sobol by arc length.
    """
    outer = Box((-1.0, -1.0), (1.0, 1.0), ("x", "y"))
    holes = [Disk(c, r) for c, r in POISSON_CG_HOLES]
    domain: Geometry = outer
    for hole in holes:
        domain = domain - hole
    mu1, mu2 = POISSON_CG_MU

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        xs, ys = x[:, 0:1], x[:, 1:2]
        f = POISSON_CG_A * (mu1**2 + xs**2 + mu2**2 + ys**2) * torch.sin(mu1 * math.pi * xs) * torch.sin(mu2 * math.pi * ys)
        return -(derivative(u, x, 0, 0) + derivative(u, x, 1, 1)) + POISSON_CG_K**2 * u - f

    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            to_holes = -holes[0].adf(x)
            for hole in holes[1:]:
                to_holes = r_and(to_holes, -hole.adf(x))
            to_outer = outer.adf(x)
            g = dirichlet_blend([to_outer, to_holes], [torch.full_like(to_outer, 0.2), torch.ones_like(to_outer)])
            return (g + r_and(to_outer, to_holes) * raw[:, 0]).unsqueeze(1)

        return PDE(residual, domain, output_transform=transform, name="poisson_2d_cg")
    points = domain.sample_boundary(n_condition, "sobol", seed)
    on_outer = np.abs(outer.signed_distance(points)) < 1e-9
    return PDE(residual, domain, [Condition("boundary", points, np.where(on_outer, 0.2, 1.0))], name="poisson_2d_cg")


def lid_driven_cavity(hard_constraints: bool = True, n_condition: int = 400, seed: int = 0) -> PDE:
    """PINNacle's NS 2d-C: steady lid-driven cavity at Re 100 on [0, 1]^2, fields (u, v, p).

    u . grad u + grad p = nu lap u, div u = 0, nu = 1/100; lid y = 1: u = 4 x (1 - x), v = 0; the
    other walls u = v = 0; p(0, 0) = 0 (an exact gauge). Hard constraints: u = 4 x (1 - x) y +
    16 x (1 - x) y (1 - y) N_u, v = 16 x (1 - x) y (1 - y) N_v; soft: `n_condition` points per wall.
    """
    box = Box((0.0, 0.0), (1.0, 1.0), ("x", "y"))
    gauge = {"p": (0.0, 0.0)}
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, ys = x[:, 0:1], x[:, 1:2]
            bubble = 16.0 * xs * (1.0 - xs) * ys * (1.0 - ys)
            return torch.cat([4.0 * xs * (1.0 - xs) * ys + bubble * raw[:, 0:1], bubble * raw[:, 1:2], raw[:, 2:3]], 1)

        return navier_stokes(box, LID_DRIVEN_NU, output_transform=transform, gauge=gauge, name="lid_driven_cavity")
    walls = np.vstack([box.face_points(d, side, unit_samples(n_condition, 1, "lhs", seed + 2 * d + i))
                       for d in (0, 1) for i, side in enumerate(("lower", "upper"))])
    lid = np.isclose(walls[:, 1], 1.0)
    u_wall = np.where(lid, 4.0 * walls[:, 0] * (1.0 - walls[:, 0]), 0.0)
    conditions = [Condition("wall_u", walls, u_wall, output="u"), Condition("wall_v", walls, np.zeros(len(walls)), output="v")]
    return navier_stokes(box, LID_DRIVEN_NU, conditions, gauge=gauge, name="lid_driven_cavity")


CONVECTION_BETA = 40.0
REACTION_RHO = 5.0
WAVE_BETA, WAVE_SPEED = 5.0, 2.0
ND_DIM = 5


def _check_coefficients(problem: str, **coefficients: float) -> None:
    """ConfigError naming the problem when a coefficient is not a finite number."""
    for key, value in coefficients.items():
        if not math.isfinite(value):
            raise ConfigError(key, f"{problem}: the coefficient {key} must be finite, got {value}")


def convection(beta: float = CONVECTION_BETA, hard_constraints: bool = True, n_condition: int = 256,
               seed: int = 0) -> PDE:
    """u_t + beta u_x = 0 on x in [0, 2 pi] (periodic), t in [0, 1]; u(x, 0) = sin x (Rathore et al. 2024, beta = 40).

    Exact: u = sin(x - beta t). Periodicity is exact through the network's periodic embedding of x
    (period 2 pi). Hard constraints: u = sin x + (1 - exp(-k t)) N(x, t), k = max(|beta|, 1): the
    factor vanishes at t = 0 on the convection time scale 1 / beta, so N stays of unit size (-cos x
    near t = 0) where a plain factor t would need N ~ beta.
    """
    _check_coefficients("convection", beta=beta)
    rate = max(abs(beta), 1.0)

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 1) + beta * derivative(u, x, 0)

    box = Box((0.0, 0.0), (2.0 * math.pi, 1.0), ("x", "t"))
    periodic = {0: 2.0 * math.pi}
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            return torch.sin(x[:, 0:1]) - torch.expm1(-rate * x[:, 1:2]) * raw

        return PDE(residual, box, output_transform=transform, periodic=periodic, name="convection")
    initial = _face_conditions(box, [("initial", 1, "lower")], lambda p: np.sin(p[:, 0]), n_condition, seed)
    return PDE(residual, box, initial, periodic=periodic, name="convection")


def reaction(rho: float = REACTION_RHO, hard_constraints: bool = True, n_condition: int = 256, seed: int = 0) -> PDE:
    """u_t = rho u (1 - u) on x in [0, 2 pi], t in [0, 1]; u(x, 0) = h(x) = exp(-(x - pi)^2 / (2 (pi / 4)^2)).

    Rathore et al. (2024), rho = 5. Exact: u = h e^(rho t) / (h e^(rho t) + 1 - h). The periodic
    boundary condition u(0, t) = u(2 pi, t) of the benchmark holds by itself (no x-derivative, and
    h(0) = h(2 pi)), so no term imposes it; the solution is not smooth across the period, so x is
    not embedded periodically. Hard constraints: u = h(x) + t N(x, t).
    """
    _check_coefficients("reaction", rho=rho)

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 1) - rho * u * (1.0 - u)

    box = Box((0.0, 0.0), (2.0 * math.pi, 1.0), ("x", "t"))
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            h = torch.exp(-0.5 * ((x[:, 0:1] - math.pi) / (math.pi / 4.0)) ** 2)
            return h + x[:, 1:2] * raw

        return PDE(residual, box, output_transform=transform, name="reaction")
    initial = _face_conditions(box, [("initial", 1, "lower")], lambda p: reaction_initial(p[:, 0]), n_condition, seed)
    return PDE(residual, box, initial, name="reaction")


def wave(beta: float = WAVE_BETA, speed: float = WAVE_SPEED, hard_constraints: bool = True, n_condition: int = 256,
         seed: int = 0) -> PDE:
    """u_tt = speed^2 u_xx on x in [0, 1], t in [0, 1]; u(x, 0) = sin(pi x) + sin(beta pi x) / 2, u_t(x, 0) = 0,
    u(0, t) = u(1, t) = 0 (Rathore et al. 2024: beta = 5, speed^2 = 4).

    Exact: u = sin(pi x) cos(speed pi t) + sin(beta pi x) cos(speed beta pi t) / 2. Hard constraints:
    u = u0(x) + 4 x (1 - x) (1 - exp(-(t / tau)^2)) N(x, t) with tau = 1 / (speed max(|beta|, 1) pi),
    the period of the fastest mode over 2 pi: both initial conditions (the factor is ~ (t / tau)^2 at
    t = 0) and both walls hold exactly, and N stays of moderate size where a plain t^2 factor would
    need ~1e3.

    Raises:
        ConfigError: a non-finite coefficient or speed <= 0.
    """
    _check_coefficients("wave", beta=beta, speed=speed)
    if speed <= 0:
        raise ConfigError("speed", f"wave: the wave speed must be > 0, got {speed}")
    rate = speed * max(abs(beta), 1.0) * math.pi

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 1, 1) - speed**2 * derivative(u, x, 0, 0)

    def initial_value(x: np.ndarray) -> np.ndarray:
        return np.sin(np.pi * x) + 0.5 * np.sin(beta * np.pi * x)

    box = Box((0.0, 0.0), (1.0, 1.0), ("x", "t"))
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, t = x[:, 0:1], x[:, 1:2]
            u0 = torch.sin(math.pi * xs) + 0.5 * torch.sin(beta * math.pi * xs)
            return u0 - 4.0 * xs * (1.0 - xs) * torch.expm1(-((rate * t) ** 2)) * raw

        return PDE(residual, box, output_transform=transform, name="wave")
    conditions = _face_conditions(box, [("initial", 1, "lower")], lambda p: initial_value(p[:, 0]), n_condition, seed)
    start = conditions[0].points
    conditions.append(Condition("initial_velocity", start, np.zeros(len(start)),
                                operator=lambda x, u, normals: derivative(u, x, 1)))
    conditions += _face_conditions(box, [("left", 0, "lower"), ("right", 0, "upper")], lambda p: np.zeros(len(p)),
                                   n_condition // 2, seed + 1)
    return PDE(residual, box, conditions, name="wave")


def _laplacian(u: torch.Tensor, x: torch.Tensor, dims: range) -> torch.Tensor:
    """Sum of the second derivatives of `u` (N, 1) in the coordinates `dims`, (N, 1)."""
    return sum(derivative(u, x, i, i) for i in dims)  # type: ignore[return-value]


def poisson_nd(dim: int = ND_DIM, hard_constraints: bool = False, n_condition: int = 2000, seed: int = 0) -> PDE:
    """PINNacle's PNd: -lap u = pi^2 / 4 sum_i sin(pi x_i / 2) on [0, 1]^dim, u = sum_i sin(pi x_i / 2) on the boundary.

    Hao et al. (2024), dim = 5; exact u = sum_i sin(pi x_i / 2). The boundary condition is penalised
    at `n_condition` Sobol points on the faces: its data is the exact solution itself, so any lifting
    that imposes it exactly would hand the network the answer (hard constraints are refused).

    Raises:
        ConfigError: `hard_constraints=True`, or `dim` < 2.
    """
    if hard_constraints:
        raise ConfigError("hard_constraints", "poisson_nd: its boundary data is the exact solution, so the boundary "
                                              "condition is penalised only; set hard_constraints: false")
    if dim < 2:
        raise ConfigError("dim", f"poisson_nd needs dim >= 2, got {dim}")

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        source = 0.25 * math.pi**2 * torch.sin(0.5 * math.pi * x).sum(1, keepdim=True)
        return -_laplacian(u, x, range(dim)) - source

    box = Box((0.0,) * dim, (1.0,) * dim, tuple(f"x{i + 1}" for i in range(dim)))
    points = box.sample_boundary(n_condition, "sobol", seed)
    return PDE(residual, box, [Condition.from_function("boundary", points, poisson_nd_exact)], name="poisson_nd")


def heat_nd(dim: int = ND_DIM, hard_constraints: bool = True, n_condition: int = 2000, seed: int = 0) -> PDE:
    """PINNacle's HNd: u_t = lap u / dim + f on the unit ball of R^dim, t in [0, 1], f = -|x|^2 exp(|x|^2 / 2 + t) / dim.

    Hao et al. (2024), dim = 5; exact u = exp(|x|^2 / 2 + t). Initial condition u(x, 0) = exp(|x|^2 / 2);
    Neumann condition du/dn = exp(|x|^2 / 2 + t) on the sphere |x| = 1, penalised at `n_condition`
    Sobol points with their outward normals. Hard constraints: u = exp(|x|^2 / 2) + t N(x, t).
    Coordinates x1..x_dim, then t.
    """
    if dim < 2:
        raise ConfigError("dim", f"heat_nd needs dim >= 2, got {dim}")

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        r2 = (x[:, :dim] ** 2).sum(1, keepdim=True)
        source = -r2 * torch.exp(0.5 * r2 + x[:, dim:]) / dim
        return derivative(u, x, dim) - _laplacian(u, x, range(dim)) / dim - source

    domain = SpaceTime(Ball((0.0,) * dim, 1.0, tuple(f"x{i + 1}" for i in range(dim))), 0.0, 1.0)
    lateral = domain.sample_lateral(n_condition, "sobol", seed)
    conditions = [Condition.neumann("boundary", lateral, domain.normals(lateral), heat_nd_exact(lateral))]
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            return torch.exp(0.5 * (x[:, :dim] ** 2).sum(1, keepdim=True)) + x[:, dim:] * raw

        return PDE(residual, domain, conditions, output_transform=transform, name="heat_nd")
    start = domain.sample_initial(n_condition, "sobol", seed + 1)
    conditions.append(Condition.from_function("initial", start, heat_nd_exact))
    return PDE(residual, domain, conditions, name="heat_nd")


HEAT_MS_T_END = 5.0
HEAT_MS_EMBEDDING_PERIOD = 2.0  # twice the x interval: cos/sin(k pi x) features that impose no periodicity


def heat_2d_ms(hard_constraints: bool = True, n_condition: int = 1000, seed: int = 0) -> PDE:
    """PINNacle's Heat 2d-MS: u_t = a1 u_xx + a2 u_yy on (x, y) in [0, 1]^2, t in [0, 5]; u0 = sin(20 pi x) sin(pi y), u = 0 on the edges.

    a1 = 1 / (500 pi)^2, a2 = 1 / pi^2 (Hao et al. 2024, `HeatMultiscale` in PINNacle's `src/pde/heat.py`);
    exact u = sin(20 pi x) sin(pi y) exp(-1.0016 t). x enters the network as cos/sin(k pi x), k = 1..
    `network.periodic_harmonics`: a Fourier embedding of period 2, twice the interval, so it imposes no
    periodicity on [0, 1]. Hard constraints: u = u0(x, y) + t 16 x (1 - x) y (1 - y) N(x, y, t); soft:
    `n_condition` Latin-hypercube points on the initial face and on each of the four side faces.
    Coordinates x, y, t.
    """
    (a1, a2), (k1, k2) = HEAT_MS_DIFFUSIVITY, HEAT_MS_WAVENUMBER

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        return derivative(u, x, 2) - a1 * derivative(u, x, 0, 0) - a2 * derivative(u, x, 1, 1)

    box = Box((0.0, 0.0, 0.0), (1.0, 1.0, HEAT_MS_T_END), ("x", "y", "t"))
    periodic = {0: HEAT_MS_EMBEDDING_PERIOD}
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs, ys, t = x[:, 0:1], x[:, 1:2], x[:, 2:3]
            u0 = torch.sin(k1 * xs) * torch.sin(k2 * ys)
            return u0 + 16.0 * t * xs * (1.0 - xs) * ys * (1.0 - ys) * raw

        return PDE(residual, box, output_transform=transform, periodic=periodic, name="heat_2d_ms")
    conditions = _face_conditions(box, [("initial", 2, "lower")], heat_2d_ms_exact, n_condition, seed)
    sides = [("left", 0, "lower"), ("right", 0, "upper"), ("bottom", 1, "lower"), ("top", 1, "upper")]
    conditions += _face_conditions(box, sides, lambda p: np.zeros(len(p)), n_condition, seed + 1)
    return PDE(residual, box, conditions, periodic=periodic, name="heat_2d_ms")


KS_ALPHA, KS_BETA, KS_GAMMA = 100.0 / 16.0, 100.0 / 16.0**2, 100.0 / 16.0**4
KS_T_END = 0.1


def kuramoto_sivashinsky(alpha: float = KS_ALPHA, beta: float = KS_BETA, gamma: float = KS_GAMMA,
                         t_end: float = KS_T_END, hard_constraints: bool = True, n_condition: int = 256,
                         seed: int = 0) -> PDE:
    """u_t + alpha u u_x + beta u_xx + gamma u_xxxx = 0 on x in [0, 2 pi] (periodic), t in [0, t_end].

    jaxpi's chaotic Kuramoto–Sivashinsky problem (Wang, Sankaran, Wang & Perdikaris 2023, `examples/ks_chaotic`):
    alpha = 100/16, beta = 100/16^2, gamma = 100/16^4, u(x, 0) = cos x (1 + sin x); by default the
    short window t in [0, 0.1]. Periodicity is exact through the network's periodic embedding of x
    (period 2 pi); u_x ... u_xxxx come from one Taylor-mode pass (`PDE.taylor`). Hard constraints:
    u = u0(x) + (t / t_end) N(x, t).

    Raises:
        ConfigError: a non-finite coefficient, or t_end not > 0.
    """
    _check_coefficients("kuramoto_sivashinsky", alpha=alpha, beta=beta, gamma=gamma, t_end=t_end)
    if t_end <= 0:
        raise ConfigError("t_end", f"kuramoto_sivashinsky: the end time must be > 0, got {t_end}")

    def residual(x: torch.Tensor, u: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        u_x, u_xx, u_xxxx = derivative(u, x, 0), derivative(u, x, 0, 0), derivative(u, x, 0, 0, 0, 0)
        return derivative(u, x, 1) + alpha * u * u_x + beta * u_xx + gamma * u_xxxx

    box = Box((0.0, 0.0), (2.0 * math.pi, t_end), ("x", "t"))
    options = {"periodic": {0: 2.0 * math.pi}, "taylor": {0: 4}, "name": "kuramoto_sivashinsky"}
    if hard_constraints:
        def transform(x: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
            xs = x[:, 0:1]
            return torch.cos(xs) * (1.0 + torch.sin(xs)) + x[:, 1:2] / t_end * raw

        return PDE(residual, box, output_transform=transform, **options)
    initial = _face_conditions(box, [("initial", 1, "lower")], lambda p: ks_initial(p[:, 0]), n_condition, seed)
    return PDE(residual, box, initial, **options)


PROBLEMS = {"burgers": burgers, "heat": heat, "poisson": poisson, "allen_cahn": allen_cahn,
            "poisson_2d_cg": poisson_2d_cg, "lid_driven_cavity": lid_driven_cavity, "convection": convection,
            "reaction": reaction, "wave": wave, "poisson_nd": poisson_nd, "heat_nd": heat_nd,
            "heat_2d_ms": heat_2d_ms, "kuramoto_sivashinsky": kuramoto_sivashinsky}
