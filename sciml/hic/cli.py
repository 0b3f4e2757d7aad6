"""`sciml hic simulate|prepare-real|train|corrector-inputs|train-corrector|attach-correctors|finetune|evaluate|denoise`."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from sciml.cli import add_run_options, use_threads
from sciml.errors import ConfigError

log = logging.getLogger("sciml.hic")


def _settings(text: str | None, key: str) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(key, f"--settings is not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise ConfigError(key, "--settings must be a JSON object")
    return value


def _simulate(args: argparse.Namespace) -> int:
    from sciml.hic.biases import BiasParams
    from sciml.hic.dataset import write_simulated_split
    from sciml.hic.simulate import SimulationParams, params_from_dict

    settings = _settings(args.settings, "hic.simulation")
    params = SimulationParams.from_dict(settings.get("simulation", {}))
    bias = params_from_dict(BiasParams, settings.get("bias", {}), "hic.bias")
    if args.n_chroms < 1 or args.n_bins < 2:
        raise ConfigError("hic.simulation", f"need >= 1 chromosome of >= 2 bins, got {args.n_chroms} x {args.n_bins}")
    write_simulated_split(args.out, args.n_chroms, args.n_bins, params, bias, args.depths, args.seed, args.binsize)
    print(f"wrote {args.n_chroms} simulated chromosomes to {args.out}")
    return 0


def _prepare_real(args: argparse.Namespace) -> int:
    from sciml.hic.yeast import prepare_real

    prepare_real(args.cool, args.out, args.depth, args.seed)
    print(f"wrote full-depth and 1/{args.depth} maps to {args.out}")
    return 0


def _fit_config(settings: dict, seed: int, device: str):
    from sciml.train.fit import FitConfig

    fit = dict(settings.get("fit", {}))
    unknown = sorted(set(fit) - set(FitConfig.__dataclass_fields__))
    if unknown:
        raise ConfigError(f"hic.train.fit.{unknown[0]}", "unknown setting")
    return FitConfig(**fit, seed=seed, device=device)


def _denoiser_settings(settings: dict):
    from sciml.hic.training import DenoiserSettings

    values = dict(settings.get("denoiser", {}))
    unknown = sorted(set(values) - set(DenoiserSettings.__dataclass_fields__))
    if unknown:
        raise ConfigError(f"hic.train.denoiser.{unknown[0]}", "unknown setting")
    return DenoiserSettings(**values)


def _train(args: argparse.Namespace) -> int:
    from sciml.hic.training import simulated_pairs, train_denoiser
    from sciml.train import seed_everything

    use_threads(args.threads)
    settings = _settings(args.settings, "hic.train")
    denoiser, fit = _denoiser_settings(settings), _fit_config(settings, args.seed, args.device)
    seed_everything(args.seed)
    train_pairs = simulated_pairs(args.train, args.depths)
    val_pairs = simulated_pairs(args.val, args.val_depths or args.depths)
    _, result = train_denoiser(train_pairs, val_pairs, denoiser, fit, args.out, args.work, resume=args.resume)
    print(f"trained {denoiser.arch}: best val_loss {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _corrector_inputs(args: argparse.Namespace) -> int:
    from sciml.files import atomic_path
    from sciml.hic.denoise import load_model
    from sciml.hic.training import (
        EXAMPLES_DENOISER,
        EXAMPLES_FILE,
        corrector_examples,
        save_corrector_examples,
        simulated_pairs,
    )

    use_threads(args.threads)
    model, config = load_model(args.model)
    pairs = {"train": simulated_pairs(args.train, args.depths), "val": simulated_pairs(args.val, args.depths)}
    with atomic_path(args.out) as staged:  # the whole folder appears at once, or not at all
        for split, split_pairs in pairs.items():
            save_corrector_examples(staged / split / EXAMPLES_FILE,
                                    corrector_examples(split_pairs, model, config, args.target_band))
        (staged / EXAMPLES_DENOISER).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    print(f"wrote the per-bin corrector's inputs ({model.__class__.__name__} outputs) to {args.out}")
    return 0


def _train_corrector(args: argparse.Namespace) -> int:
    from sciml.errors import InputError
    from sciml.hic.denoise import load_model
    from sciml.hic.training import (
        EXAMPLES_DENOISER,
        EXAMPLES_FILE,
        load_corrector_examples,
        train_bin_corrector,
    )
    from sciml.train import seed_everything

    use_threads(args.threads)
    settings = _settings(args.settings, "hic.bin_corrector")
    unknown = sorted(set(settings) - {"model_kwargs", "fit", "target_band_bins"})
    if unknown:
        raise ConfigError(f"hic.bin_corrector.{unknown[0]}", "unknown setting")
    fit = _fit_config(settings, args.seed, args.device)
    seed_everything(args.seed)
    # the denoiser is loaded (its construction draws from the seeded generator) before the corrector is
    # built, as when one job made the inputs and trained the corrector (sessions 7-10): a seed gives the
    # same corrector as then
    _, config = load_model(args.model)
    recorded = args.inputs / EXAMPLES_DENOISER
    if not recorded.is_file() or json.loads(recorded.read_text()) != config:
        raise InputError(recorded, f"these corrector inputs were not made by the denoiser {args.model}")
    train, val = (load_corrector_examples(args.inputs / split / EXAMPLES_FILE) for split in ("train", "val"))
    _, result = train_bin_corrector(train, val, fit, args.out, settings.get("model_kwargs"), args.work,
                                    settings.get("target_band_bins"))
    print(f"trained the per-bin corrector (seed {args.seed}): best val_loss {result.best_value:.5g}"
          f" at epoch {result.best_epoch}")
    return 0


def _attach_correctors(args: argparse.Namespace) -> int:
    from sciml.hic.training import attach_correctors

    attach_correctors(args.model, args.correctors, args.out)
    print(f"wrote {args.out}: {args.model} + {len(args.correctors)} per-bin corrector(s)")
    return 0


def _finetune(args: argparse.Namespace) -> int:
    from sciml.hic.cool import chromosome_sizes
    from sciml.hic.denoise import load_model
    from sciml.hic.training import DenoiserSettings, train_denoiser
    from sciml.hic.yeast import FULL, real_pairs, split_real
    from sciml.train import seed_everything

    use_threads(args.threads)
    settings = _settings(args.settings, "hic.finetune")
    fit = _fit_config(settings, args.seed, args.device)
    seed_everything(args.seed)
    model, config = load_model(args.model)
    denoiser = DenoiserSettings(**{k: config[k] for k in DenoiserSettings.__dataclass_fields__ if k in config})
    chroms = list(chromosome_sizes(Path(args.real) / FULL))
    draws = settings.get("thinning_draws", 1)
    if not isinstance(draws, int) or draws < 1:
        raise ConfigError("hic.finetune_thinning_draws", f"must be an integer >= 1, got {draws!r}")
    train, val, _ = split_real(chroms, args.test_chromosomes, args.val_chromosomes)
    _, result = train_denoiser(real_pairs(args.real, args.depth, train, draws, args.seed),
                               real_pairs(args.real, args.depth, val), denoiser, fit, args.out, args.work,
                               init_from=model, resume=args.resume)
    print(f"fine-tuned on {', '.join(train)}: best val_loss {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from sciml.files import atomic_path
    from sciml.hic.cool import chromosome_sizes, open_cool
    from sciml.hic.denoise import load_denoiser
    from sciml.hic.evaluate import EvalSettings
    from sciml.hic.pipeline import evaluate_real, evaluate_simulated, tune_tad_calling, validate_simulated
    from sciml.hic.plots import distance_curves, heatmaps
    from sciml.hic.yeast import FULL, split_real
    from sciml.provenance import write_metrics
    from sciml.train import seed_everything, select_device

    use_threads(args.threads)
    seed_everything(args.seed)
    device = select_device(args.device)
    values = _settings(args.settings, "hic.evaluation")
    unknown = sorted(set(values) - set(EvalSettings.__dataclass_fields__))
    if unknown:
        raise ConfigError(f"hic.evaluation.{unknown[0]}", "unknown setting")
    settings = EvalSettings(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    model, hicplus, finetuned = (load_denoiser(p, device) for p in (args.model, args.hicplus, args.finetuned))
    out = Path(args.out_dir)
    metrics: dict[str, dict[str, float]] = {}
    binsize = int(open_cool(Path(args.test) / "expected.cool").binsize)
    models = {"hicplus": hicplus, "model": model}
    for depth in args.depths:
        # TAD calling tuned per method on the validation chromosomes, then applied to the test ones; at
        # the headline depth the same validation maps (denoised once) also give the validation scores
        if depth == args.depths[0]:
            tuned, val = validate_simulated(args.val, depth, models, settings, binsize, device)
            metrics["sim_val"] = val.metrics
        else:
            tuned = tune_tad_calling(args.val, depth, models, settings, device)
        result = evaluate_simulated(args.test, depth, models, settings, binsize, device, tad_calling=tuned)
        key = "sim" if depth == args.depths[0] else f"sim_1_{depth}"
        metrics[key] = result.metrics | {f"tad_{name}_{method}": value for method, (w, p, pw, md, f1) in tuned.items()
                                         for name, value in (("window", w), ("prominence", p),
                                                             ("prominence_window", pw), ("mask_distance", md),
                                                             ("f1_val", f1))}
        if depth == args.depths[0]:
            sim = result
    chroms = list(chromosome_sizes(Path(args.real) / FULL))
    _, _, test_chroms = split_real(chroms, args.test_chromosomes, args.val_chromosomes)
    real = evaluate_real(args.real, args.real_depth, test_chroms,
                         {"hicplus": hicplus, "model": model, "model_finetuned": finetuned},
                         settings, int(open_cool(Path(args.real) / FULL).binsize), device)
    metrics["yeast"] = real.metrics
    metrics["yeast"]["n_test_chromosomes"] = len(test_chroms)
    for name, frame in (("sim_per_chromosome.tsv", sim.table), ("yeast_per_chromosome.tsv", real.table),
                        ("sim_distance_pearson.tsv", sim.curves), ("yeast_distance_pearson.tsv", real.curves)):
        with atomic_path(out / name) as staged:
            frame.to_csv(staged, sep="\t", index=False, float_format="%.6g")
    heatmaps(sim.example, out / "sim_heatmaps.png", f"simulated test chromosome, 1/{args.depths[0]} depth")
    heatmaps(real.example, out / "yeast_heatmaps.png", f"S. cerevisiae, 1/{args.real_depth} depth")
    distance_curves(sim.curves, out / "sim_distance_pearson.png", f"simulated test, 1/{args.depths[0]}")
    distance_curves(real.curves, out / "yeast_distance_pearson.png", f"yeast held-out chromosomes, 1/{args.real_depth}")
    write_metrics(out / "metrics.json", metrics, seed=args.seed, datasets=["hic-yeast-10kb"],
                  settings={"evaluation": asdict(settings), "depths": args.depths, "real_depth": args.real_depth,
                            "test_chromosomes": args.test_chromosomes, "val_chromosomes": args.val_chromosomes})
    print(json.dumps({k: {m: round(v, 4) for m, v in d.items() if m.startswith("scc")} for k, d in metrics.items()}))
    return 0


def _denoise(args: argparse.Namespace) -> int:
    from sciml.errors import InputError
    from sciml.hic.baselines import balance
    from sciml.hic.cool import chromosome_sizes, open_cool, read_matrix, write_cool
    from sciml.hic.denoise import load_denoiser
    from sciml.train import select_device

    use_threads(args.threads)
    device = select_device(args.device)
    denoiser = load_denoiser(args.model, device)
    sizes = chromosome_sizes(args.cool)
    binsize = int(open_cool(args.cool).binsize)
    out = {}
    for chrom in sizes:
        counts = read_matrix(args.cool, chrom)
        try:
            balanced, _ = balance(counts, path=args.cool)
        except InputError:
            log.warning("%s: %s has too few contacts to balance; its counts are copied unchanged", args.cool, chrom)
            out[chrom] = counts
            continue
        out[chrom] = denoiser(balanced, device)
    write_cool(args.out, out, binsize, sizes)
    print(f"denoised {len(out)} chromosomes into {args.out}")
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml hic ...`."""
    hic = groups.add_parser("hic", help="Hi-C simulation, denoising and evaluation")
    verbs = hic.add_subparsers(dest="verb", metavar="VERB", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        add_run_options(p)

    def simulated_splits(p: argparse.ArgumentParser, train_help: str) -> None:
        p.add_argument("--train", type=Path, required=True, help=train_help)
        p.add_argument("--val", type=Path, required=True, help="simulated validation folder")
        p.add_argument("--depths", type=int, nargs="+", default=[16, 32, 100], help="thinned copies used")

    def training_outputs(p: argparse.ArgumentParser, out_help: str, settings_help: str) -> None:
        p.add_argument("--out", type=Path, required=True, help=out_help)
        p.add_argument("--work", type=Path, required=True, help="checkpoint + metrics.csv folder")
        p.add_argument("--settings", help=settings_help)

    sim = verbs.add_parser("simulate", help="simulate chromosomes with biases; write cools + truth")
    sim.add_argument("--out", type=Path, required=True, help="output folder")
    sim.add_argument("--n-chroms", type=int, required=True)
    sim.add_argument("--n-bins", type=int, required=True)
    sim.add_argument("--binsize", type=int, default=10_000)
    sim.add_argument("--depths", type=int, nargs="+", default=[16, 32, 100], help="thinning denominators")
    sim.add_argument("--settings", help='JSON {"simulation": {...}, "bias": {...}}')
    common(sim)
    sim.set_defaults(func=_simulate)

    prep = verbs.add_parser("prepare-real", help="thin a real cool to 1/K; write full + thinned cis maps")
    prep.add_argument("--cool", type=Path, required=True)
    prep.add_argument("--out", type=Path, required=True)
    prep.add_argument("--depth", type=int, default=16)
    common(prep)
    prep.set_defaults(func=_prepare_real)

    train = verbs.add_parser("train", help="train a denoiser on simulated splits")
    simulated_splits(train, "simulated training folder")
    training_outputs(train, "model folder", 'JSON {"denoiser": {...}, "fit": {...}}')
    train.add_argument("--val-depths", type=int, nargs="+", default=None)
    train.add_argument("--resume", action="store_true")
    common(train)
    train.set_defaults(func=_train)

    ci = verbs.add_parser("corrector-inputs", help="denoise simulated splits once: the per-bin corrector's examples")
    ci.add_argument("--model", type=Path, required=True, help="trained patch denoiser folder")
    simulated_splits(ci, "simulated folder the denoiser was not trained on")
    ci.add_argument("--out", type=Path, required=True, help="output folder: {train,val}/examples.safetensors")
    ci.add_argument("--target-band", type=int, default=None,
                    help="fit the target factor within this many bins of the diagonal (default: the model's band)")
    common(ci)
    ci.set_defaults(func=_corrector_inputs)

    bc = verbs.add_parser("train-corrector", help="train one chromosome-level per-bin corrector (one seed)")
    bc.add_argument("--model", type=Path, required=True, help="the patch denoiser the inputs were made with")
    bc.add_argument("--inputs", type=Path, required=True, help="folder from corrector-inputs")
    training_outputs(bc, "corrector folder (model.safetensors + config.json)",
                     'JSON {"model_kwargs": {...}, "fit": {...}, "target_band_bins": int}')
    common(bc)
    bc.set_defaults(func=_train_corrector)

    ac = verbs.add_parser("attach-correctors", help="a denoiser + per-bin correctors (their factors averaged)")
    ac.add_argument("--model", type=Path, required=True, help="trained patch denoiser folder")
    ac.add_argument("--correctors", type=Path, nargs="+", required=True, help="folders from train-corrector")
    ac.add_argument("--out", type=Path, required=True, help="output model folder: denoiser + bin_corrector/<k>/")
    common(ac)
    ac.set_defaults(func=_attach_correctors)

    ft = verbs.add_parser("finetune", help="fine-tune a denoiser on some chromosomes of a real map")
    ft.add_argument("--model", type=Path, required=True)
    ft.add_argument("--real", type=Path, required=True, help="folder from prepare-real")
    ft.add_argument("--depth", type=int, default=16)
    ft.add_argument("--test-chromosomes", nargs="+", required=True)
    ft.add_argument("--val-chromosomes", nargs="+", required=True)
    training_outputs(ft, "fine-tuned model folder", 'JSON {"fit": {...}, "thinning_draws": int}')
    ft.add_argument("--resume", action="store_true")
    common(ft)
    ft.set_defaults(func=_finetune)

    ev = verbs.add_parser("evaluate", help="score every method on simulated and real data")
    ev.add_argument("--test", type=Path, required=True, help="simulated test folder")
    ev.add_argument("--val", type=Path, required=True, help="simulated validation folder (tunes TAD calling)")
    ev.add_argument("--real", type=Path, required=True, help="folder from prepare-real")
    ev.add_argument("--model", type=Path, required=True)
    ev.add_argument("--hicplus", type=Path, required=True)
    ev.add_argument("--finetuned", type=Path, required=True)
    ev.add_argument("--depths", type=int, nargs="+", default=[16, 32, 100], help="first one = headline")
    ev.add_argument("--real-depth", type=int, default=16)
    ev.add_argument("--test-chromosomes", nargs="+", required=True)
    ev.add_argument("--val-chromosomes", nargs="+", required=True)
    ev.add_argument("--settings", help="JSON of evaluation settings")
    ev.add_argument("--out-dir", type=Path, required=True)
    common(ev)
    ev.set_defaults(func=_evaluate)

    dn = verbs.add_parser("denoise", help="denoise every chromosome of a cool (ICE-balanced output units)")
    dn.add_argument("--model", type=Path, required=True)
    dn.add_argument("--cool", type=Path, required=True)
    dn.add_argument("--out", type=Path, required=True)
    common(dn)
    dn.set_defaults(func=_denoise)
