"""`sciml crystals generate|prepare|train|evaluate|select|predict|md|md-check|committee|report`: parse, call one `pipeline` function, print.

Settings come from `--config FILE` (JSON/YAML of the verb's settings dataclass in
`sciml.crystals.settings`) and `--set key=value`; data paths, the device and the thread count are flags.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sciml.cli import add_run_options, use_threads
from sciml.settings import add_config_arguments, load_settings, settings_from_args


def _keys(args: argparse.Namespace):
    from sciml.crystals.settings import LabelKeys

    return LabelKeys(energy=args.energy_key, forces=args.forces_key, stress=args.stress_key, virial=args.virial_key,
                     stress_unit=args.stress_unit)


def _add_key_arguments(parser: argparse.ArgumentParser) -> None:
    from sciml.crystals.settings import LabelKeys

    defaults = LabelKeys()
    group = parser.add_argument_group("labels of extended XYZ files")
    group.add_argument("--energy-key", default=defaults.energy, help="per-structure energy (eV)")
    group.add_argument("--forces-key", default=defaults.forces, help="per-atom forces (eV/A)")
    group.add_argument("--stress-key", default=defaults.stress, help="per-structure stress (tensile positive)")
    group.add_argument("--virial-key", default=defaults.virial, help="per-structure virial (eV, -stress x volume)")
    group.add_argument("--stress-unit", default=defaults.stress_unit, choices=["eV/A^3", "GPa", "kBar"],
                       help="unit of the stress values")


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
                          resume=args.resume, keys=_keys(args))
    print(json.dumps(metrics, indent=1))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import evaluate_model
    from sciml.crystals.settings import EvaluateSettings

    settings = settings_from_args(EvaluateSettings, args)
    use_threads(args.threads)
    result = evaluate_model(args.model, args.structures, args.out, settings, device=args.device,
                            parity=args.parity, title=args.title, keys=_keys(args))
    print(json.dumps(result, indent=1))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import predict_file

    use_threads(args.threads)
    n = predict_file(args.model, args.structures, args.out, batch_size=args.batch_size, device=args.device)
    print(f"{n} structures predicted -> {args.out}")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import prepare_benchmark
    from sciml.crystals.settings import PrepareSettings

    settings = settings_from_args(PrepareSettings, args)
    counts = prepare_benchmark(settings, args.out, root=args.root)
    print(json.dumps(counts, indent=1))
    return 0


def _select(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import select_model

    if len(args.models) != len(args.evaluations):
        raise SystemExit("--models and --evaluations must be given in pairs")
    names = [Path(m).name for m in args.models]
    summary = select_model(dict(zip(names, args.models, strict=True)), dict(zip(names, args.evaluations,
                                                                              strict=True)),
                           args.out, args.summary, element=args.element)
    print(json.dumps({k: summary[k] for k in ("chosen", "candidates")}, indent=1))
    return 0


def _md(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import md_file
    from sciml.crystals.settings import MDSettings

    overrides = [f"{k}={v}" for k, v in (("temperature", args.temperature), ("steps", args.steps)) if v is not None]
    settings = load_settings(MDSettings, args.config, [*overrides, *args.overrides])
    use_threads(args.threads)
    result = md_file(args.model, args.structure, args.out, settings, index=args.index, device=args.device,
                     summary=args.summary)
    result.pop("records")
    print(json.dumps(result, indent=1))
    return 0


def _md_check(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import md_check
    from sciml.crystals.settings import MDCheckSettings

    settings = settings_from_args(MDCheckSettings, args)
    use_threads(args.threads)
    summary = md_check(args.model, args.structure, args.out, settings, device=args.device)
    print(json.dumps(summary, indent=1))
    return 0


def _benchmark_report(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import benchmark_report
    from sciml.settings import read_config_file

    workflow = read_config_file(args.config) if args.config is not None else {}
    metrics = benchmark_report(args.selections, args.md, args.out, committees=args.committees, seed=args.seed,
                               workflow=workflow)
    print(json.dumps(metrics, indent=1))
    return 0


def _committee(args: argparse.Namespace) -> int:
    from sciml.crystals.pipeline import committee_file

    result = committee_file(args.members, args.out, args.structures, args.summary, args.plot, device=args.device)
    print(json.dumps(result, indent=1))
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
    _add_key_arguments(tr)
    add_run_options(tr, seed=False)
    tr.set_defaults(func=_train)

    ev = verbs.add_parser("evaluate", help="held-out errors, throughput and physics checks of a model")
    ev.add_argument("--model", type=Path, required=True, help="model folder")
    ev.add_argument("--structures", type=Path, required=True, help="labelled test structures")
    ev.add_argument("--out", type=Path, required=True, help="evaluation JSON")
    ev.add_argument("--parity", type=Path, default=None, help="parity plot PNG")
    ev.add_argument("--title", default=None, help="parity plot title")
    add_config_arguments(ev)
    _add_key_arguments(ev)
    add_run_options(ev, seed=False)
    ev.set_defaults(func=_evaluate)

    pr = verbs.add_parser("predict", help="predict energies and forces of structures")
    pr.add_argument("--model", type=Path, required=True, help="model folder")
    pr.add_argument("--structures", type=Path, required=True, help="structures (extxyz, CIF, ...)")
    pr.add_argument("--out", type=Path, required=True, help="extxyz with energy and forces")
    pr.add_argument("--batch-size", type=int, default=16, help="structures per batch")
    add_run_options(pr, seed=False)
    pr.set_defaults(func=_predict)

    pp = verbs.add_parser("prepare", help="train/validation split of one element of the Zuo 2020 DFT benchmark")
    pp.add_argument("--out", type=Path, required=True, help="folder for train/val/md_start.extxyz")
    pp.add_argument("--root", type=Path, default=Path("data/raw"), help="where the data set is fetched to")
    add_config_arguments(pp)
    pp.set_defaults(func=_prepare)

    se = verbs.add_parser("select", help="copy the candidate model with the best validation score")
    se.add_argument("--models", type=Path, nargs="+", required=True, help="candidate model folders")
    se.add_argument("--evaluations", type=Path, nargs="+", required=True,
                    help="their validation evaluations, in the same order")
    se.add_argument("--out", type=Path, required=True, help="the chosen model folder to write")
    se.add_argument("--summary", type=Path, required=True, help="selection JSON")
    se.add_argument("--element", default=None, help="benchmark element (adds the published test errors)")
    se.set_defaults(func=_select)

    md = verbs.add_parser("md", help="molecular dynamics (NVE or Langevin NVT) with a trained model")
    md.add_argument("--model", type=Path, required=True, help="model folder")
    md.add_argument("--structure", type=Path, required=True, help="starting structure (extxyz, CIF, ...)")
    md.add_argument("--index", type=int, default=0, help="which structure of the file")
    md.add_argument("--temperature", type=float, default=None, help="K (default from the settings: 300)")
    md.add_argument("--steps", type=int, default=None, help="MD steps (default from the settings: 1000)")
    md.add_argument("--out", type=Path, required=True, help="trajectory (extxyz)")
    md.add_argument("--summary", type=Path, default=None, help="JSON summary (drift, stability, records)")
    add_config_arguments(md)
    add_run_options(md, seed=False)
    md.set_defaults(func=_md)

    mc = verbs.add_parser("md-check", help="NVE drift and NVT stability checks of a model")
    mc.add_argument("--model", type=Path, required=True, help="model folder")
    mc.add_argument("--structure", type=Path, required=True, help="starting structure (the file's first)")
    mc.add_argument("--out", type=Path, required=True, help="JSON summary")
    add_config_arguments(mc)
    add_run_options(mc, seed=False)
    mc.set_defaults(func=_md_check)

    br = verbs.add_parser("benchmark-report", help="metrics.json of the DFT benchmark (validation, baseline, "
                          "published test errors, MD checks)")
    br.add_argument("--selections", type=Path, nargs="+", required=True, help="selection JSONs, one per element")
    br.add_argument("--md", type=Path, nargs="+", required=True, help="MD-check JSONs, same order")
    br.add_argument("--committees", type=Path, nargs="*", default=[],
                    help="committee summaries <element>/committee.json (of `committee`)")
    br.add_argument("--out", type=Path, required=True, help="metrics.json")
    br.add_argument("--config", type=Path, default=None, help="the workflow settings recorded in the provenance")
    br.add_argument("--seed", type=int, default=0, help="the workflow seed, recorded in the provenance")
    br.set_defaults(func=_benchmark_report)

    co = verbs.add_parser("committee", help="join model folders into a committee; rank its spread on labelled data")
    co.add_argument("--members", type=Path, nargs="+", required=True, help="model folders (e.g. several seeds)")
    co.add_argument("--out", type=Path, required=True, help="the committee folder to write")
    co.add_argument("--structures", type=Path, default=None, help="labelled structures (validation) to rank on")
    co.add_argument("--summary", type=Path, default=None, help="JSON of the Spearman correlations")
    co.add_argument("--plot", type=Path, default=None, help="PNG of the committee spread vs the actual errors")
    add_run_options(co, seed=False)
    co.set_defaults(func=_committee)

    rp = verbs.add_parser("report", help="metrics.json, learning-curve TSV and plot from evaluations")
    rp.add_argument("--evaluations", type=Path, nargs="+", required=True,
                    help="evaluation JSONs named <family>_<model>_n<size>.json")
    rp.add_argument("--out", type=Path, required=True, help="metrics.json")
    rp.add_argument("--curve-tsv", type=Path, required=True)
    rp.add_argument("--curve-png", type=Path, required=True)
    add_config_arguments(rp)
    rp.set_defaults(func=_report)
