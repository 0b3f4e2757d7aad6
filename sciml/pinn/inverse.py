"""Inverse Burgers (Raissi et al. 2019): observations of u from the reference, clean or with Gaussian noise."""

from __future__ import annotations

import numpy as np

from sciml.errors import ConfigError


def sample_observations(x: np.ndarray, t: np.ndarray, u: np.ndarray, n_obs: int, noise: float = 0.0,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n_obs` scattered observations of a gridded field, optionally with noise.

    Parameters
    ----------
    x : (nx,) ; t : (nt,) ; u : (nx, nt) the field on the grid.
    n_obs : number of distinct grid points drawn without replacement.
    noise : relative noise level; u_obs = u + noise * std(u) * N(0, 1) (Raissi et al.'s convention).

    Returns
    -------
    points : (n_obs, 2) as (x, t) ; values : (n_obs,).
    """
    if not 0 < n_obs <= u.size:
        raise ConfigError("n_observations", f"must be in 1..{u.size}, got {n_obs}")
    if noise < 0:
        raise ConfigError("noise", f"must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    flat = rng.choice(u.size, n_obs, replace=False)
    i, j = np.unravel_index(flat, u.shape)
    points = np.stack([x[i], t[j]], axis=1)
    values = u[i, j] + noise * np.std(u) * rng.standard_normal(n_obs)
    return points, values


def coefficient_errors(lambda1: float, lambda2: float, true_lambda1: float, true_lambda2: float) -> dict[str, float]:
    """Identified coefficients and their relative errors |est - true| / |true|."""
    return {
        "lambda1": lambda1,
        "lambda2": lambda2,
        "lambda1_rel_error": abs(lambda1 - true_lambda1) / abs(true_lambda1),
        "lambda2_rel_error": abs(lambda2 - true_lambda2) / abs(true_lambda2),
    }
