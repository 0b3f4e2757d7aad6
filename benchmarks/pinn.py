"""Speed and memory of the PINN building blocks -> results/bench/pinn.json.

Measured on one thread: the Burgers loss + gradient (Raissi's 8 x 20 tanh net, 10k collocation
points) in float32 and float64, one L-BFGS iteration and one dense self-scaled Broyden iteration
(3,021 x 3,021 inverse Hessian, `sciml.pinn.quasi_newton`), and the exact Cole–Hopf reference on the
256 x 100 evaluation grid. Timings on a shared machine vary with its load.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import torch

from sciml.files import write_text_atomic
from sciml.pinn import build_pinn, burgers, burgers_cole_hopf, sample_domain
from sciml.pinn.quasi_newton import DenseQuasiNewton


def _median_seconds(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def loss_gradient_timing(dtype: torch.dtype, n_points: int, repeats: int) -> dict[str, float]:
    """Median time of one residual loss + backward pass of the Burgers PINN."""
    pde = burgers()
    model = build_pinn(pde, {"width": 20, "depth": 8}, dtype)
    x = torch.as_tensor(sample_domain(pde.domain, n_points, "lhs", 0), dtype=dtype)

    def step() -> None:
        model.zero_grad(set_to_none=True)
        xs = x.clone().requires_grad_(True)
        pde.residual(xs, model(xs), {}).pow(2).mean().backward()

    seconds = _median_seconds(step, repeats)
    return {"loss_grad_seconds": seconds, "points_per_s": n_points / seconds}


def second_phase_iteration_timing(n_points: int, repeats: int, optimizer: str) -> float:
    """Median time of one strong-Wolfe iteration (float64) of L-BFGS or dense SSBroyden on the Burgers loss."""
    pde = burgers()
    model = build_pinn(pde, {"width": 20, "depth": 8})
    x = torch.as_tensor(sample_domain(pde.domain, n_points, "lhs", 0), dtype=torch.float64)
    if optimizer == "lbfgs":
        opt = torch.optim.LBFGS(model.parameters(), max_iter=1, line_search_fn="strong_wolfe")
    else:
        opt = DenseQuasiNewton(model.parameters(), method=optimizer, max_iter=1)

    def closure() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        xs = x.clone().requires_grad_(True)
        loss = pde.residual(xs, model(xs), {}).pow(2).mean()
        loss.backward()
        return loss

    return _median_seconds(lambda: opt.step(closure), repeats)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-points", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("results/bench/pinn.json"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    report: dict[str, object] = {"n_points": args.n_points, "threads": 1, "torch_version": torch.__version__}
    for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        report[f"burgers_loss_{name}"] = loss_gradient_timing(dtype, args.n_points, args.repeats)
    for optimizer in ("lbfgs", "ssbroyden"):
        report[f"{optimizer}_iteration_float64_seconds"] = second_phase_iteration_timing(args.n_points, args.repeats,
                                                                                          optimizer)
    x, t = np.meshgrid(np.linspace(-1, 1, 256), np.linspace(0, 0.99, 100), indexing="ij")
    report["cole_hopf_grid_seconds"] = _median_seconds(lambda: burgers_cole_hopf(x, t), 3)
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write_text_atomic(args.out, json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
