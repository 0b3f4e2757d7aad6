"""`sciml hic simulate|prepare-real|train|train-real|train-deephic|corrector-inputs|train-corrector|attach-correctors|finetune|evaluate|evaluate-real|sample|denoise`.

Each verb parses its data arguments and settings (`--config FILE`, `--set key=value`; see
`sciml.hic.settings`), calls one function of `sciml.hic.pipeline` (or `sciml.hic.training`), and
reports what it wrote.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sciml.cli import add_run_options, use_threads
from sciml.settings import add_config_arguments, settings_from_args


def _simulate(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import simulate
    from sciml.hic.settings import SimulateSettings

    settings = settings_from_args(SimulateSettings, args)
    simulate(args.out, settings)
    print(f"wrote {settings.n_chroms} simulated chromosomes ({settings.split} split) to {args.out}")
    return 0


def _prepare_real(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import prepare_yeast
    from sciml.hic.settings import PrepareRealSettings

    settings = settings_from_args(PrepareRealSettings, args)
    prepare_yeast(args.cool, args.out, settings)
    print(f"wrote full-depth and 1/{settings.yeast.depth} maps to {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import train
    from sciml.hic.settings import HiCPlusTrainSettings, TrainSettings

    use_threads(args.threads)
    settings = settings_from_args(HiCPlusTrainSettings if args.arch == "hicplus" else TrainSettings, args)
    _, result = train(args.train, args.val, args.out, settings, args.work, args.resume, args.device)
    print(f"trained {settings.denoiser.arch}: best val_loss {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _train_real(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import train_real
    from sciml.hic.settings import RealTrainSettings

    use_threads(args.threads)
    settings = settings_from_args(RealTrainSettings, args)
    _, result = train_real(args.out, settings, args.chrom_split, args.replicates, args.sim_train, args.work,
                           args.resume, args.device)
    print(f"trained the real-data denoiser: best val_loss {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _train_deephic(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import train_deephic
    from sciml.hic.settings import DeepHiCTrainSettings

    use_threads(args.threads)
    settings = settings_from_args(DeepHiCTrainSettings, args)
    _, result = train_deephic(args.out, settings, args.chrom_split, args.replicates, args.sim_train, args.work,
                              args.resume, args.device)
    print(f"trained the DeepHiC-style GAN: best generator val MSE {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _corrector_inputs(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import corrector_inputs
    from sciml.hic.settings import CorrectorSettings

    use_threads(args.threads)
    corrector_inputs(args.model, args.train, args.val, args.out, settings_from_args(CorrectorSettings, args))
    print(f"wrote the per-bin corrector's inputs (outputs of {args.model}) to {args.out}")
    return 0


def _train_corrector(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import train_corrector
    from sciml.hic.settings import CorrectorSettings

    use_threads(args.threads)
    settings = settings_from_args(CorrectorSettings, args)
    _, result = train_corrector(args.model, args.inputs, args.out, settings, args.work, args.device)
    print(f"trained the per-bin corrector (member {settings.member}, seed {settings.member_seed()}): "
          f"best val_loss {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _attach_correctors(args: argparse.Namespace) -> int:
    from sciml.hic.training import attach_correctors

    attach_correctors(args.model, args.correctors, args.out)
    print(f"wrote {args.out}: {args.model} + {len(args.correctors)} per-bin corrector(s)")
    return 0


def _finetune(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import finetune
    from sciml.hic.settings import FinetuneSettings

    use_threads(args.threads)
    settings = settings_from_args(FinetuneSettings, args)
    _, result = finetune(args.model, args.real, args.out, settings, args.work, args.resume, args.device)
    print(f"fine-tuned: best val_loss {result.best_value:.5g} at epoch {result.best_epoch}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import evaluate
    from sciml.hic.settings import EvaluateSettings

    use_threads(args.threads)
    result = evaluate(args.test, args.val, args.real, args.model, args.sim_model, args.hicplus, args.finetuned,
                      args.out_dir, settings_from_args(EvaluateSettings, args), args.device, args.real_eval)
    metrics = result.metrics
    print(json.dumps({k: {m: round(v, 4) for m, v in d.items() if m.startswith("scc")} for k, d in metrics.items()}))
    return 0


def _denoise(args: argparse.Namespace) -> int:
    from sciml.hic.cooldenoise import denoise_cool

    use_threads(args.threads)
    report = denoise_cool(args.model, args.cool, args.out, args.device, args.exclude, args.zoomify, args.batch_size)
    flagged = {c: p for c, p in report.range_problems.items() if p}
    print(f"denoised {len(report.chromosomes)} chromosomes into {args.out}"
          + (f"; outside the model's training range: {', '.join(flagged)}" if flagged else ""))
    return 0


def _named_paths(values: list[str], option: str) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise SystemExit(f"{option} takes NAME=PATH, got {value!r}")
        out[name] = path
    return out


def _evaluate_real(args: argparse.Namespace) -> int:
    from sciml.hic.pipeline import evaluate_real_map
    from sciml.hic.settings import RealEvalSettings

    use_threads(args.threads)
    settings = settings_from_args(RealEvalSettings, args)
    metrics = evaluate_real_map(args.cool, _named_paths(args.replicate, "--replicate"),
                                _named_paths(args.model, "--model"), args.out_dir, settings, args.device)
    print(json.dumps({k: round(v, 4) for k, v in metrics.items() if "_scc_" in k}, indent=1))
    return 0


def _sample(args: argparse.Namespace) -> int:
    from sciml.hic.sample import sample_cool, sample_summary

    result = sample_cool(args.cool, args.out, frac=args.frac, count=args.count, exact=args.exact, seed=args.seed,
                         complement_out=args.complement_out)
    print(sample_summary(result, args.out))
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml hic ...`."""
    hic = groups.add_parser("hic", help="Hi-C simulation, denoising and evaluation")
    verbs = hic.add_subparsers(dest="verb", metavar="VERB", required=True)

    def run_options(p: argparse.ArgumentParser, *, config: bool = True) -> None:
        if config:
            add_config_arguments(p)
        add_run_options(p, seed=False)

    def simulated_splits(p: argparse.ArgumentParser, train_help: str) -> None:
        p.add_argument("--train", type=Path, required=True, help=train_help)
        p.add_argument("--val", type=Path, required=True, help="simulated validation split folder")

    def checkpoints(p: argparse.ArgumentParser, resume: bool = True) -> None:
        p.add_argument("--work", type=Path, help="checkpoint folder (kept after a failure)")
        if resume:
            p.add_argument("--resume", action="store_true", help="resume from the checkpoint in --work")

    sim = verbs.add_parser("simulate", help="simulate one split: cools per depth + the planted truth")
    sim.add_argument("--out", type=Path, required=True, help="output folder")
    run_options(sim)
    sim.set_defaults(func=_simulate)

    pr = verbs.add_parser("prepare-real", help="a real cool at full depth and thinned (ICE weights in both)")
    pr.add_argument("--cool", type=Path, required=True, help="input .cool (or .mcool::/resolutions/N)")
    pr.add_argument("--out", type=Path, required=True, help="output folder")
    run_options(pr)
    pr.set_defaults(func=_prepare_real)

    tr = verbs.add_parser("train", help="train a patch denoiser on simulated splits")
    tr.add_argument("--arch", choices=("unet", "hicplus"), default="unet",
                    help="which denoiser (chooses the settings defaults)")
    simulated_splits(tr, "simulated training split folder")
    tr.add_argument("--out", type=Path, required=True, help="output model folder")
    checkpoints(tr)
    run_options(tr)
    tr.set_defaults(func=_train)

    rt = verbs.add_parser("train-real", help="train the default denoiser on real maps with independent targets")
    rt.add_argument("--chrom-split", help="a deep real map split by chromosome (yeast.test/val_chromosomes)")
    rt.add_argument("--replicates", nargs="+", default=[], metavar="COOL",
                    help="libraries of one condition (same bins), split by bin at pairs.replicate_split_bin")
    rt.add_argument("--sim-train", type=Path, help="a simulated training split added to the real pairs")
    rt.add_argument("--out", type=Path, required=True, help="output model folder")
    checkpoints(rt)
    run_options(rt)
    rt.set_defaults(func=_train_real)

    gan = verbs.add_parser("train-deephic", help="train the DeepHiC-style GAN baseline on the default model's real pairs")
    gan.add_argument("--chrom-split", help="a deep real map split by chromosome (yeast.test/val_chromosomes)")
    gan.add_argument("--replicates", nargs="+", default=[], metavar="COOL",
                     help="libraries of one condition (same bins), split by bin at pairs.replicate_split_bin")
    gan.add_argument("--sim-train", type=Path, help="a simulated training split added to the real pairs")
    gan.add_argument("--out", type=Path, required=True, help="output model folder (the generator)")
    checkpoints(gan)
    run_options(gan)
    gan.set_defaults(func=_train_deephic)

    ci = verbs.add_parser("corrector-inputs", help="the per-bin corrector's examples (denoiser outputs)")
    ci.add_argument("--model", type=Path, required=True, help="trained patch denoiser folder")
    simulated_splits(ci, "simulated split the correctors train on (calib)")
    ci.add_argument("--out", type=Path, required=True, help="output folder")
    run_options(ci)
    ci.set_defaults(func=_corrector_inputs)

    bc = verbs.add_parser("train-corrector", help="train one member of the per-bin corrector ensemble")
    bc.add_argument("--model", type=Path, required=True, help="the denoiser the inputs were made with")
    bc.add_argument("--inputs", type=Path, required=True, help="folder from corrector-inputs")
    bc.add_argument("--out", type=Path, required=True, help="output corrector folder")
    checkpoints(bc, resume=False)
    run_options(bc)
    bc.set_defaults(func=_train_corrector)

    ac = verbs.add_parser("attach-correctors", help="a denoiser + per-bin correctors (their factors averaged)")
    ac.add_argument("--model", type=Path, required=True, help="trained patch denoiser folder")
    ac.add_argument("--correctors", type=Path, nargs="+", required=True, help="folders from train-corrector")
    ac.add_argument("--out", type=Path, required=True, help="output model folder")
    ac.set_defaults(func=_attach_correctors)

    ft = verbs.add_parser("finetune", help="fine-tune a denoiser on the training chromosomes of a real map")
    ft.add_argument("--model", type=Path, required=True, help="denoiser folder to start from")
    ft.add_argument("--real", type=Path, required=True, help="folder from prepare-real")
    ft.add_argument("--out", type=Path, required=True, help="output model folder")
    checkpoints(ft)
    run_options(ft)
    ft.set_defaults(func=_finetune)

    ev = verbs.add_parser("evaluate", help="score every method on simulated and real data")
    ev.add_argument("--test", type=Path, required=True, help="simulated test split folder")
    ev.add_argument("--val", type=Path, required=True, help="simulated validation split folder (tunes TAD calling)")
    ev.add_argument("--real", type=Path, required=True, help="folder from prepare-real")
    ev.add_argument("--model", type=Path, required=True, help="the default denoiser")
    ev.add_argument("--sim-model", type=Path, required=True,
                    help="the simulation-only denoiser (with its correctors)")
    ev.add_argument("--hicplus", type=Path, required=True, help="the HiCPlus baseline")
    ev.add_argument("--finetuned", type=Path, required=True, help="the fine-tuned denoiser (real map only)")
    ev.add_argument("--real-eval", type=Path, nargs="+", default=[], metavar="DIR",
                    help="evaluate-real folders to include (metrics blocks real_<folder name>, real_scc.png)")
    ev.add_argument("--out-dir", type=Path, required=True, help="where metrics.json, tables and figures go")
    run_options(ev)
    ev.set_defaults(func=_evaluate)

    sa = verbs.add_parser("sample", help="a random subset of a cooler's contacts (as cooltools sample), seeded")
    sa.add_argument("--cool", required=True, help="input .cool (or .mcool::/resolutions/N), raw counts")
    amount = sa.add_mutually_exclusive_group(required=True)
    amount.add_argument("--frac", "-f", type=float, help="keep each contact with this probability")
    amount.add_argument("--count", "-c", type=int, help="keep about this many contacts (exactly with --exact)")
    sa.add_argument("--exact", action="store_true", help="with --count: exactly that many (without replacement)")
    sa.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sa.add_argument("--out", type=Path, required=True, help="output .cool (the input's bins, integer counts)")
    sa.add_argument("--complement-out", type=Path, help="also write the contacts not kept (input minus output)")
    sa.set_defaults(func=_sample)

    er = verbs.add_parser("evaluate-real", help="thin a real map; score methods against its complement and replicates")
    er.add_argument("--cool", required=True, help="the real map A (.cool or .mcool::/resolutions/N), raw counts")
    er.add_argument("--replicate", action="append", default=[], metavar="NAME=PATH",
                    help="another library of the same cell type (repeatable)")
    er.add_argument("--model", action="append", default=[], metavar="NAME=DIR", help="a denoiser (repeatable)")
    er.add_argument("--out-dir", type=Path, required=True, help="metrics.json, distance_pearson.tsv, thinned maps")
    run_options(er)
    er.set_defaults(func=_evaluate_real)

    dn = verbs.add_parser("denoise", help="denoise every chromosome of a cooler (raw-scale counts, cis ICE weights)")
    dn.add_argument("--model", type=Path, required=True, help="denoiser folder")
    dn.add_argument("--cool", required=True, help="input .cool (or .mcool::/resolutions/N), raw integer counts")
    dn.add_argument("--out", type=Path, required=True, help="output .cool (.mcool with --zoomify)")
    dn.add_argument("--zoomify", action="store_true", help="write a multi-resolution .mcool (cooler zoomify)")
    dn.add_argument("--exclude", nargs="+", default=[], metavar="CHROM",
                    help="chromosomes copied unchanged (e.g. chrM or empty contigs)")
    dn.add_argument("--batch-size", type=int, default=16, help="patches per forward pass (default 16)")
    run_options(dn, config=False)
    dn.set_defaults(func=_denoise)
