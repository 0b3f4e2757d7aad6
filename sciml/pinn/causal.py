"""Causal weighting of the PDE residual in time (Wang, Sankaran & Perdikaris 2022, "Respecting causality").

The time axis is split into `n_slabs` equal slabs; L_i is the mean squared residual of the
collocation points in slab i. The residual loss is the mean over slabs of w_i L_i with
w_i = exp(-eps * sum_{k<i} L_k), the weights held constant (no gradient through them): a slab is
trained only once every earlier slab fits the PDE, so the solution is learnt forward in time as in
a time-stepping solver. `eps` steps up through a schedule whenever every weight exceeds `tol`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from sciml.errors import ConfigError


def causal_weights(slab_losses: torch.Tensor, eps: float) -> torch.Tensor:
    """w_i = exp(-eps * sum_{k<i} L_k) for slab losses (M,) -> (M,), detached; w_0 = 1, non-increasing."""
    loss = slab_losses.detach()
    before = torch.cumsum(loss, 0) - loss
    return torch.exp(-eps * before)


class CausalWeighting:
    """Slab-wise residual loss with causal weights and an annealed `eps`.

    lower, upper : extent of the time coordinate ; n_slabs : M ; dim : index of time in the points.
    eps_schedule : increasing eps values; `level` indexes the current one.
    tol : `advance` moves to the next eps once min_i w_i > tol.
    """

    def __init__(self, lower: float, upper: float, n_slabs: int, eps_schedule: Sequence[float], tol: float,
                 dim: int) -> None:
        if n_slabs < 2:
            raise ConfigError("pinn.causal_slabs", f"causal weighting needs >= 2 time slabs, got {n_slabs}")
        if not eps_schedule or any(e <= 0 for e in eps_schedule):
            raise ConfigError("pinn.causal_eps", f"needs one or more values > 0, got {list(eps_schedule)}")
        if list(eps_schedule) != sorted(eps_schedule):
            raise ConfigError("pinn.causal_eps", f"must increase, got {list(eps_schedule)}")
        if not 0.0 < tol < 1.0:
            raise ConfigError("pinn.causal_tol", f"must lie in (0, 1), got {tol}")
        self.lower, self.upper, self.n_slabs, self.dim = float(lower), float(upper), int(n_slabs), int(dim)
        self.eps_schedule, self.tol = [float(e) for e in eps_schedule], float(tol)
        self.level = 0
        self.frozen: torch.Tensor | None = None

    @property
    def eps(self) -> float:
        return self.eps_schedule[self.level]

    def slab_losses(self, points: torch.Tensor, residual: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean squared residual per slab (M,) and the number of points per slab (M,).

        points : (N, d) collocation points ; residual : (N, m) or (N,) residual at them (squares summed over
        the m equations).
        """
        t = points[:, self.dim].detach()
        index = ((t - self.lower) / (self.upper - self.lower) * self.n_slabs).long().clamp_(0, self.n_slabs - 1)
        sq = residual.pow(2).reshape(len(points), -1).sum(1)
        total = torch.zeros(self.n_slabs, dtype=sq.dtype, device=sq.device).index_add(0, index, sq)
        count = torch.bincount(index, minlength=self.n_slabs).to(sq.dtype)
        return total / count.clamp(min=1.0), count

    def weights(self, slab_losses: torch.Tensor) -> torch.Tensor:
        """The frozen weights when set (see `freeze`), else the causal weights of `slab_losses` (M,)."""
        return self.frozen if self.frozen is not None else causal_weights(slab_losses, self.eps)

    def loss(self, points: torch.Tensor, residual: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Causally weighted residual loss (scalar) and the weights used (M,); empty slabs are left out."""
        losses, count = self.slab_losses(points, residual)
        w = self.weights(losses)
        filled = count > 0
        return (w * losses)[filled].mean(), w

    def freeze(self, weights: torch.Tensor | None) -> None:
        """Hold the weights fixed (L-BFGS needs one objective per line search); None releases them."""
        self.frozen = None if weights is None else weights.detach()

    def advance(self, weights: torch.Tensor) -> bool:
        """Step to the next eps when every weight exceeds `tol`; True when the level changed."""
        if self.level + 1 < len(self.eps_schedule) and float(weights.min()) > self.tol:
            self.level += 1
            return True
        return False
