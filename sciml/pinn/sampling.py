"""Collocation sampling: Latin hypercube or scrambled Sobol (scipy.stats.qmc), and residual-based refinement."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sciml.errors import ConfigError

if TYPE_CHECKING:
    from sciml.pinn.geometry import Geometry

SAMPLERS = ("lhs", "sobol", "uniform")
RAR_METHODS = ("topk", "density")


def unit_samples(n: int, dim: int, method: str = "lhs", seed: int = 0) -> np.ndarray:
    """`n` points in the unit cube `[0, 1]^dim`, shape (n, dim).

    method : "lhs" (Latin hypercube), "sobol" (scrambled Sobol; n need not be a power of 2)
        or "uniform" (i.i.d.).
    """
    from scipy.stats import qmc

    if n < 1 or dim < 1:
        raise ConfigError("n_collocation", f"need n >= 1 and dim >= 1, got n={n}, dim={dim}")
    rng = np.random.default_rng(seed)
    if method == "lhs":
        return qmc.LatinHypercube(d=dim, rng=rng).random(n)
    if method == "sobol":
        sampler = qmc.Sobol(d=dim, scramble=True, rng=rng)
        return sampler.random_base2(int(np.ceil(np.log2(n))))[:n]
    if method == "uniform":
        return rng.random((n, dim))
    raise ConfigError("sampler", f"unknown sampler {method!r}; choose one of {SAMPLERS}")


def sample_domain(domain: Geometry, n: int, method: str = "lhs", seed: int = 0) -> np.ndarray:
    """`n` collocation points inside `domain` (a `Box` or any `sciml.pinn.geometry.Geometry`), shape (n, d)."""
    return domain.sample_interior(n, method, seed)


def residual_refinement(
    residual_abs: Callable[[np.ndarray], np.ndarray],
    box: Geometry,
    n_candidates: int,
    n_add: int,
    seed: int = 0,
    method: str = "topk",
    power: float = 2.0,
    floor: float = 0.0,
) -> np.ndarray:
    """Residual-based adaptive refinement: new collocation points where |r| is large.

    method "topk" (RAR, Lu et al. 2021) returns the `n_add` candidates of largest |r|;
    "density" (RAR-D, Wu et al. 2023) draws `n_add` distinct candidates with probability
    proportional to |r|^power / mean(|r|^power) + floor, which spreads them over the whole
    high-residual region instead of piling them at its peak.

    Parameters
    ----------
    residual_abs : maps candidate points (M, d) to |residual| (M,).
    box : domain of the candidates (drawn by Sobol).
    n_candidates, n_add : candidate pool size and how many points to return.
    seed : seeds the candidates and the density draw.
    power, floor : the density's k and c (method "density" only).

    Returns
    -------
    (n_add, d) new collocation points.
    """
    if not 0 < n_add <= n_candidates:
        raise ConfigError("rar", f"need 0 < n_add <= n_candidates, got {n_add} and {n_candidates}")
    if method not in RAR_METHODS:
        raise ConfigError("rar_method", f"unknown method {method!r}; choose one of {RAR_METHODS}")
    if power < 0 or floor < 0:
        raise ConfigError("rar", f"density power and floor must be >= 0, got {power} and {floor}")
    candidates = sample_domain(box, n_candidates, "sobol", seed)
    score = np.asarray(residual_abs(candidates), dtype=np.float64).ravel()
    if method == "topk":
        order = np.argsort(-score, kind="stable")[:n_add]
    else:
        density = score**power
        density = density / density.mean() + floor if density.mean() > 0 else np.ones_like(density)
        # positive weight for every candidate, so `n_add` distinct ones can always be drawn
        density = np.maximum(density, 1e-300)
        order = np.random.default_rng(seed).choice(len(candidates), n_add, replace=False, p=density / density.sum())
    return candidates[np.sort(order)]
