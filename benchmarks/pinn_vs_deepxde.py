"""sciml vs DeepXDE (PyTorch backend) on the same Burgers problem, network and collocation budget.

Both run in this one process, one after the other, on one thread, in float64: an MLP of `--depth`
hidden tanh layers of `--width` units, `--n-collocation` residual points (+ IC/BC points for
DeepXDE, which penalises them; sciml imposes them exactly), Adam (`--adam-steps`, lr 1e-3) then
L-BFGS for DeepXDE and `--optimizer2` for sciml (by default the dense self-scaled Broyden method).
With `--rar-rounds` sciml adds points during L-BFGS; DeepXDE then gets sciml's final point count
(`--deepxde-collocation`) from the start.
Every few steps the relative L2 error on the 256 x 100 grid of `burgers_shock.mat` (exact
Cole–Hopf values) is recorded with the elapsed time. The machine may be shared, so the budget and
the comparison use the process CPU time (wall times are recorded too).

Writes results/bench/pinn_vs_deepxde.json: error curves, the error of each at `--budget` seconds,
the ratio, and the time each needs to reach rel. L2 1e-3 (null if never).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DDE_BACKEND", "pytorch")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from sciml.files import write_text_atomic  # noqa: E402
from sciml.pinn import PINNTrainConfig, build_pinn, burgers, grid_error, reference_grid, train_pinn  # noqa: E402
from sciml.pinn.reference import relative_l2  # noqa: E402
from sciml.pinn.symmetry import parse_symmetry  # noqa: E402

TARGET = 1e-3


class _Budget(Exception):
    """Raised by the sciml monitor when the CPU budget is spent."""


def _clock(start_cpu: float, start_wall: float) -> tuple[float, float]:
    return time.process_time() - start_cpu, time.perf_counter() - start_wall


def run_sciml(args: argparse.Namespace, grid) -> list[dict[str, float]]:
    """sciml: hard-constrained Burgers PINN (optionally exactly odd in x), Adam -> L-BFGS (strong Wolfe), optional RAR and causal weights, until the budget is spent."""
    torch.manual_seed(args.seed)
    pde = burgers()
    pde = dataclasses.replace(pde, symmetry=parse_symmetry(args.symmetry, pde.domain))
    model = build_pinn(pde, {"width": args.width, "depth": args.depth}, seed=args.seed)
    curve: list[dict[str, float]] = []
    start_cpu, start_wall = time.process_time(), time.perf_counter()

    def monitor(m) -> dict[str, float]:
        cpu, wall = _clock(start_cpu, start_wall)
        curve.append({"cpu_seconds": cpu, "wall_seconds": wall, "rel_l2": grid_error(m, grid)})
        if cpu > args.budget:
            raise _Budget
        return {}

    config = PINNTrainConfig(n_collocation=args.n_collocation, adam_steps=args.adam_steps,
                             lbfgs_steps=args.lbfgs_steps, log_every=args.every, lbfgs_chunk=args.every,
                             lbfgs_history=args.lbfgs_history, optimizer2=args.optimizer2, stagnation_patience=10**6,
                             rar_rounds=args.rar_rounds, rar_points=args.rar_points, rar_method=args.rar_method,
                             rar_keep_history=args.rar_keep_history, causal_slabs=args.causal_slabs,
                             seed=args.seed, device="cpu")
    try:
        train_pinn(pde, model, config, monitor=monitor)
    except _Budget:
        pass
    return curve


def run_deepxde(args: argparse.Namespace, grid) -> list[dict[str, float]]:
    """DeepXDE 1.x Burgers example, with the same net, collocation budget, Adam steps, float64."""
    import deepxde as dde

    dde.config.set_default_float("float64")
    dde.config.set_random_seed(args.seed)
    torch.set_num_threads(1)
    geomtime = dde.geometry.GeometryXTime(dde.geometry.Interval(-1, 1), dde.geometry.TimeDomain(0, 0.99))

    def pde(x, y):
        dy_x = dde.grad.jacobian(y, x, i=0, j=0)
        dy_t = dde.grad.jacobian(y, x, i=0, j=1)
        dy_xx = dde.grad.hessian(y, x, i=0, j=0)
        return dy_t + y * dy_x - 0.01 / np.pi * dy_xx

    bc = dde.icbc.DirichletBC(geomtime, lambda x: 0, lambda _, on_boundary: on_boundary)
    ic = dde.icbc.IC(geomtime, lambda x: -np.sin(np.pi * x[:, 0:1]), lambda _, on_initial: on_initial)
    data = dde.data.TimePDE(geomtime, pde, [bc, ic], num_domain=args.deepxde_collocation, num_boundary=160,
                            num_initial=320)
    net = dde.nn.FNN([2] + [args.width] * args.depth + [1], "tanh", "Glorot normal")
    model = dde.Model(data, net)
    curve: list[dict[str, float]] = []
    points = grid.points

    class Record(dde.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.epoch = 0

        def on_epoch_end(self) -> None:
            self.epoch += 1
            lbfgs = self.model.opt_name == "L-BFGS"
            if lbfgs or self.epoch % args.every == 0:
                cpu, wall = _clock(start_cpu, start_wall)
                u = self.model.predict(points).reshape(grid.u.shape)
                curve.append({"cpu_seconds": cpu, "wall_seconds": wall, "rel_l2": relative_l2(u, grid.u)})
                if cpu > args.budget:
                    self.model.stop_training = True

    record = Record()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    model.compile("adam", lr=1e-3)
    model.train(iterations=args.adam_steps, callbacks=[record], display_every=10**6, verbose=0)
    if not curve or curve[-1]["cpu_seconds"] <= args.budget:
        dde.optimizers.config.LBFGS_options["iter_per_step"] = args.every
        model.compile("L-BFGS")
        model.train(callbacks=[record], display_every=10**6, verbose=0)
    return curve


def summarise(curve: list[dict[str, float]], budget: float) -> dict[str, object]:
    """Error at the budget (last record within it), best error, and first time below TARGET."""
    within = [c for c in curve if c["cpu_seconds"] <= budget] or curve[:1]
    reached = next((c for c in curve if c["rel_l2"] <= TARGET), None)
    return {
        "rel_l2_at_budget": within[-1]["rel_l2"],
        "best_rel_l2": min(c["rel_l2"] for c in curve),
        "cpu_seconds_to_1e-3": None if reached is None else reached["cpu_seconds"],
        "wall_seconds_to_1e-3": None if reached is None else reached["wall_seconds"],
        "curve": curve,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=150.0, help="CPU seconds per library")
    parser.add_argument("--width", type=int, default=20)
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--n-collocation", type=int, default=1000,
                        help="sciml's initial residual points (DeepXDE gets the final count, see --deepxde-collocation)")
    parser.add_argument("--adam-steps", type=int, default=500)
    parser.add_argument("--causal-slabs", type=int, default=0,
                        help="sciml causal weighting in time over this many slabs (0 = off: faster early on, see docs/pinn.md)")
    parser.add_argument("--symmetry", default="none",
                        help="sciml exact symmetry of the solution (odd_x: Burgers' solution is odd in x; none = off)")
    parser.add_argument("--lbfgs-steps", type=int, default=2000,
                        help="sciml L-BFGS steps in total (split into rar_rounds + 1 stages)")
    parser.add_argument("--lbfgs-history", type=int, default=50, help="sciml L-BFGS history size")
    parser.add_argument("--optimizer2", default="ssbroyden",
                        help="sciml second-phase optimiser: lbfgs, or dense bfgs, ssbfgs, ssbroyden")
    parser.add_argument("--skip-deepxde", action="store_true",
                        help="run sciml only (for exploring settings; the comparison needs both in one run)")
    parser.add_argument("--rar-rounds", type=int, default=4, help="sciml residual-based refinement rounds")
    parser.add_argument("--rar-points", type=int, default=500, help="sciml points added per RAR round")
    parser.add_argument("--rar-method", default="density", help="sciml RAR point choice: topk or density (RAR-D)")
    parser.add_argument("--rar-keep-history", action=argparse.BooleanOptionalAction, default=True,
                        help="sciml keeps the L-BFGS history / dense inverse Hessian across RAR rounds")
    parser.add_argument("--deepxde-collocation", type=int, default=None,
                        help="DeepXDE residual points (default: sciml's final count, n_collocation + rar_rounds * rar_points)")
    parser.add_argument("--every", type=int, default=50, help="record the error every N steps")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("results/bench/pinn_vs_deepxde.json"))
    args = parser.parse_args()
    if args.deepxde_collocation is None:
        args.deepxde_collocation = args.n_collocation + args.rar_rounds * args.rar_points
    torch.set_num_threads(1)
    grid = reference_grid("burgers")
    results = {"sciml": summarise(run_sciml(args, grid), args.budget)}
    if args.skip_deepxde:
        r = results["sciml"]
        print(f"sciml: rel L2 at {args.budget:.0f} CPU s = {r['rel_l2_at_budget']:.3e}, best {r['best_rel_l2']:.3e}, "
              f"CPU s to 1e-3: {r['cpu_seconds_to_1e-3']}", file=sys.stderr)
        for c in r["curve"][:: max(1, len(r["curve"]) // 40)]:
            print(f"  {c['cpu_seconds']:7.1f} s  {c['rel_l2']:.3e}", file=sys.stderr)
        return 0
    results["deepxde"] = summarise(run_deepxde(args, grid), args.budget)
    import deepxde

    report = {
        "settings": vars(args) | {"out": str(args.out), "deepxde_version": deepxde.__version__,
                                  "torch_version": torch.__version__, "threads": 1, "dtype": "float64"},
        "error_ratio_deepxde_over_sciml_at_budget": results["deepxde"]["rel_l2_at_budget"]
        / results["sciml"]["rel_l2_at_budget"],
        **results,
    }
    write_text_atomic(args.out, json.dumps(report, indent=2) + "\n")
    for name, r in results.items():
        print(f"{name}: rel L2 at {args.budget:.0f} CPU s = {r['rel_l2_at_budget']:.3e}, "
              f"best {r['best_rel_l2']:.3e}, CPU s to 1e-3: {r['cpu_seconds_to_1e-3']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
