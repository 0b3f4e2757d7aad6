"""`sciml crystals generate|train|evaluate|predict|report`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sciml.cli import add_run_options, use_threads


def _json_option(text: str, name: str) -> dict:
    from sciml.errors import ConfigError

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(name, f"not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise ConfigError(name, f"must be a JSON object, got {text!r}")
    return value


def _generate(args: argparse.Namespace) -> int:
    from sciml.crystals.generate import generate
    from sciml.crystals.structures import write_structures
    from sciml.files import atomic_path

    sizes = {"test": args.n_test, "val": args.n_val, "train": args.n_train}
    structures = generate(args.family, sum(sizes.values()), args.seed, max_atoms=args.max_atoms,
                          max_strain=args.max_strain, rattle=args.rattle,
                          vacancy_probability=args.vacancy_probability)
    with atomic_path(args.out) as staged:
        staged.mkdir()
        start = 0
        for split, size in sizes.items():
            write_structures(staged / f"{split}.extxyz", structures[start:start + size])
            start += size
    print(f"{args.family}: {sizes} structures written to {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from sciml.crystals.models import save_potential
    from sciml.crystals.structures import read_structures
    from sciml.crystals.training import epochs_for_steps, train_potential, validation_interval
    from sciml.errors import ConfigError
    from sciml.train import FitConfig, seed_everything

    use_threads(args.threads)
    hyper = _json_option(args.hyper, "crystals.hyper")
    seed_everything(args.seed)
    train = read_structures(args.train, require_labels=True)
    if args.n_train is not None:
        if args.n_train > len(train):
            raise ConfigError("crystals.n_train", f"{args.n_train} requested but {args.train} holds {len(train)}")
        train = train[: args.n_train]
    elements = sorted({s for atoms in train for s in atoms.get_chemical_symbols()})
    val = read_structures(args.val, elements=elements, require_labels=True)
    epochs = args.epochs if args.steps is None else epochs_for_steps(args.steps, len(train), args.batch_size)
    validate_every = 1 if args.validate_steps is None else validation_interval(args.validate_steps, len(train),
                                                                              args.batch_size)
    fit_config = FitConfig(max_epochs=epochs, batch_size=args.batch_size, lr=args.lr, patience=epochs,
                           grad_clip_norm=10.0, seed=args.seed, device=args.device, validate_every=validate_every)
    trained = train_potential(args.model, train, val, cutoff=args.cutoff, hyper=hyper, fit_config=fit_config,
                              energy_weight=args.energy_weight, force_weight=args.force_weight,
                              stress_weight=args.stress_weight, warmup_epochs=args.warmup_epochs,
                              stage_two_fraction=args.stage_two_fraction,
                              stage_two_energy_weight=args.stage_two_energy_weight,
                              out_dir=args.workdir, resume=args.resume)
    best = trained.result.history[trained.result.best_epoch - 1]
    metrics = {"n_train": len(train), "n_val": len(val), "epochs": trained.result.epochs_run,
               "best_epoch": trained.result.best_epoch, "train_seconds": trained.train_seconds,
               **{k: v for k, v in best.items() if k.startswith("val_")}}
    save_potential(args.out, trained.potential, trained.config, metrics)
    print(json.dumps(metrics, indent=1))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.crystals.evaluate import error_metrics, predict
    from sciml.crystals.models import load_model
    from sciml.crystals.physics import physics_report
    from sciml.crystals.plots import parity_plot
    from sciml.crystals.structures import read_structures
    from sciml.files import write_text_atomic
    from sciml.train import read_model_config, select_device

    use_threads(args.threads)
    potential = load_model(args.model)
    structures = read_structures(args.structures, elements=potential.elements, require_labels=True)
    device = select_device(args.device)
    predictions = predict(potential, structures, args.batch_size, device)
    potential = potential.cpu()
    config = read_model_config(args.model)
    trained = json.loads((Path(args.model) / "metrics.json").read_text())
    result = {"model": config["kind"], "n_train": trained["n_train"], "train_seconds": trained["train_seconds"],
              **error_metrics(structures, predictions), "inference_atoms_per_s": predictions.atoms_per_s,
              **physics_report(potential, structures[: args.n_physics], seed=args.seed)}
    if args.parity is not None:
        parity_plot(args.parity, structures, predictions, f"{args.title or config['kind']} (held-out)")
    write_text_atomic(args.out, json.dumps(result, indent=2, sort_keys=True) + "\n")
    print(json.dumps(result, indent=1))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.crystals.evaluate import predict
    from sciml.crystals.models import load_model
    from sciml.crystals.structures import read_structures, with_prediction, write_structures
    from sciml.train import select_device

    use_threads(args.threads)
    potential = load_model(args.model)
    structures = read_structures(args.structures, elements=potential.elements)
    predictions = predict(potential, structures, args.batch_size, select_device(args.device))
    write_structures(args.out, [with_prediction(a, e, f) for a, e, f in
                                zip(structures, predictions.energies, predictions.forces, strict=True)])
    print(f"{len(structures)} structures predicted -> {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    import pandas as pd

    from sciml.crystals.plots import learning_curve_plot
    from sciml.errors import InputError
    from sciml.files import write_text_atomic
    from sciml.provenance import write_metrics

    settings = _json_option(args.settings, "crystals")
    rows, metrics = [], {}
    for path in args.evaluations:
        # file names are <family>_<model>_n<size>.json (written by the workflow)
        family, model, size = Path(path).stem.rsplit("_", 2)
        if not size.startswith("n") or not size[1:].isdigit():
            raise InputError(path, "evaluation file name must be <family>_<model>_n<size>.json")
        result = json.loads(Path(path).read_text())
        rows.append({"family": family, "model": model, "n_train": result["n_train"],
                     "energy_mae_mev_per_atom": result["energy_mae_mev_per_atom"],
                     "force_mae_mev_per_A": result["force_mae_mev_per_A"]})
        if int(size[1:]) == args.n_train:
            metrics.setdefault(family, {})[model] = {
                k: result[k] for k in ("energy_mae_mev_per_atom", "force_mae_mev_per_A", "energy_rmse_mev_per_atom",
                                       "force_rmse_mev_per_A", "train_seconds", "inference_atoms_per_s",
                                       "equivariance_error", "permutation_error", "translation_error",
                                       "supercell_error_mev_per_atom", "energy_std_mev_per_atom",
                                       "force_std_mev_per_A", "n_structures")}
    if not metrics:
        raise InputError(args.evaluations[0], f"no evaluation at n_train={args.n_train}")
    curve = pd.DataFrame(rows).sort_values(["family", "model", "n_train"])
    write_text_atomic(args.curve_tsv, curve.to_csv(sep="\t", index=False, float_format="%.6g"))
    learning_curve_plot(args.curve_png, curve)
    flat = [m for fam in metrics.values() for m in fam.values()]
    metrics["n_train"] = args.n_train
    metrics["equivariance_error"] = max(m["equivariance_error"] for m in flat)
    metrics["supercell_error_mev_per_atom"] = max(m["supercell_error_mev_per_atom"] for m in flat)
    write_metrics(args.out, metrics, settings=settings, seed=args.seed)
    print(json.dumps(metrics, indent=1))
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml crystals ...`."""
    crystals = groups.add_parser("crystals", help="crystal graphs, invariant and equivariant potentials")
    verbs = crystals.add_subparsers(dest="verb", metavar="VERB", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        add_run_options(p, device=False)

    gen = verbs.add_parser("generate", help="generate a labelled data set (EMT metals or SW silicon)")
    gen.add_argument("--family", choices=["metals", "silicon"], required=True)
    gen.add_argument("--n-train", type=int, required=True)
    gen.add_argument("--n-val", type=int, required=True)
    gen.add_argument("--n-test", type=int, required=True)
    gen.add_argument("--max-atoms", type=int, default=64)
    gen.add_argument("--max-strain", type=float, default=0.05)
    gen.add_argument("--rattle", type=float, default=0.1, help="largest rattle amplitude (A)")
    gen.add_argument("--vacancy-probability", type=float, default=0.2)
    gen.add_argument("--out", type=Path, required=True, help="folder for train/val/test.extxyz")
    common(gen)
    gen.set_defaults(func=_generate)

    tr = verbs.add_parser("train", help="train a potential on energies and forces")
    tr.add_argument("--model", choices=["invariant", "equivariant"], required=True)
    tr.add_argument("--train", type=Path, required=True, help="labelled structures (extxyz, CIF, ...)")
    tr.add_argument("--val", type=Path, required=True)
    tr.add_argument("--n-train", type=int, default=None, help="use the first N training structures")
    tr.add_argument("--cutoff", type=float, default=4.5)
    tr.add_argument("--hyper", default="{}", help="network settings as JSON")
    tr.add_argument("--epochs", type=int, default=30)
    tr.add_argument("--steps", type=int, default=None,
                    help="optimiser-step budget: train ceil(steps / batches per epoch) epochs instead of --epochs")
    tr.add_argument("--validate-steps", type=int, default=None,
                    help="validate about every N optimiser steps (whole epochs, at least every epoch, always "
                         "after the last); default: every epoch")
    tr.add_argument("--batch-size", type=int, default=8)
    tr.add_argument("--lr", type=float, default=3e-3)
    tr.add_argument("--energy-weight", type=float, default=10.0)
    tr.add_argument("--force-weight", type=float, default=1.0)
    tr.add_argument("--stress-weight", type=float, default=0.0,
                    help="weight of the virial-per-atom error (needs a stress on every structure)")
    tr.add_argument("--warmup-epochs", type=int, default=0, help="linear learning-rate warm-up before the cosine decay")
    tr.add_argument("--stage-two-fraction", type=float, default=0.0,
                    help="final fraction of the epochs trained with --stage-two-energy-weight (MACE's stage two)")
    tr.add_argument("--stage-two-energy-weight", type=float, default=None,
                    help="energy weight of the stage-two epochs and of the validation loss (default: --energy-weight)")
    tr.add_argument("--device", default="auto")
    tr.add_argument("--workdir", type=Path, default=None, help="checkpoint + metrics.csv folder")
    tr.add_argument("--resume", action="store_true")
    tr.add_argument("--out", type=Path, required=True, help="model directory")
    common(tr)
    tr.set_defaults(func=_train)

    ev = verbs.add_parser("evaluate", help="held-out errors, throughput and physics checks of a model")
    ev.add_argument("--model", type=Path, required=True)
    ev.add_argument("--structures", type=Path, required=True)
    ev.add_argument("--out", type=Path, required=True, help="evaluation JSON")
    ev.add_argument("--parity", type=Path, default=None, help="parity plot PNG")
    ev.add_argument("--title", default=None)
    ev.add_argument("--n-physics", type=int, default=5, help="structures used for the float64 physics checks")
    ev.add_argument("--batch-size", type=int, default=16)
    ev.add_argument("--device", default="auto")
    common(ev)
    ev.set_defaults(func=_evaluate)

    pr = verbs.add_parser("predict", help="predict energies and forces of structures")
    pr.add_argument("--model", type=Path, required=True)
    pr.add_argument("--structures", type=Path, required=True)
    pr.add_argument("--out", type=Path, required=True, help="extxyz with energy and forces")
    pr.add_argument("--batch-size", type=int, default=16)
    pr.add_argument("--device", default="auto")
    common(pr)
    pr.set_defaults(func=_predict)

    rp = verbs.add_parser("report", help="metrics.json, learning-curve TSV and plot from evaluations")
    rp.add_argument("--evaluations", type=Path, nargs="+", required=True)
    rp.add_argument("--n-train", type=int, required=True, help="the main training-set size")
    rp.add_argument("--settings", default="{}", help="the crystals config section as JSON (provenance)")
    rp.add_argument("--out", type=Path, required=True)
    rp.add_argument("--curve-tsv", type=Path, required=True)
    rp.add_argument("--curve-png", type=Path, required=True)
    common(rp)
    rp.set_defaults(func=_report)
