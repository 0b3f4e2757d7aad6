"""`sciml enhancers extract|train|predict|motifs|spacing|synthetic|ienhancer|irf1|chipseq|grammar|mpra|report`.

Each verb parses its data arguments, reads its settings from `--config FILE` / `--set KEY=VALUE`
(`sciml.enhancers.settings`), calls one function of `sciml.enhancers.pipeline` (or `report`) and
writes its output.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sciml.cli import add_run_options, use_threads
from sciml.settings import add_config_arguments, settings_from_args


def _extract(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import extract_regions
    from sciml.enhancers.settings import ExtractSettings

    n_peaks, n_background = extract_regions(args.genome, args.bed, args.out, args.background,
                                            settings_from_args(ExtractSettings, args))
    print(f"{n_peaks} windows -> {args.out}; {n_background} GC-matched background -> {args.background}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import cross_validate_sequence_model, load_sequences, train_sequence_model
    from sciml.enhancers.settings import TrainModelSettings

    settings = settings_from_args(TrainModelSettings, args)
    use_threads(args.threads)
    seqs = load_sequences(args.fasta, args.negative, args.labels, h5=args.h5, table=args.table,
                          sequence_column=args.sequence_column, target_column=args.target_column,
                          objective=args.task, length=settings.length, valid_table=args.valid_table,
                          test_table=args.test_table)
    metric = "pearson" if seqs.objective == "regression" else "auroc"
    if args.folds:
        return _write_cv(cross_validate_sequence_model(seqs, settings, args.folds, args.device), args.out, metric)
    metrics = train_sequence_model(seqs, args.out, settings, args.device)
    print(f"test {metric} {metrics[f'test_{metric}']:.4f} on {metrics['n_test']} sequences "
          f"(GC-only {metrics[f'gc_{metric}']:.4f}, k-mer {metrics[f'kmer_{metric}']:.4f}); model -> {args.out}")
    return 0


def _write_cv(summary: dict, out: Path, metric: str) -> int:
    import pandas as pd

    from sciml.files import atomic_path

    with atomic_path(out) as staged:
        staged.mkdir()
        (staged / "cv.json").write_text(json.dumps(summary, indent=1) + "\n")
        pd.DataFrame(summary["folds"]).to_csv(staged / "cv_folds.tsv", sep="\t", index=False, float_format="%.6f")
    scores = ", ".join(f"{name} {summary[f'{key}_{metric}_mean']:.3f} +/- {summary[f'{key}_{metric}_sd']:.3f}"
                       for name, key in (("CNN", "cnn"), ("k-mer", "kmer"), ("GC-only", "gc")))
    print(f"{summary['n_folds']}-fold CV {metric} (held-out folds, mean +/- sd): {scores}; cv.json -> {out}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import predict_fasta
    from sciml.files import atomic_path
    from sciml.models import load_model
    from sciml.train.device import select_device

    use_threads(args.threads)
    frame = predict_fasta(load_model(args.model, select_device(args.device)), args.fasta, args.batch_size)
    with atomic_path(args.out) as staged:
        frame.to_csv(staged, sep="\t", index=False, float_format="%.6f")
    print(f"{len(frame)} predictions -> {args.out}")
    return 0


def _motifs(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import find_motifs
    from sciml.enhancers.settings import MotifsSettings
    from sciml.models import load_model

    settings = settings_from_args(MotifsSettings, args)
    use_threads(args.threads)
    found = find_motifs(load_model(args.model), args.fasta, args.out, settings, threads=args.threads)
    for pattern, match in zip(found.patterns, found.pattern_matches.best_matches(), strict=True):
        print(f"{pattern.name}\t{pattern.n_seqlets} seqlets\t{match.name} ({match.matrix_id}) q={match.q_value:.2g}")
    print(f"{len(found.patterns)} modisco patterns; modisco.h5, modisco_report/, motifs.meme, seqlets.bed, "
          f"matches.tsv, filters.meme -> {args.out}")
    return 0


def _spacing(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import find_spacing
    from sciml.enhancers.settings import SpacingSettings
    from sciml.models import load_model
    from sciml.train.device import select_device

    settings = settings_from_args(SpacingSettings, args)
    use_threads(args.threads)
    summary = find_spacing(load_model(args.model, select_device(args.device)), args.motifs, args.fasta, args.out,
                           settings)
    if summary is None:
        print(f"no positive pattern in {args.motifs}: no spacing probe; spacing.png -> {args.out}")
        return 0
    low, high = summary["control_low"], summary["control_high"]
    print(f"A = {summary['label_a']}, B = {summary['label_b']}: best {summary['best_arrangement']} at "
          f"{summary['best_gap_bp']} bp, interaction {summary['best_interaction']:+.3f} "
          f"(+/- {summary['best_interaction_se']:.3f}) logit; shuffled-motif controls {low:+.3f}..{high:+.3f}")
    for name, row in summary["arrangements"].items():
        print(f"  {name}\tbest gap {row['best_gap_bp']} bp\tmax {row['max_interaction']:+.3f}\t"
              f"mean {row['mean_interaction']:+.3f}")
    print(f"spacing.tsv, spacing.png, spacing.json -> {args.out}")
    return 0


def _run_job(args: argparse.Namespace) -> int:
    from sciml.enhancers import pipeline, settings

    cls = {"synthetic": settings.SyntheticSettings, "grammar": settings.GrammarSettings,
           "ienhancer": settings.IEnhancerSettings, "irf1": settings.Irf1Settings,
           "chipseq": settings.ChipSeqSettings, "mpra": settings.MpraSettings}[args.verb]
    job_settings = settings_from_args(cls, args)
    use_threads(args.threads)
    if args.verb == "synthetic":
        summary = pipeline.run_synthetic(args.out, job_settings, args.device, args.threads, args.checkpoints)
    elif args.verb == "grammar":
        summary = pipeline.run_grammar(args.out, job_settings, args.device, args.threads, args.checkpoints)
    elif args.verb == "ienhancer":
        summary = pipeline.run_ienhancer(args.data, args.out, job_settings, args.device, args.checkpoints)
    elif args.verb == "mpra":
        summary = pipeline.run_mpra(args.data, args.out, job_settings, args.device)
    elif args.verb == "chipseq":
        summary = pipeline.run_chipseq(args.data, args.out, job_settings, args.device, args.threads, args.checkpoints)
    else:
        summary = pipeline.run_irf1(args.data, args.out, job_settings, args.device, args.threads, args.checkpoints)
    print(json.dumps(summary["metrics"], indent=1))
    return 0


def _report(args: argparse.Namespace) -> int:
    from sciml.enhancers.report import build_report, parse_parts
    from sciml.enhancers.settings import ReportSettings

    settings = settings_from_args(ReportSettings, args)
    build_report(parse_parts(args.part), args.metrics, args.html, settings.seed)
    print(f"metrics -> {args.metrics}; report -> {args.html}")
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml enhancers ...`."""
    group = groups.add_parser("enhancers", help="enhancer CNNs, motifs, grammar, attribution")
    verbs = group.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("extract", help="fixed-length windows at BED regions + GC-matched background")
    p.add_argument("--genome", type=Path, required=True, help="genome FASTA (indexed with pyfaidx)")
    p.add_argument("--bed", type=Path, required=True, help="regions (BED3+)")
    p.add_argument("--out", type=Path, required=True, help="FASTA of region windows")
    p.add_argument("--background", type=Path, required=True, help="FASTA of background windows")
    add_config_arguments(p)
    p.set_defaults(func=_extract)

    p = verbs.add_parser("train", help="train a motif CNN on labelled sequences (FASTA pair, HDF5 splits or a table)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--fasta", type=Path, help="sequences (positives when --negative is given)")
    source.add_argument("--h5", type=Path, help="HDF5 with one-hot x_train/y_train, x_valid/..., x_test/... "
                        "(upper- or lower-case keys); its split is kept")
    source.add_argument("--table", type=Path, help="CSV (.csv) or TSV table of sequences and a target")
    p.add_argument("--negative", type=Path, help="negative FASTA")
    p.add_argument("--labels", type=Path, help="labels TSV: id + one 0/1 column per task")
    p.add_argument("--valid-table", type=Path, help="validation rows of a split table (same columns; with --test-table)")
    p.add_argument("--test-table", type=Path, help="test rows of a split table (same columns; with --valid-table)")
    p.add_argument("--sequence-column", help="the table's sequence column")
    p.add_argument("--target-column", help="the table's target column")
    p.add_argument("--task", choices=("binary", "regression"), default="binary",
                   help="the table's target: 0/1 labels or a measured activity")
    p.add_argument("--folds", type=int, default=None, metavar="K",
                   help="score by K-fold cross-validation (an element and its reverse complement in one fold) "
                   "instead of one split: --out gets cv.json and cv_folds.tsv, no model")
    p.add_argument("--out", type=Path, required=True, help="model folder (with --folds: the CV output folder)")
    add_config_arguments(p)
    add_run_options(p, seed=False)
    p.set_defaults(func=_train)

    p = verbs.add_parser("predict", help="predict with a saved model: TSV id + prob (binary) or value (regression)")
    p.add_argument("--model", type=Path, required=True, help="model folder")
    p.add_argument("--fasta", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True, help="TSV of predictions")
    p.add_argument("--batch-size", type=int, default=256)
    add_run_options(p, seed=False)
    p.set_defaults(func=_predict)

    p = verbs.add_parser("motifs", help="TF-MoDISco patterns and filter PWMs of a motif CNN, matched to JASPAR")
    p.add_argument("--model", type=Path, required=True, help="motif CNN model folder")
    p.add_argument("--fasta", type=Path, required=True, help="sequences to explain (e.g. the positives)")
    p.add_argument("--out", type=Path, required=True,
                   help="output folder (modisco.h5, modisco_report/, motifs.meme, seqlets.bed, matches.tsv, filters)")
    add_config_arguments(p)
    add_run_options(p, seed=False, device=False)
    p.set_defaults(func=_motifs)

    p = verbs.add_parser("spacing", help="spacing and orientation preferences between two discovered motifs "
                         "(in-silico insertion into shuffled backgrounds, beside shuffled-motif controls)")
    p.add_argument("--model", type=Path, required=True, help="motif CNN model folder")
    p.add_argument("--motifs", type=Path, required=True,
                   help="output folder of `sciml enhancers motifs` (modisco.h5, matches.tsv)")
    p.add_argument("--fasta", type=Path, required=True,
                   help="background sequences (e.g. the negatives); their dinucleotide shuffles are probed")
    p.add_argument("--out", type=Path, required=True, help="output folder (spacing.tsv, spacing.png, spacing.json)")
    add_config_arguments(p)
    add_run_options(p, seed=False)
    p.set_defaults(func=_spacing)

    for name, helptext, data in (
        ("synthetic", "planted-motif set: train, PWMs vs JASPAR, attribution", False),
        ("ienhancer", "iEnhancer-2L 5-fold CV + final model", True),
        ("irf1", "IRF1 ChIP-seq: train, test AUROC, IRF motif check", True),
        ("chipseq", "one ChIP-seq task (--set tf=FOXK2): test AUROC beside baselines, TF-MoDISco motifs", True),
        ("grammar", "grammar set: dilated model, spacing/order probing", False),
        ("mpra", "lentiMPRA activity: element-grouped k-fold CV of the CNN beside k-mer ridge and GC", True),
    ):
        p = verbs.add_parser(name, help=helptext)
        if data:
            p.add_argument("--data", type=Path, required=True, help="fetched data set folder")
        p.add_argument("--out", type=Path, required=True, help="output folder")
        if name != "mpra":
            p.add_argument("--checkpoints", type=Path, default=None,
                           help="keep per-epoch training checkpoints here; a rerun after a kill resumes from them")
        add_config_arguments(p)
        add_run_options(p, seed=False)
        p.set_defaults(func=_run_job)

    p = verbs.add_parser("report", help="metrics.json + report.html from analysis folders")
    p.add_argument("--part", action="append", required=True, help="NAME=DIR, repeatable")
    p.add_argument("--metrics", type=Path, required=True)
    p.add_argument("--html", type=Path, required=True)
    add_config_arguments(p)
    p.set_defaults(func=_report)
