"""`sciml enhancers extract|train|predict|synthetic|ienhancer|irf1|grammar|report`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sciml.cli import add_run_options, use_threads


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    from sciml.errors import ConfigError

    try:
        settings = json.loads(args.settings)
    except json.JSONDecodeError as exc:
        raise ConfigError("--settings", f"not valid JSON: {exc}") from None
    if not isinstance(settings, dict):
        raise ConfigError("--settings", "must be a JSON object")
    return settings


def _setup(args: argparse.Namespace) -> None:
    use_threads(args.threads)


def _extract(args: argparse.Namespace) -> int:
    from sciml.enhancers.genome import extract_windows
    from sciml.enhancers.sequences import write_fasta
    from sciml.files import atomic_path

    ids, peaks, bg_ids, background = extract_windows(args.genome, args.bed, args.length,
                                                     n_background=args.n_background, seed=args.seed)
    with atomic_path(args.out) as staged:
        write_fasta(staged, ids, peaks)
    with atomic_path(args.background) as staged:
        write_fasta(staged, bg_ids, background)
    print(f"{len(peaks)} windows -> {args.out}; {len(background)} GC-matched background -> {args.background}")
    return 0


def _load_user_sequences(args: argparse.Namespace):
    from sciml.enhancers.sequences import load_labelled_fasta, load_pos_neg
    from sciml.errors import ConfigError

    if args.labels is not None:
        return load_labelled_fasta(args.fasta, args.labels)
    if args.negative is None:
        raise ConfigError("--negative", "give --fasta with --labels, or --fasta (positives) with --negative")
    return load_pos_neg(args.fasta, args.negative)


def _train(args: argparse.Namespace) -> int:

    from sciml.enhancers.models import model_config_dict
    from sciml.enhancers.pipeline import fit_config, model_config
    from sciml.enhancers.sequences import one_hot
    from sciml.enhancers.synthetic import split_indices
    from sciml.enhancers.training import mean_auroc, predict_proba, train_classifier
    from sciml.train.checkpoint import save_model_dir

    _setup(args)
    settings = _settings(args)
    seqs = _load_user_sequences(args)
    length = args.length or max(len(s) for s in seqs.sequences)
    X = one_hot(seqs.sequences, length)
    tr, va, te = split_indices(len(X), (0.8, 0.1, 0.1), args.seed)
    model, _ = train_classifier(model_config(settings.get("model", {}), length, seqs.tasks), X[tr], seqs.labels[tr],
                                X[va], seqs.labels[va], fit_config(settings.get("train", {}), args.seed, args.device))
    auroc = mean_auroc(seqs.labels[te], predict_proba(model, X[te]))
    save_model_dir(args.out, model, model_config_dict(model), metrics={"test_auroc": auroc, "n_test": int(len(te))})
    print(f"held-out AUROC {auroc:.4f} on {len(te)} sequences; model -> {args.out}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    import pandas as pd

    from sciml.enhancers.gkm import GkmSVM
    from sciml.enhancers.kmers import KmerLogistic
    from sciml.enhancers.models import load_model
    from sciml.enhancers.sequences import one_hot, read_fasta
    from sciml.enhancers.training import predict_proba
    from sciml.files import atomic_path
    from sciml.train.checkpoint import read_model_config
    from sciml.train.device import select_device

    _setup(args)
    model = load_model(args.model, select_device(args.device))
    ids, seqs = read_fasta(args.fasta)
    X = one_hot(seqs, model.config.seq_length)
    probs = predict_proba(model, X, batch_size=args.batch_size)
    predictor = read_model_config(args.model).get("predictor", "cnn")
    if predictor == "gkm":  # iEnhancer models may carry a gkm-SVM (gkm.safetensors) ...
        probs = GkmSVM.load(args.model).predict_proba(X)[:, None]
    elif predictor != "cnn":  # ... or a k-mer logistic regression (kmer.safetensors)
        kmer = KmerLogistic.load(args.model).predict_proba(X)[:, None]
        probs = kmer if predictor == "kmer" else (probs + kmer) / 2
    tasks = model.config.tasks
    columns = ["prob"] if len(tasks) == 1 else [f"prob_{t}" for t in tasks]
    frame = pd.DataFrame(probs, columns=columns)
    frame.insert(0, "id", ids)
    with atomic_path(args.out) as staged:
        frame.to_csv(staged, sep="\t", index=False, float_format="%.6f")
    print(f"{len(ids)} predictions -> {args.out}")
    return 0


def _synthetic(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import run_synthetic

    _setup(args)
    summary = run_synthetic(args.out, _settings(args), args.seed, args.device, args.threads, args.checkpoints)
    print(json.dumps(summary["metrics"], indent=1))
    return 0


def _ienhancer(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import run_ienhancer

    _setup(args)
    summary = run_ienhancer(args.data, args.out, _settings(args), args.seed, args.device, args.checkpoints)
    print(json.dumps(summary["metrics"], indent=1))
    return 0


def _irf1(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import run_irf1

    _setup(args)
    summary = run_irf1(args.data, args.out, _settings(args), args.seed, args.device, args.threads, args.checkpoints)
    print(json.dumps(summary["metrics"], indent=1))
    return 0


def _grammar(args: argparse.Namespace) -> int:
    from sciml.enhancers.pipeline import run_grammar

    _setup(args)
    summary = run_grammar(args.out, _settings(args), args.seed, args.device, args.threads, args.checkpoints)
    print(json.dumps(summary["metrics"], indent=1))
    return 0


def _report(args: argparse.Namespace) -> int:
    from sciml.enhancers.report import build_report
    from sciml.errors import ConfigError

    parts = {}
    for item in args.part:
        name, sep, folder = item.partition("=")
        if not sep:
            raise ConfigError("--part", f"expected NAME=DIR, got {item!r}")
        parts[name] = folder
    build_report(parts, args.metrics, args.html, args.seed)
    print(f"metrics -> {args.metrics}; report -> {args.html}")
    return 0


def _common(parser: argparse.ArgumentParser, settings: bool = True) -> None:
    add_run_options(parser)
    if settings:
        parser.add_argument("--settings", default="{}", help="JSON object of analysis settings (see the schema)")


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml enhancers ...`."""
    group = groups.add_parser("enhancers", help="enhancer CNNs, motifs, grammar, attribution")
    verbs = group.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("extract", help="fixed-length windows at BED regions + GC-matched background")
    p.add_argument("--genome", type=Path, required=True)
    p.add_argument("--bed", type=Path, required=True)
    p.add_argument("--length", type=int, default=200)
    p.add_argument("--n-background", type=int, default=1, help="background windows per region")
    p.add_argument("--out", type=Path, required=True, help="FASTA of region windows")
    p.add_argument("--background", type=Path, required=True, help="FASTA of background windows")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_extract)

    p = verbs.add_parser("train", help="train a motif CNN on your FASTA (80/10/10 split)")
    p.add_argument("--fasta", type=Path, required=True, help="sequences (positives when --negative is given)")
    p.add_argument("--negative", type=Path, help="negative FASTA")
    p.add_argument("--labels", type=Path, help="labels TSV: id + one 0/1 column per task")
    p.add_argument("--length", type=int, default=None, help="crop/pad length (default: longest)")
    p.add_argument("--out", type=Path, required=True, help="model directory")
    _common(p)
    p.set_defaults(func=_train)

    p = verbs.add_parser("predict", help="predict with a saved model: TSV id + prob (prob_<task>)")
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--fasta", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--batch-size", type=int, default=256)
    _common(p, settings=False)
    p.set_defaults(func=_predict)

    for name, func, helptext, data in (
        ("synthetic", _synthetic, "planted-motif set: train, PWMs vs JASPAR, attribution", False),
        ("ienhancer", _ienhancer, "iEnhancer-2L 5-fold CV + final model", True),
        ("irf1", _irf1, "IRF1 ChIP-seq: train, test AUROC, IRF motif check", True),
        ("grammar", _grammar, "grammar set: dilated model, spacing/order probing", False),
    ):
        p = verbs.add_parser(name, help=helptext)
        if data:
            p.add_argument("--data", type=Path, required=True, help="fetched data set folder")
        p.add_argument("--out", type=Path, required=True, help="output directory")
        p.add_argument("--checkpoints", type=Path, default=None,
                       help="keep per-epoch training checkpoints here; a rerun after a kill resumes from them")
        _common(p)
        p.set_defaults(func=func)

    p = verbs.add_parser("report", help="metrics.json + report.html from analysis directories")
    p.add_argument("--part", action="append", required=True, help="NAME=DIR, repeatable")
    p.add_argument("--metrics", type=Path, required=True)
    p.add_argument("--html", type=Path, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_report)
