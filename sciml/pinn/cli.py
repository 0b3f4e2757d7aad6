"""`sciml pinn train|inverse|evaluate|predict|figures|metrics`: parse, call `sciml.pinn.pipeline`, write."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sciml.cli import use_threads
from sciml.settings import add_config_arguments, settings_from_args


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--checkpoint", type=Path, default=None,
                        help="checkpoint folder (default: <out>.ckpt); kept after a failure or SIGTERM")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint of this run")
    parser.add_argument("--device", default=None, help="auto, cpu, cuda or cuda:N (default: the settings' device)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch")


def _train(args: argparse.Namespace) -> int:
    from sciml.pinn.pipeline import train_problem
    from sciml.pinn.settings import TrainSettings

    settings = settings_from_args(TrainSettings, args)
    use_threads(args.threads)
    metrics = train_problem(settings, args.out, data=args.data, checkpoint_dir=args.checkpoint,
                            resume=args.resume, device=args.device)
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return 0


def _inverse(args: argparse.Namespace) -> int:
    from sciml.pinn.pipeline import train_inverse
    from sciml.pinn.settings import InverseSettings

    settings = settings_from_args(InverseSettings, args)
    use_threads(args.threads)
    metrics = train_inverse(settings, args.data, args.out, checkpoint_dir=args.checkpoint, resume=args.resume,
                            device=args.device)
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.files import write_text_atomic
    from sciml.pinn.pipeline import evaluate_model

    text = json.dumps(evaluate_model(args.model, args.data, args.device), indent=2, sort_keys=True) + "\n"
    if args.out:
        write_text_atomic(args.out, text)
    print(text, end="")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.pinn.pipeline import predict_points

    predict_points(args.model, args.points, args.out, args.device)
    return 0


def _figures(args: argparse.Namespace) -> int:
    from sciml.pinn.evaluate import SCATTERED, reference_grid, reference_points
    from sciml.pinn.models import load_model, model_problem
    from sciml.pinn.plots import plot_losses, plot_scattered, plot_solution

    model = load_model(args.model)
    problem = model_problem(args.model).removesuffix("_inverse")
    if problem in SCATTERED:
        plot_scattered(model, reference_points(problem, args.data), args.solution, title=problem)
    else:
        plot_solution(model, reference_grid(problem, args.data), args.solution, title=problem)
    plot_losses(Path(args.model) / "losses.csv", args.losses, title=problem)
    return 0


def _metrics(args: argparse.Namespace) -> int:
    from sciml.pinn.pipeline import collect_metrics

    collect_metrics(args.models, args.out, seed=args.seed)
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml pinn ...`."""
    pinn = groups.add_parser("pinn", help="physics-informed neural networks")
    verbs = pinn.add_subparsers(dest="verb", metavar="VERB", required=True)

    train = verbs.add_parser("train", help="train a PINN on a ready-made PDE (settings: pde, network, train), "
                                           "score it against its reference, save it")
    train.add_argument("--data", type=Path, default=None,
                       help="the problem's fetched data folder: pinn-reference (allen_cahn) or pinn-benchmarks "
                            "(poisson_2d_cg, lid_driven_cavity, kuramoto_sivashinsky)")
    _add_run_arguments(train)
    train.set_defaults(func=_train)

    inverse = verbs.add_parser("inverse", help="identify Burgers' lambda1, lambda2 from scattered observations")
    inverse.add_argument("--data", type=Path, required=True, help="fetched pinn-reference folder")
    _add_run_arguments(inverse)
    inverse.set_defaults(func=_inverse)

    evaluate = verbs.add_parser("evaluate", help="relative L2 error of a saved model against its reference")
    evaluate.add_argument("--model", type=Path, required=True)
    evaluate.add_argument("--data", type=Path, default=None, help="fetched pinn-reference or pinn-benchmarks folder")
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
    metrics.add_argument("--seed", type=int, default=0, help="the workflow seed, recorded in the provenance")
    metrics.set_defaults(func=_metrics)
