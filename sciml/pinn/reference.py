"""Exact and reference solutions: Burgers by Cole–Hopf, Allen–Cahn from AC.mat, analytic heat/Poisson."""

from __future__ import annotations

import os
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


def relative_l2(prediction: np.ndarray, exact: np.ndarray) -> float:
    """||prediction - exact||_2 / ||exact||_2 over all points."""
    prediction, exact = np.asarray(prediction, dtype=np.float64), np.asarray(exact, dtype=np.float64)
    return float(np.linalg.norm((prediction - exact).ravel()) / np.linalg.norm(exact.ravel()))


def _loadmat(path: Path, wanted: dict[str, int]) -> dict[str, np.ndarray]:
    """Read a MATLAB file and check it holds `wanted` variables of the given number of dimensions."""
    from scipy.io import loadmat
    from scipy.io.matlab import MatReadError

    if not path.is_file():
        raise InputError(path, "reference file not found (fetch the 'pinn-reference' data set)")
    try:
        data = loadmat(str(path))
    except (MatReadError, ValueError, OSError, TypeError) as exc:
        raise InputError(path, f"not a readable MATLAB file ({exc})") from None
    for name, ndim in wanted.items():
        if name not in data:
            raise InputError(path, f"variable '{name}' missing (has {sorted(k for k in data if not k.startswith('__'))})")
        if np.ndim(data[name]) != ndim or not np.all(np.isfinite(data[name])):
            raise InputError(path, f"variable '{name}' is not a finite {ndim}-d array", record=name)
    return data
