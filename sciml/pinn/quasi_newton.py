"""Dense quasi-Newton optimisers: BFGS, self-scaled BFGS and self-scaled Broyden with a full inverse Hessian.

For the small networks of PINNs (Raissi's 8 x 20 tanh net has ~3,000 parameters) a dense
n x n inverse-Hessian approximation is affordable (72 MB in float64) and, unlike L-BFGS's few
curvature pairs, it keeps the curvature of every step (Urban, Stefanou & Pons 2025, J. Comput.
Phys.; Kiyani et al. 2025). The update is the inverse form of the self-scaled Broyden family
(Al-Baali 1998; Al-Baali, Spedicato & Maggioni 2014):

    H+ = (H - H y y^T H / (y^T H y) + phi (y^T H y) v v^T) / tau + s s^T / (y^T s),
    v  = s / (y^T s) - H y / (y^T H y),

with s the step and y the change of the gradient; "bfgs" is phi = 1, tau = 1; "ssbfgs" is
phi = 1, tau = min(1, 1 / b) (b = s^T B s / y^T s); "ssbroyden" chooses phi and tau as in Urban
et al. 2025 (their "SSBroyden2"). scipy gives only plain BFGS, and its update and line search
work on one opaque `minimize` call (no chunked stepping, checkpoint or resume), so the updates are
written here; the strong-Wolfe line search is scipy's (`scipy.optimize.line_search`).

`DenseQuasiNewton` is a `torch.optim.Optimizer` used like `torch.optim.LBFGS`:
`step(closure)` runs up to `max_iter` iterations and `state_dict()` holds H, so a run can be
checkpointed and resumed exactly.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import torch
from scipy.optimize import line_search
from scipy.optimize._linesearch import LineSearchWarning

from sciml.errors import ConfigError
from sciml.pinn.settings import DENSE_METHODS

MAX_PARAMETERS = 20000  # a 20,000 x 20,000 float64 matrix is 3.2 GB


class DenseQuasiNewton(torch.optim.Optimizer):
    """Full-memory quasi-Newton minimiser with a strong-Wolfe line search.

    Parameters
    ----------
    params : the parameters (one group); n = their total number of elements (<= MAX_PARAMETERS).
    method : "bfgs", "ssbfgs" or "ssbroyden".
    max_iter : iterations per `step(closure)` call.
    c1, c2 : Wolfe constants (sufficient decrease, curvature).
    max_ls : line-search iterations per step.
    tolerance_grad : stop when the largest |gradient| entry falls below this.
    """

    def __init__(self, params, method: str = "ssbroyden", max_iter: int = 50, c1: float = 1e-4, c2: float = 0.9,
                 max_ls: int = 25, tolerance_grad: float = 1e-12):
        if method not in DENSE_METHODS:
            raise ConfigError("pinn.optimizer2", f"dense quasi-Newton method must be one of {DENSE_METHODS}, got {method!r}")
        super().__init__(params, dict(method=method, max_iter=max_iter, c1=c1, c2=c2, max_ls=max_ls,
                                      tolerance_grad=tolerance_grad))
        if len(self.param_groups) != 1:
            raise ValueError("DenseQuasiNewton takes one parameter group")
        self._params = [p for p in self.param_groups[0]["params"] if p.requires_grad]
        n = sum(p.numel() for p in self._params)
        if n > MAX_PARAMETERS:
            raise ConfigError("pinn.optimizer2", f"{method} stores a dense {n} x {n} inverse Hessian; "
                                                 f"use lbfgs for networks with more than {MAX_PARAMETERS} parameters")

    # ---- flat parameter vector <-> parameters
    def _flat_params(self) -> torch.Tensor:
        return torch.cat([p.detach().reshape(-1) for p in self._params])

    @torch.no_grad()
    def _set_params(self, x: torch.Tensor) -> None:
        offset = 0
        for p in self._params:
            p.copy_(x[offset : offset + p.numel()].view_as(p))
            offset += p.numel()

    def _flat_grad(self) -> torch.Tensor:
        return torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).reshape(-1) for p in self._params])

    def step(self, closure: Callable[[], torch.Tensor]) -> torch.Tensor:  # type: ignore[override]
        """Run up to `max_iter` quasi-Newton iterations; returns the loss at the start.

        `closure` zeroes the gradients, computes the loss (scalar tensor), calls backward and returns it.
        """
        group = self.param_groups[0]
        state = self.state[self._params[0]]
        state.setdefault("n_iter", 0)
        closure = torch.enable_grad()(closure)
        ref = self._params[0]
        cache: dict[str, object] = {}

        def evaluate(x: np.ndarray) -> tuple[float, np.ndarray]:
            """Loss and gradient at the flat parameters x (n,); the last point is cached."""
            if cache.get("x") is not None and np.array_equal(cache["x"], x):
                return cache["f"], cache["g"]  # type: ignore[return-value]
            self._set_params(torch.as_tensor(x, dtype=ref.dtype, device=ref.device))
            loss = closure()
            f, g = float(loss.detach()), self._flat_grad().detach().cpu().numpy().astype(np.float64)
            cache.update(x=x.copy(), f=f, g=g, loss=loss)
            return f, g

        x = self._flat_params().cpu().numpy().astype(np.float64)
        f, g = evaluate(x)
        start_loss = cache["loss"]
        if not math.isfinite(f) or np.abs(g).max() <= group["tolerance_grad"]:
            return start_loss  # type: ignore[return-value]
        n = len(x)
        H = state.get("H")
        old_old_f = state.get("old_old_f", f + float(np.linalg.norm(g)) / 2)
        fresh = H is None
        shrink = 0  # restarts from steepest descent with the direction scaled by 1e-3 ** shrink
        for _ in range(group["max_iter"]):
            p = -g if H is None else -(H @ torch.as_tensor(g, dtype=H.dtype, device=H.device)).cpu().numpy()
            if not np.dot(p, g) < 0:  # not a descent direction: restart from steepest descent
                H, fresh, p = None, True, -g
            p = p * 1e-3**shrink
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", LineSearchWarning)
                alpha, _, _, f_new, _, _ = line_search(lambda z: evaluate(z)[0], lambda z: evaluate(z)[1], x, p, g,
                                                       f, None if shrink else old_old_f, c1=group["c1"],
                                                       c2=group["c2"], maxiter=group["max_ls"])
            if alpha is None or f_new is None or not math.isfinite(f_new):
                # restart from steepest descent; after a failed restart, with a 1e-3 times shorter first
                # trial step: scipy's zoom (10 bisection-like iterations) cannot shrink a step of length
                # ~|g| to the ~1e-4 |g| that the stiff PINN loss accepts right after new points are added
                if fresh:
                    shrink += 1
                    if shrink > 3:  # even a 1e-9 times shorter steepest-descent step failed: give up this call
                        break
                H, fresh, old_old_f = None, True, f + float(np.linalg.norm(g)) / 2
                continue
            shrink = 0
            x_new = x + alpha * p
            f_new, g_new = evaluate(x_new)
            s, y = x_new - x, g_new - g
            if H is None:  # first pair: scale the identity by s^T y / y^T y (Nocedal & Wright eq. 6.20)
                H = torch.eye(n, dtype=ref.dtype, device=ref.device) * (float(s @ y) / float(y @ y)
                                                                        if float(s @ y) > 0 else 1.0)
            else:
                self._update(H, s, y, alpha, g, group["method"])
            fresh = False
            old_old_f, f, x, g = f, f_new, x_new, g_new
            state["n_iter"] += 1
            if np.abs(g).max() <= group["tolerance_grad"]:
                break
        self._set_params(torch.as_tensor(x, dtype=ref.dtype, device=ref.device))
        state["H"], state["old_old_f"] = H, old_old_f
        return start_loss  # type: ignore[return-value]

    @staticmethod
    def _update(H: torch.Tensor, s_np: np.ndarray, y_np: np.ndarray, alpha: float, g_old: np.ndarray,
                method: str) -> None:
        """In-place self-scaled Broyden-family update of the inverse Hessian H (n, n) from s, y (n,)."""
        ys = float(s_np @ y_np)
        if not ys > 1e-300:  # curvature condition failed numerically: skip this pair
            return
        s = torch.as_tensor(s_np, dtype=H.dtype, device=H.device)
        y = torch.as_tensor(y_np, dtype=H.dtype, device=H.device)
        Hy = H @ y
        yHy = float(y @ Hy)
        if not yHy > 0:
            return
        rho = 1.0 / ys
        h = yHy * rho                               # y^T H y / y^T s
        b = -alpha * rho * float(s_np @ g_old)      # s^T B s / y^T s, since B s = -alpha g
        a = b * h - 1.0                             # >= 0 for positive-definite H (Cauchy-Schwarz)
        theta, tau = 0.0, 1.0                       # BFGS
        if method == "ssbfgs":
            tau = min(1.0, 1.0 / b)
        elif method == "ssbroyden" and a > 1e-12:
            n = H.shape[0]
            root = math.sqrt(a / (1.0 + a))
            rho_minus = min(1.0, h * (1.0 - root))
            theta_minus = (rho_minus - 1.0) / a
            theta_plus = 1.0 / rho_minus
            theta = max(theta_minus, min(theta_plus, (1.0 - b) / b))
            sigma = 1.0 + theta * a
            sigma_root = abs(sigma) ** (1.0 / (1 - n))
            scale = min(1.0, 1.0 / b)
            tau = min(scale * sigma_root, sigma) if theta <= 0 else scale * min(sigma_root, 1.0 / theta)
        elif method == "ssbroyden":
            tau = min(1.0, 1.0 / b)
        phi = (1.0 - theta) / (1.0 + a * theta)
        v = s * rho - Hy / yHy
        # one pass over H: H <- H / tau + U diag(c) U^T with U = [Hy, v, s]
        U = torch.stack([Hy, v, s], dim=1)
        c = torch.tensor([-1.0 / (yHy * tau), phi * yHy / tau, rho], dtype=H.dtype, device=H.device)
        H.addmm_(U * c, U.T, beta=1.0 / tau)
