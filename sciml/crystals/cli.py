"""`sciml crystals generate|train|evaluate|predict|report`: parse, call one `pipeline` function, print.

Settings come from `--config FILE` (JSON/YAML of the verb's settings dataclass in
`sciml.crystals.settings`) and `--set key=value`; data paths, the device and the thread count are flags.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sciml.cli import add_run_options, use_threads
from sciml.settings import add_config_arguments, settings_from_args


def _generate(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import generate_dataset
    from sciml.crystals.settings import GenerateSettings

    settings = settings_from_args(GenerateSettings, args)
    use_threads(args.threads)
    sizes = generate_dataset(settings, args.out)
    print(f"{settings.family}: {sizes} structures written to {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import train_model
    from sciml.crystals.settings import TrainSettings

    settings = settings_from_args(TrainSettings, args)
    use_threads(args.threads)
    metrics = train_model(args.train, args.val, args.out, settings, device=args.device, workdir=args.workdir,
                          resume=args.resume)
    print(json.dumps(metrics, indent=1))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import evaluate_model
    from sciml.crystals.settings import EvaluateSettings

    settings = settings_from_args(EvaluateSettings, args)
    use_threads(args.threads)
    result = evaluate_model(args.model, args.structures, args.out, settings, device=args.device,
                            parity=args.parity, title=args.title)
    print(json.dumps(result, indent=1))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import predict_file

    use_threads(args.threads)
    n = predict_file(args.model, args.structures, args.out, batch_size=args.batch_size, device=args.device)
    print(f"{n} structures predicted -> {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import report
    from sciml.crystals.settings import ReportSettings

    settings = settings_from_args(ReportSettings, args)
    metrics = report(args.evaluations, settings, args.out, args.curve_tsv, args.curve_png)
    print(json.dumps(metrics, indent=1))
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml crystals ...`."""
    crystals = groups.add_parser("crystals", help="crystal graphs, invariant and equivariant potentials")
    verbs = crystals.add_subparsers(dest="verb", metavar="VERB", required=True)

    gen = verbs.add_parser("generate", help="generate a labelled data set (EMT metals or SW silicon)")
    gen.add_argument("--out", type=Path, required=True, help="folder for train/val/test.extxyz")
    add_config_arguments(gen)
    add_run_options(gen, seed=False, device=False)
    gen.set_defaults(func=_generate)

    tr = verbs.add_parser("train", help="train a potential on energies and forces")
    tr.add_argument("--train", type=Path, required=True, help="labelled structures (extxyz, CIF, ...)")
    tr.add_argument("--val", type=Path, required=True, help="labelled validation structures")
    tr.add_argument("--out", type=Path, required=True, help="model folder")
    tr.add_argument("--workdir", type=Path, default=None, help="checkpoint + metrics.csv folder")
    tr.add_argument("--resume", action="store_true", help="continue from the checkpoint in --workdir")
    add_config_arguments(tr)
    add_run_options(tr, seed=False)
    tr.set_defaults(func=_train)

    ev = verbs.add_parser("evaluate", help="held-out errors, throughput and physics checks of a model")
    ev.add_argument("--model", type=Path, required=True, help="model folder")
    ev.add_argument("--structures", type=Path, required=True, help="labelled test structures")
    ev.add_argument("--out", type=Path, required=True, help="evaluation JSON")
    ev.add_argument("--parity", type=Path, default=None, help="parity plot PNG")
    ev.add_argument("--title", default=None, help="parity plot title")
    add_config_arguments(ev)
    add_run_options(ev, seed=False)
    ev.set_defaults(func=_evaluate)

    pr = verbs.add_parser("predict", help="predict energies and forces of structures")
    pr.add_argument("--model", type=Path, required=True, help="model folder")
    pr.add_argument("--structures", type=Path, required=True, help="structures (extxyz, CIF, ...)")
    pr.add_argument("--out", type=Path, required=True, help="extxyz with energy and forces")
    pr.add_argument("--batch-size", type=int, default=16, help="structures per batch")
    add_run_options(pr, seed=False)
    pr.set_defaults(func=_predict)

    rp = verbs.add_parser("report", help="metrics.json, learning-curve TSV and plot from evaluations")
    rp.add_argument("--evaluations", type=Path, nargs="+", required=True,
                    help="evaluation JSONs named <family>_<model>_n<size>.json")
    rp.add_argument("--out", type=Path, required=True, help="metrics.json")
    rp.add_argument("--curve-tsv", type=Path, required=True)
    rp.add_argument("--curve-png", type=Path, required=True)
    add_config_arguments(rp)
    rp.set_defaults(func=_report)
