"""Ready-made PDE problems: viscous Burgers, heat, 2D Poisson, Allen–Cahn, inverse Burgers, and PINNacle's
Poisson 2d-CG (four holes) and NS 2d-C (lid-driven cavity at Re 100, fields u, v, p).

Each factory returns a `PDE`. With `hard_constraints=True` the initial/boundary conditions are
built into the network output (`output_transform`) instead of being penalised; the periodic
Allen–Cahn boundary is always exact (periodic input embedding).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from sciml.pinn.geometry import Box, Disk, Geometry, dirichlet_blend, r_and
from sciml.pinn.navier_stokes import navier_stokes
from sciml.pinn.pde import PDE, Condition, derivative
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


PROBLEMS = {"burgers": burgers, "heat": heat, "poisson": poisson, "allen_cahn": allen_cahn,
            "poisson_2d_cg": poisson_2d_cg, "lid_driven_cavity": lid_driven_cavity}
