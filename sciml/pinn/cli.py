"""`sciml pinn train|inverse|evaluate|predict|figures|metrics`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sciml.cli import add_run_options, use_threads

FORWARD = ("burgers", "heat", "poisson", "allen_cahn")


def _float_list(text: str) -> tuple[float, ...]:
    """'0.01,0.1,1' -> (0.01, 0.1, 1.0) (argparse turns the ValueError into a usage error)."""
    return tuple(float(v) for v in text.split(","))


def _add_training_args(parser: argparse.ArgumentParser) -> None:
    net = parser.add_argument_group("network")
    net.add_argument("--width", type=int, default=20, help="hidden units per layer")
    net.add_argument("--depth", type=int, default=8, help="number of hidden layers")
    net.add_argument("--activation", default="tanh", help="tanh, sin, gelu or silu")
    net.add_argument("--fourier-features", type=int, default=0, help="random Fourier features (0 = off)")
    net.add_argument("--fourier-scale", type=float, default=1.0, help="std of the Fourier frequencies")
    net.add_argument("--periodic-harmonics", type=int, default=1, help="harmonics of periodic coordinates")
    net.add_argument("--adaptive-slope", type=float, default=0.0,
                     help="layer-wise adaptive activation act(n a x), a trainable, with this n (0 = off)")
    opt = parser.add_argument_group("training")
    opt.add_argument("--n-collocation", type=int, default=10000)
    opt.add_argument("--sampler", default="lhs", help="lhs, sobol or uniform")
    opt.add_argument("--adam-steps", type=int, default=2000)
    opt.add_argument("--adam-lr", type=float, default=1e-3)
    opt.add_argument("--adam-lr-final", type=float, default=1e-4)
    opt.add_argument("--lbfgs-steps", type=int, default=5000)
    opt.add_argument("--lbfgs-history", type=int, default=50)
    opt.add_argument("--optimizer2", default="lbfgs",
                     help="second-phase optimiser: lbfgs, or bfgs, ssbfgs, ssbroyden (dense inverse Hessian)")
    opt.add_argument("--rar-rounds", type=int, default=0, help="residual-based refinement rounds")
    opt.add_argument("--rar-points", type=int, default=500, help="points added per RAR round")
    opt.add_argument("--rar-method", default="topk",
                     help="topk (largest residuals) or density (RAR-D: drawn with probability ~ |r|^power / mean + floor)")
    opt.add_argument("--rar-power", type=float, default=2.0, help="RAR-D exponent k")
    opt.add_argument("--rar-floor", type=float, default=0.0, help="RAR-D constant c")
    opt.add_argument("--rar-keep-history", action="store_true",
                     help="keep the L-BFGS curvature history across RAR rounds instead of restarting it")
    opt.add_argument("--adaptive-weights", action="store_true", help="learning-rate annealing of loss weights")
    opt.add_argument("--causal-slabs", type=int, default=0,
                     help="causal weighting of the residual over this many time slabs (0 = off)")
    opt.add_argument("--causal-eps", type=_float_list, default=(1e-2, 1e-1, 1.0, 10.0, 100.0),
                     help="comma-separated increasing causality parameters eps (default 0.01,0.1,1,10,100)")
    opt.add_argument("--causal-tol", type=float, default=0.99, help="move to the next eps once all weights exceed this")
    opt.add_argument("--dtype", default="float64", help="float32 or float64")
    opt.add_argument("--max-seconds", type=float, default=None, help="wall-time budget (off by default)")
    add_run_options(opt)
    opt.add_argument("--resume", action="store_true", help="continue from the checkpoint beside --out")


def _configs(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    from sciml.pinn.training import PINNTrainConfig

    network = {"width": args.width, "depth": args.depth, "activation": args.activation,
               "fourier_features": args.fourier_features, "fourier_scale": args.fourier_scale,
               "periodic_harmonics": args.periodic_harmonics, "adaptive_slope": args.adaptive_slope}
    train = PINNTrainConfig(n_collocation=args.n_collocation, sampler=args.sampler, adam_steps=args.adam_steps,
                            adam_lr=args.adam_lr, adam_lr_final=args.adam_lr_final, lbfgs_steps=args.lbfgs_steps,
                            lbfgs_history=args.lbfgs_history, optimizer2=args.optimizer2, rar_rounds=args.rar_rounds,
                            rar_points=args.rar_points, rar_method=args.rar_method, rar_power=args.rar_power,
                            rar_floor=args.rar_floor, rar_keep_history=args.rar_keep_history,
                            adaptive_weights=args.adaptive_weights,
                            causal_slabs=args.causal_slabs, causal_eps=args.causal_eps, causal_tol=args.causal_tol,
                            dtype=args.dtype,
                            max_seconds=args.max_seconds, seed=args.seed, device=args.device)
    return network, train


def _fit_and_save(args: argparse.Namespace, pde, pde_options: dict[str, Any], monitor, finish) -> dict[str, Any]:
    """Train, evaluate with `finish(model) -> metrics`, save model dir + losses.csv atomically."""
    import shutil

    from sciml.files import atomic_path
    from sciml.pinn.model import build_pinn
    from sciml.pinn.persistence import save_pinn
    from sciml.pinn.training import DTYPES, LOSS_CSV, config_dict, train_pinn

    use_threads(args.threads)
    network, train = _configs(args)
    model = build_pinn(pde, network, DTYPES[train.dtype], seed=args.seed)
    work = Path(f"{args.out}.ckpt")
    result = train_pinn(pde, model, train, out_dir=work, resume=args.resume, monitor=monitor)
    metrics = finish(model)
    metrics.update(seconds=result.seconds, steps=result.steps, final_loss=result.final_loss)
    with atomic_path(args.out) as staged:
        save_pinn(staged, model, pde, pde_options=pde_options, network=network, train=config_dict(train),
                  metrics=metrics)
        shutil.copy(work / LOSS_CSV, staged / LOSS_CSV)
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return metrics


def _train(args: argparse.Namespace) -> int:
    import dataclasses

    from sciml.pinn.evaluation import grid_error, reference_grid
    from sciml.pinn.problems import PROBLEMS
    from sciml.pinn.symmetry import parse_symmetry

    pde_options = {"hard_constraints": not args.soft, "seed": args.seed}
    pde = PROBLEMS[args.pde](**pde_options)
    pde = dataclasses.replace(pde, symmetry=parse_symmetry(args.symmetry, pde.domain))
    grid = reference_grid(args.pde, args.data)  # fails early when the reference is missing
    _fit_and_save(args, pde, pde_options, None, lambda model: {"rel_l2": grid_error(model, grid)})
    return 0


def _inverse(args: argparse.Namespace) -> int:
    import math

    import numpy as np

    from sciml.pinn.evaluation import grid_error, reference_grid
    from sciml.pinn.inverse import coefficient_errors, sample_observations
    from sciml.pinn.problems import BURGERS_NU, burgers_inverse
    from sciml.pinn.reference import load_burgers_reference

    x, t, u = load_burgers_reference(args.data)
    points, values = sample_observations(x, t, u, args.n_observations, args.noise, seed=args.seed)
    pde = burgers_inverse(points, values)
    grid = reference_grid("burgers", args.data)

    def finish(model) -> dict[str, Any]:
        coef = {k: float(v.detach()) for k, v in model.pde_params().items()}
        out = coefficient_errors(coef["lambda1"], math.exp(coef["log_lambda2"]), 1.0, BURGERS_NU)
        out.update(rel_l2=grid_error(model, grid), noise=args.noise, n_observations=int(len(np.asarray(values))))
        return out

    _fit_and_save(args, pde, {}, None, finish)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import math

    from sciml.files import write_text_atomic
    from sciml.pinn.evaluation import grid_error, reference_grid
    from sciml.pinn.persistence import load_model, model_problem

    model = load_model(args.model, args.device)
    problem = model_problem(args.model)
    result: dict[str, Any] = {"pde": problem}
    if problem in FORWARD or problem == "burgers_inverse":
        result["rel_l2"] = grid_error(model, reference_grid(problem.removesuffix("_inverse"), args.data))
    coef = {k: float(v.detach()) for k, v in model.pde_params().items()}
    if "log_lambda2" in coef:
        coef["lambda2"] = math.exp(coef["log_lambda2"])
    result.update(coef)
    text = json.dumps(result, indent=2, sort_keys=True) + "\n"
    if args.out:
        write_text_atomic(args.out, text)
    print(text, end="")
    return 0


def _predict(args: argparse.Namespace) -> int:
    import numpy as np
    import torch

    from sciml.errors import InputError
    from sciml.files import atomic_path
    from sciml.pinn.persistence import load_model
    from sciml.train.checkpoint import read_model_config

    names = read_model_config(args.model)["domain"]["names"]
    try:
        table = np.loadtxt(args.points, delimiter="\t", ndmin=2, skiprows=1)
    except ValueError as exc:
        raise InputError(args.points, f"not a numeric TSV with a header row ({exc})") from None
    if table.shape[1] != len(names):
        raise InputError(args.points, f"{table.shape[1]} columns, the model needs {len(names)} ({', '.join(names)})")
    model = load_model(args.model, args.device)
    u = model.predict(torch.as_tensor(table, dtype=next(model.parameters()).dtype)).numpy().ravel()
    with atomic_path(args.out) as staged:
        np.savetxt(staged, np.column_stack([table, u]), delimiter="\t", header="\t".join([*names, "u"]),
                   comments="", fmt="%.10g")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from sciml.pinn.evaluation import reference_grid
    from sciml.pinn.figures import plot_losses, plot_solution
    from sciml.pinn.persistence import load_model, model_problem

    model = load_model(args.model)
    problem = model_problem(args.model).removesuffix("_inverse")
    plot_solution(model, reference_grid(problem, args.data), args.solution, title=problem)
    plot_losses(Path(args.model) / "losses.csv", args.losses, title=problem)
    return 0


def _metrics(args: argparse.Namespace) -> int:
    from sciml.errors import InputError
    from sciml.provenance import write_metrics
    from sciml.train.checkpoint import read_model_config

    metrics: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for model_dir in args.models:
        path = Path(model_dir) / "metrics.json"
        if not path.is_file():
            raise InputError(model_dir, "model directory has no metrics.json")
        name = Path(model_dir).name
        metrics[name] = json.loads(path.read_text())
        settings[name] = read_model_config(model_dir)
    write_metrics(args.out, metrics, settings=settings, seed=args.seed, datasets=["pinn-reference"])
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml pinn ...`."""
    pinn = groups.add_parser("pinn", help="physics-informed neural networks")
    verbs = pinn.add_subparsers(dest="verb", metavar="VERB", required=True)

    train = verbs.add_parser("train", help="train a PINN on a ready-made PDE, evaluate it, save it")
    train.add_argument("--pde", choices=FORWARD, required=True)
    train.add_argument("--out", type=Path, required=True, help="model directory to write")
    train.add_argument("--data", type=Path, default=None, help="fetched pinn-reference folder (needed for allen_cahn)")
    train.add_argument("--soft", action="store_true", help="penalise IC/BC instead of imposing them exactly")
    train.add_argument("--symmetry", default="none",
                       help="exact symmetry of the solution, e.g. odd_x (odd in x about the domain centre; "
                            "comma-separated for several coordinates; default none)")
    _add_training_args(train)
    train.set_defaults(func=_train)

    inverse = verbs.add_parser("inverse", help="identify Burgers' lambda1, lambda2 from scattered observations")
    inverse.add_argument("--data", type=Path, required=True, help="fetched pinn-reference folder")
    inverse.add_argument("--out", type=Path, required=True, help="model directory to write")
    inverse.add_argument("--n-observations", type=int, default=2000)
    inverse.add_argument("--noise", type=float, default=0.0, help="relative noise level (0.01 = 1 %%)")
    _add_training_args(inverse)
    inverse.set_defaults(func=_inverse)

    evaluate = verbs.add_parser("evaluate", help="relative L2 error of a saved model against its reference")
    evaluate.add_argument("--model", type=Path, required=True)
    evaluate.add_argument("--data", type=Path, default=None, help="fetched pinn-reference folder")
    evaluate.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    evaluate.add_argument("--device", default="cpu")
    evaluate.set_defaults(func=_evaluate)

    predict = verbs.add_parser("predict", help="evaluate u at the points of a TSV (header: coordinate names)")
    predict.add_argument("--model", type=Path, required=True)
    predict.add_argument("--points", type=Path, required=True)
    predict.add_argument("--out", type=Path, required=True)
    predict.add_argument("--device", default="cpu")
    predict.set_defaults(func=_predict)

    figures = verbs.add_parser("figures", help="solution/reference/error heatmaps, snapshots and loss curves")
    figures.add_argument("--model", type=Path, required=True)
    figures.add_argument("--data", type=Path, default=None)
    figures.add_argument("--solution", type=Path, required=True, help="PNG of fields and snapshots")
    figures.add_argument("--losses", type=Path, required=True, help="PNG of the loss terms")
    figures.set_defaults(func=_figures)

    metrics = verbs.add_parser("metrics", help="collect model metrics into results/pinn/metrics.json")
    metrics.add_argument("--models", type=Path, nargs="+", required=True)
    metrics.add_argument("--out", type=Path, required=True)
    metrics.add_argument("--seed", type=int, default=0)
    metrics.set_defaults(func=_metrics)
