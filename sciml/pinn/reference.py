"""Exact and reference solutions: Burgers by Cole–Hopf, the `.mat` / PINNacle `.dat` benchmark references, analytic fields.

Grid references (`burgers_shock.mat`, `AC.mat`, jaxpi's `allen_cahn.mat`, `ks_chaotic.mat`,
`ldc_Re*.mat`) are read into arrays; PINNacle's COMSOL exports (`%` comment lines, then one node
per line: coordinates then fields) into a `ScatteredReference`. The relative L2 error (L2RE) is
the one each benchmark defines: PINNacle flattens every field of every node into one vector
(`relative_l2(pred, ref)` over the (N, k) arrays); jaxpi scores each field on its grid.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import logsumexp

from sciml.errors import InputError


def burgers_cole_hopf(x: np.ndarray, t: np.ndarray, nu: float = 0.01 / np.pi, n_nodes: int = 120) -> np.ndarray:
    """Exact viscous Burgers solution for u0 = -sin(pi x) (Cole–Hopf + Gauss–Hermite quadrature).

    u(x, t) = -∫ sin(pi y) f(y) G dη / ∫ f(y) G dη with y = x - η, f(y) = exp(-cos(pi y) / (2 pi nu))
    and G the heat kernel; substituting η = sqrt(4 nu t) z turns both integrals into Gauss–Hermite
    sums. The exponent reaches 1 / (2 pi nu) = 50, so the ratio is taken in log-sum-exp form.

    Parameters
    ----------
    x, t : arrays of the same shape (any), t >= 0.
    nu : viscosity.
    n_nodes : Gauss–Hermite nodes (100+ gives ~1e-12 agreement with the published reference).

    Returns
    -------
    u : array of the shape of `x`.
    """
    x, t = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64))
    z, w = np.polynomial.hermite.hermgauss(n_nodes)
    y = x[..., None] - np.sqrt(4.0 * nu * t)[..., None] * z  # (..., n_nodes)
    log_f = -np.cos(np.pi * y) / (2.0 * np.pi * nu)
    sin_y = np.sin(np.pi * y)
    log_den = logsumexp(log_f, b=w, axis=-1)
    # the numerator's weights change sign: split it into positive and negative parts
    log_pos = logsumexp(log_f, b=w * np.clip(sin_y, 0.0, None), axis=-1)
    log_neg = logsumexp(log_f, b=w * np.clip(-sin_y, 0.0, None), axis=-1)
    u = -(np.exp(log_pos - log_den) - np.exp(log_neg - log_den))
    return np.where(t > 0, u, -np.sin(np.pi * x))


def load_burgers_reference(folder: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raissi et al.'s Burgers reference `burgers_shock.mat` from a fetched `pinn-reference` folder.

    Returns
    -------
    x : (256,) ; t : (100,) ; u : (256, 100) with u[i, j] = u(x_i, t_j).
    """
    data = _loadmat(Path(folder) / "burgers_shock.mat", {"x": 2, "t": 2, "usol": 2})
    x, t, u = data["x"].ravel(), data["t"].ravel(), np.real(data["usol"])
    if u.shape != (x.size, t.size):
        raise InputError(Path(folder) / "burgers_shock.mat", f"usol has shape {u.shape}, expected {(x.size, t.size)}")
    return x.astype(np.float64), t.astype(np.float64), u.astype(np.float64)


def load_allen_cahn_reference(folder: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allen–Cahn reference `AC.mat` (Raissi et al. 2019) from a fetched `pinn-reference` folder.

    Returns
    -------
    x : (512,) in [-1, 1) ; t : (201,) in [0, 1] ; u : (512, 201) with u[i, j] = u(x_i, t_j).
    """
    data = _loadmat(Path(folder) / "AC.mat", {"x": 2, "tt": 2, "uu": 2})
    x, t, u = data["x"].ravel(), data["tt"].ravel(), np.real(data["uu"])
    if u.shape != (x.size, t.size):
        raise InputError(Path(folder) / "AC.mat", f"uu has shape {u.shape}, expected {(x.size, t.size)}")
    return x.astype(np.float64), t.astype(np.float64), u.astype(np.float64)


def heat_exact(x: np.ndarray, t: np.ndarray, diffusivity: float = 0.4) -> np.ndarray:
    """u = exp(-pi^2 a t) sin(pi x): heat equation on [0, 1] with zero Dirichlet ends, u0 = sin(pi x)."""
    return np.exp(-(np.pi**2) * diffusivity * np.asarray(t)) * np.sin(np.pi * np.asarray(x))


def poisson_exact(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Manufactured solution u = sin(pi x) sin(2 pi y) of -Δu = 5 pi^2 u on [0, 1]^2, u = 0 on the edge."""
    return np.sin(np.pi * np.asarray(x)) * np.sin(2.0 * np.pi * np.asarray(y))


def convection_exact(x: np.ndarray, t: np.ndarray, beta: float = 40.0) -> np.ndarray:
    """u = sin(x - beta t): u_t + beta u_x = 0 on x in [0, 2 pi] (periodic), u0 = sin x (Rathore et al. 2024)."""
    return np.sin(np.asarray(x) - beta * np.asarray(t))


def reaction_initial(x: np.ndarray) -> np.ndarray:
    """h(x) = exp(-(x - pi)^2 / (2 (pi / 4)^2)), the Gaussian initial condition of the reaction problem."""
    return np.exp(-0.5 * ((np.asarray(x) - np.pi) / (np.pi / 4.0)) ** 2)


def reaction_exact(x: np.ndarray, t: np.ndarray, rho: float = 5.0) -> np.ndarray:
    """u = h e^(rho t) / (h e^(rho t) + 1 - h): u_t = rho u (1 - u) with u0 = h (Rathore et al. 2024)."""
    h = reaction_initial(x)
    grown = h * np.exp(rho * np.asarray(t))
    return grown / (grown + 1.0 - h)


def wave_exact(x: np.ndarray, t: np.ndarray, beta: float = 5.0, c: float = 2.0) -> np.ndarray:
    """u = sin(pi x) cos(c pi t) + sin(beta pi x) cos(c beta pi t) / 2: u_tt = c^2 u_xx on [0, 1], zero ends."""
    x, t = np.asarray(x), np.asarray(t)
    return np.sin(np.pi * x) * np.cos(c * np.pi * t) + 0.5 * np.sin(beta * np.pi * x) * np.cos(c * beta * np.pi * t)


def poisson_nd_exact(points: np.ndarray) -> np.ndarray:
    """u = sum_i sin(pi x_i / 2): PINNacle's PNd, -lap u = pi^2 / 4 sum_i sin(pi x_i / 2) on [0, 1]^d.

    Shapes:
        points: (N, d) -> (N,).
    """
    return np.sin(0.5 * np.pi * np.asarray(points, dtype=np.float64)).sum(axis=1)


def heat_nd_exact(points: np.ndarray) -> np.ndarray:
    """u = exp(|x|^2 / 2 + t): PINNacle's HNd on the unit ball x time, u_t = lap u / d - |x|^2 u / d.

    Shapes:
        points: (N, d + 1), the time last -> (N,).
    """
    points = np.asarray(points, dtype=np.float64)
    return np.exp(0.5 * (points[:, :-1] ** 2).sum(axis=1) + points[:, -1])


# PINNacle's Heat 2d-MS (`src/pde/heat.py`, `HeatMultiscale`): diffusivities in x and y, initial wave numbers.
HEAT_MS_DIFFUSIVITY = (1.0 / (500.0 * np.pi) ** 2, 1.0 / np.pi**2)
HEAT_MS_WAVENUMBER = (20.0 * np.pi, np.pi)


def heat_2d_ms_exact(points: np.ndarray) -> np.ndarray:
    """u = sin(k1 x) sin(k2 y) exp(-(a1 k1^2 + a2 k2^2) t): PINNacle's Heat 2d-MS, u_t = a1 u_xx + a2 u_yy.

    a = (1 / (500 pi)^2, 1 / pi^2), k = (20 pi, pi): one separable mode decaying at the rate 1.0016.

    Shapes:
        points: (N, 3) columns x, y, t -> (N,).
    """
    points = np.asarray(points, dtype=np.float64)
    (a1, a2), (k1, k2) = HEAT_MS_DIFFUSIVITY, HEAT_MS_WAVENUMBER
    rate = a1 * k1**2 + a2 * k2**2
    return np.sin(k1 * points[:, 0]) * np.sin(k2 * points[:, 1]) * np.exp(-rate * points[:, 2])


def ks_initial(x: np.ndarray) -> np.ndarray:
    """u0 = cos x (1 + sin x), the initial condition of jaxpi's chaotic Kuramoto–Sivashinsky problem."""
    x = np.asarray(x, dtype=np.float64)
    return np.cos(x) * (1.0 + np.sin(x))


def relative_l2(prediction: np.ndarray, exact: np.ndarray) -> float:
    """||prediction - exact||_2 / ||exact||_2 over all points."""
    prediction, exact = np.asarray(prediction, dtype=np.float64), np.asarray(exact, dtype=np.float64)
    return float(np.linalg.norm((prediction - exact).ravel()) / np.linalg.norm(exact.ravel()))


@dataclass(frozen=True)
class ScatteredReference:
    """Reference values at scattered nodes (a COMSOL export).

    Attributes:
        points: (N, d) node coordinates.
        values: (N, k) reference fields at the nodes.
        names: the d coordinate names.
        fields: the k field names (e.g. ("u", "v", "p")).
        source: the file it was read from.
    """

    points: np.ndarray
    values: np.ndarray
    names: tuple[str, ...]
    fields: tuple[str, ...]
    source: str = ""


def load_pinnacle_dat(path: str | os.PathLike[str], names: tuple[str, ...], fields: tuple[str, ...]) -> ScatteredReference:
    """Read a PINNacle reference (`ref/*.dat`, a COMSOL export): `%` comment lines, then one node per line.

    Args:
        path: the `.dat` file.
        names: coordinate names, one per leading column (e.g. ("x", "y")).
        fields: field names, one per remaining column (e.g. ("u", "v", "p")).

    Returns:
        The nodes and fields, float64.

    Raises:
        InputError: missing file, a line that is not len(names) + len(fields) numbers, a non-finite
            value (the message names the line), or no data line at all.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "reference file not found (fetch the 'pinn-benchmarks' data set)")
    n_cols = len(names) + len(fields)
    rows: list[list[float]] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text or text.startswith("%"):
                continue
            parts = text.split()
            if len(parts) != n_cols:
                raise InputError(path, f"{len(parts)} columns, expected {n_cols} ({', '.join(names + fields)})",
                                 record=f"line {number}")
            try:
                row = [float(v) for v in parts]
            except ValueError:
                raise InputError(path, f"not a number in {text[:60]!r}", record=f"line {number}") from None
            if not all(np.isfinite(row)):
                raise InputError(path, "non-finite value (NaN or inf) in the reference", record=f"line {number}")
            rows.append(row)
    if not rows:
        raise InputError(path, "no data lines (only comments or empty)")
    table = np.asarray(rows, dtype=np.float64)
    return ScatteredReference(table[:, : len(names)], table[:, len(names) :], tuple(names), tuple(fields), str(path))


def load_jaxpi_grid(path: str | os.PathLike[str], fields: tuple[str, ...] = ("usol",),
                    axes: tuple[str, ...] = ("t", "x")) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """Read a jaxpi reference (`allen_cahn.mat`, `ks_chaotic.mat`: usol[i, j] = u(t_i, x_j); `ldc_Re*.mat`: u, v[i, j] at (x_i, y_j)).

    Args:
        path: the `.mat` file.
        fields: the 2-d field variables to read.
        axes: the 1-d axis variables, in the field's index order.

    Returns:
        The axes (1-d arrays) and the fields by name, each of shape (len(axes[0]), len(axes[1])).

    Raises:
        InputError: missing file or variable, a non-finite value, a field whose shape does not match the axes.
    """
    path = Path(path)
    data = _loadmat(path, {**{a: 2 for a in axes}, **{f: 2 for f in fields}})
    axis_values = [np.asarray(data[a], dtype=np.float64).ravel() for a in axes]
    shape = tuple(a.size for a in axis_values)
    out = {}
    for name in fields:
        value = np.asarray(np.real(data[name]), dtype=np.float64)
        if value.shape != shape:
            raise InputError(path, f"{name} has shape {value.shape}, expected {shape} from {axes}", record=name)
        out[name] = value
    return axis_values, out


def _loadmat(path: Path, wanted: dict[str, int]) -> dict[str, np.ndarray]:
    """Read a MATLAB file and check it holds `wanted` variables of the given number of dimensions."""
    from scipy.io import loadmat
    from scipy.io.matlab import MatReadError

    if not path.is_file():
        raise InputError(path, "reference file not found (fetch the 'pinn-reference' or 'pinn-benchmarks' data set)")
    try:
        data = loadmat(str(path))
    except (MatReadError, ValueError, OSError, TypeError, IndexError, EOFError, KeyError) as exc:
        raise InputError(path, f"not a readable MATLAB file ({exc})") from None
    for name, ndim in wanted.items():
        if name not in data:
            raise InputError(path, f"variable '{name}' missing (has {sorted(k for k in data if not k.startswith('__'))})")
        if np.ndim(data[name]) != ndim or not np.all(np.isfinite(data[name])):
            raise InputError(path, f"variable '{name}' is not a finite {ndim}-d array", record=name)
    return data
