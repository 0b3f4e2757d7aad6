"""References of the ready-made problems (grids, or scattered nodes) and the relative L2 error of a trained PINN on them.

Grid problems are scored by the relative L2 error over the grid; scattered (PINNacle) problems
by PINNacle's L2RE: every field at every reference node flattened into one vector. The analytic PINNacle
problems have fixed test nodes: quasi-random points of the domain (PNd, HNd) or a grid at the time levels of
PINNacle's reference (Heat 2d-MS). `validation_points` gives other points of the same domains (uniform random,
another seed) on which to choose settings without touching the test nodes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import torch

from sciml.errors import ConfigError, InputError
from sciml.pinn.models import PINN
from sciml.pinn.problems import KS_T_END, PROBLEMS
from sciml.pinn.reference import (
    ScatteredReference,
    burgers_cole_hopf,
    convection_exact,
    heat_2d_ms_exact,
    heat_exact,
    heat_nd_exact,
    load_allen_cahn_reference,
    load_burgers_reference,
    load_jaxpi_grid,
    load_pinnacle_dat,
    poisson_exact,
    poisson_nd_exact,
    reaction_exact,
    relative_l2,
    wave_exact,
)

REFERENCE_FILES = {
    "poisson_2d_cg": ("pinnacle_poisson_boltzmann2d.dat", ("x", "y"), ("u",)),
    "lid_driven_cavity": ("pinnacle_lid_driven_a4.dat", ("x", "y"), ("u", "v", "p")),
}
ANALYTIC_NODES = {"poisson_nd": poisson_nd_exact, "heat_nd": heat_nd_exact, "heat_2d_ms": heat_2d_ms_exact}
SCATTERED = (*REFERENCE_FILES, *ANALYTIC_NODES)
N_TEST_NODES, TEST_SEED = 32768, 20240101  # PINNacle's test-set size for PNd/HNd; a seed no training run uses
# Heat 2d-MS test grid: x (201, both ends: 20 points per wavelength of sin(20 pi x)), y (51), and the 26 time
# levels t = 0, 0.2, ..., 5 of PINNacle's COMSOL reference `heat_multiscale.dat`.
HEAT_MS_GRID = (201, 51, 26)
N_VALIDATION, VALIDATION_SEED = 20000, 777  # uniform random points, a seed no training or test set uses
RATHORE_GRID = (129, 101)  # the test grid of Rathore et al.'s code: 129 x points (x_num 257 halved), 101 times
KS_FILE = "ks_chaotic.mat"


@dataclass
class ReferenceGrid:
    """A tensor-product grid with the exact/reference field on it.

    Attributes:
        axes: the two 1-D coordinate arrays.
        u: the field, `u[i, j] = u(axes[0][i], axes[1][j])`.
        names: coordinate names, e.g. `("x", "t")`.

    Shapes:
        axes: (n0,), (n1,).
        u: (n0, n1).
    """

    axes: tuple[np.ndarray, np.ndarray]
    u: np.ndarray
    names: tuple[str, str]

    @property
    def points(self) -> np.ndarray:
        """(n0 * n1, 2) grid points, row-major over (axis 0, axis 1)."""
        a, b = np.meshgrid(*self.axes, indexing="ij")
        return np.stack([a.ravel(), b.ravel()], axis=1)


def reference_grid(problem: str, data_dir: str | os.PathLike[str] | None = None) -> ReferenceGrid:
    """The evaluation grid of a ready-made problem, checked to be finite.

    burgers : the 256 x 100 grid of `burgers_shock.mat` (x in [-1, 1], t in [0, 0.99]) with the exact
        Cole–Hopf solution (the grid is rebuilt when `data_dir` is None).
    heat, poisson : 201 x 201 grids with the analytic solutions.
    allen_cahn : the 512 x 201 grid of `AC.mat` (needs `data_dir`, the fetched `pinn-reference`).
    kuramoto_sivashinsky : jaxpi's test grid of the window t in [0, 0.1] of `ks_chaotic.mat` (needs `data_dir`,
        the fetched `pinn-benchmarks`): all 512 x (both ends of [0, 2 pi]) and the first int(0.1 * 251) = 25
        times t = 0, 0.004, ..., 0.096, as jaxpi's `get_dataset(time_fraction=0.1)` selects them.
    convection, reaction, wave : the 129 x 101 test grid of Rathore et al. (x over the whole interval,
        t in [0, 1], end points included) with the analytic solutions.

    Raises:
        ConfigError: no grid for `problem`, or a missing data folder.
        InputError: the reference holds NaN or inf (named with the problem).
    """
    grid = _grid(problem, data_dir)
    _check_finite(problem, grid.u.ravel(), grid.points, data_dir)
    return grid


def _check_finite(problem: str, values: np.ndarray, points: np.ndarray, source: object) -> None:
    """InputError naming the problem and the first bad point when the reference holds NaN or inf.

    Shapes:
        values: (N,) or (N, k) ; points: (N, d), row i the point of values[i].
    """
    bad = ~np.isfinite(np.asarray(values).reshape(len(points), -1)).all(axis=1)
    if bad.any():
        raise InputError(source if source is not None else f"the analytic reference of {problem}",
                         f"{problem}: {int(bad.sum())} of {len(points)} reference points hold NaN or inf, "
                         f"e.g. at {points[np.argmax(bad)].tolist()}")


def _grid(problem: str, data_dir: str | os.PathLike[str] | None) -> ReferenceGrid:
    """The unchecked grid of `reference_grid`."""
    if problem == "burgers":
        if data_dir is not None:
            x, t, _ = load_burgers_reference(data_dir)
        else:
            x, t = np.linspace(-1.0, 1.0, 256), np.linspace(0.0, 0.99, 100)
        xx, tt = np.meshgrid(x, t, indexing="ij")
        return ReferenceGrid((x, t), burgers_cole_hopf(xx, tt), ("x", "t"))
    if problem == "heat":
        x, t = np.linspace(0.0, 1.0, 201), np.linspace(0.0, 1.0, 201)
        xx, tt = np.meshgrid(x, t, indexing="ij")
        return ReferenceGrid((x, t), heat_exact(xx, tt), ("x", "t"))
    if problem == "poisson":
        x, y = np.linspace(0.0, 1.0, 201), np.linspace(0.0, 1.0, 201)
        xx, yy = np.meshgrid(x, y, indexing="ij")
        return ReferenceGrid((x, y), poisson_exact(xx, yy), ("x", "y"))
    if problem in ("convection", "reaction", "wave"):
        exact = {"convection": convection_exact, "reaction": reaction_exact, "wave": wave_exact}[problem]
        x = np.linspace(0.0, 1.0 if problem == "wave" else 2.0 * np.pi, RATHORE_GRID[0])
        t = np.linspace(0.0, 1.0, RATHORE_GRID[1])
        xx, tt = np.meshgrid(x, t, indexing="ij")
        return ReferenceGrid((x, t), exact(xx, tt), ("x", "t"))
    if problem == "allen_cahn":
        if data_dir is None:
            raise ConfigError("data", "the Allen–Cahn reference needs the 'pinn-reference' data folder")
        x, t, u = load_allen_cahn_reference(data_dir)
        return ReferenceGrid((x, t), u, ("x", "t"))
    if problem == "kuramoto_sivashinsky":
        if data_dir is None:
            raise ConfigError("data", "the Kuramoto–Sivashinsky reference needs the 'pinn-benchmarks' data folder (--data)")
        (t, x), fields = load_jaxpi_grid(os.path.join(data_dir, KS_FILE), ("usol",), ("t", "x"))
        n = int(KS_T_END / (t[-1] - t[0]) * len(t))  # jaxpi: int(time_fraction * len(t))
        return ReferenceGrid((x, t[:n]), fields["usol"][:n].T, ("x", "t"))
    raise ConfigError("pde", f"no reference grid for {problem!r}")


def predict_grid(model: PINN, grid: ReferenceGrid) -> np.ndarray:
    """The PINN's field on `grid`, shape of `grid.u`."""
    p = next(model.parameters())
    points = torch.as_tensor(grid.points, dtype=p.dtype, device=p.device)
    return model.predict(points).cpu().numpy().reshape(grid.u.shape)


def grid_error(model: PINN, grid: ReferenceGrid) -> float:
    """Relative L2 error of the PINN against the reference on `grid`."""
    return relative_l2(predict_grid(model, grid), grid.u)


def reference_points(problem: str, data_dir: str | os.PathLike[str] | None) -> ScatteredReference:
    """The scattered reference nodes of a PINNacle problem: its COMSOL nodes from the fetched `pinn-benchmarks`
    folder; (PNd, HNd) 32,768 scrambled-Sobol test points of the domain with the analytic solution; (Heat 2d-MS)
    the 201 x 51 grid of [0, 1]^2 at t = 0, 0.2, ..., 5 (266,526 points) with the analytic solution."""
    if problem not in SCATTERED:
        raise ConfigError("pde", f"no scattered reference for {problem!r}; those with one: {sorted(SCATTERED)}")
    if problem in ANALYTIC_NODES:
        domain = PROBLEMS[problem](n_condition=1, hard_constraints=False).domain
        if problem == "heat_2d_ms":
            axes = [np.linspace(lo, hi, n) for lo, hi, n in zip(domain.lower, domain.upper, HEAT_MS_GRID, strict=True)]
            points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))
        else:
            points = domain.sample_interior(N_TEST_NODES, "sobol", TEST_SEED)
        return _analytic(problem, points, tuple(domain.names))
    if data_dir is None:
        raise ConfigError("data", f"the {problem} reference needs the 'pinn-benchmarks' data folder (--data)")
    file, names, fields = REFERENCE_FILES[problem]
    return load_pinnacle_dat(os.path.join(data_dir, file), names, fields)


def validation_points(problem: str, n: int = N_VALIDATION, seed: int = VALIDATION_SEED) -> ScatteredReference:
    """Validation nodes of an analytic PINNacle problem: `n` uniform random points of its domain with the exact
    solution, disjoint in construction from the test nodes of `reference_points` (choose settings on these).

    Raises:
        ConfigError: the problem has no analytic solution here.
    """
    if problem not in ANALYTIC_NODES:
        raise ConfigError("pde", f"no analytic validation nodes for {problem!r}; those with them: {sorted(ANALYTIC_NODES)}")
    domain = PROBLEMS[problem](n_condition=1, hard_constraints=False).domain
    return _analytic(problem, domain.sample_interior(n, "uniform", seed), tuple(domain.names))


def _analytic(problem: str, points: np.ndarray, names: tuple[str, ...]) -> ScatteredReference:
    """The exact solution of an analytic problem at `points` (N, d), checked finite."""
    values = ANALYTIC_NODES[problem](points)[:, None]
    _check_finite(problem, values, points, None)
    return ScatteredReference(points, values, names, ("u",), source="analytic")


def predict_points(model: PINN, points: np.ndarray) -> np.ndarray:
    """The PINN's fields (N, k) at points (N, d)."""
    p = next(model.parameters())
    return model.predict(torch.as_tensor(points, dtype=p.dtype, device=p.device)).cpu().numpy()


def scattered_error(model: PINN, reference: ScatteredReference) -> dict[str, float]:
    """PINNacle's L2RE over all fields flattened (`rel_l2`) and each field's relative L2 (`rel_l2_<field>`)."""
    pred = predict_points(model, reference.points)
    if pred.shape != reference.values.shape:
        raise ConfigError("pde", f"the model gives {pred.shape[1]} fields, the reference has {reference.fields}")
    out = {"rel_l2": relative_l2(pred, reference.values)}
    if len(reference.fields) > 1:
        out.update({f"rel_l2_{name}": relative_l2(pred[:, i], reference.values[:, i])
                    for i, name in enumerate(reference.fields)})
    return out
