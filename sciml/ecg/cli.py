"""`sciml ecg preprocess|rpeaks|train|distill|prune|evaluate|predict`.

Data go in flags (`--in`, `--out`, `--model`, ...); settings only through `--config FILE` and
`--set KEY=VALUE` (the dataclasses of `sciml.ecg.settings`). Each verb calls one function of
`sciml.ecg.pipeline` (or `sciml.ecg.predict`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sciml.cli import add_run_options, use_threads
from sciml.settings import add_config_arguments, settings_from_args


def _preprocess(args: argparse.Namespace) -> int:
    from sciml.ecg.pipeline import preprocess_records
    from sciml.ecg.settings import PreprocessSettings

    preprocess_records(args.inp, args.out, settings_from_args(PreprocessSettings, args))
    return 0


def _rpeaks(args: argparse.Namespace) -> int:
    from sciml.ecg.pipeline import score_rpeaks
    from sciml.ecg.settings import RPeakSettings

    score_rpeaks(args.inp, args.out, settings_from_args(RPeakSettings, args))
    return 0


def _train(args: argparse.Namespace) -> int:
    from sciml.ecg.pipeline import train_teacher
    from sciml.ecg.settings import TrainSettings

    settings = settings_from_args(TrainSettings, args)
    use_threads(args.threads)
    train_teacher(args.inp, args.out, settings, device=args.device, workdir=args.workdir, resume=args.resume)
    return 0


def _distill(args: argparse.Namespace) -> int:
    from sciml.ecg.pipeline import distill_student
    from sciml.ecg.settings import DistillSettings

    settings = settings_from_args(DistillSettings, args)
    use_threads(args.threads)
    distill_student(args.inp, args.teacher, args.out, settings, device=args.device, workdir=args.workdir,
                    resume=args.resume)
    return 0


def _prune(args: argparse.Namespace) -> int:
    from sciml.ecg.pipeline import prune_student
    from sciml.ecg.settings import PruneSettings

    settings = settings_from_args(PruneSettings, args)
    use_threads(args.threads)
    prune_student(args.inp, args.teacher, args.student, args.out, settings, device=args.device, workdir=args.workdir,
                  resume=args.resume)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.ecg.pipeline import EvaluationOutputs, evaluate_models
    from sciml.ecg.settings import EvaluateSettings

    settings = settings_from_args(EvaluateSettings, args)
    use_threads(args.threads)
    outputs = EvaluationOutputs(metrics=args.metrics, per_record=args.per_record, confusion=args.confusion,
                                reliability=args.reliability, saliency=args.saliency)
    evaluate_models(args.inp, args.model, args.student, args.rpeaks, outputs, settings,
                    compare_dirs=tuple(args.compare), records_dir=args.records, pruned_dir=args.pruned)
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.ecg.predict import predict_record

    use_threads(args.threads)
    predict_record(args.model, args.record, args.out, lead=args.lead, second_lead=args.second_lead, beats=args.beats,
                   adapt_minutes=args.adapt_minutes)
    return 0


def _training_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--in", dest="inp", type=Path, required=True, help="beats.npz from `preprocess`")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write")
    parser.add_argument("--workdir", type=Path, default=None, help="checkpoint + metrics.csv folder")
    parser.add_argument("--resume", action="store_true", help="continue from --workdir's checkpoint")
    add_config_arguments(parser)
    add_run_options(parser, seed=False)


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml ecg ...`."""
    ecg = groups.add_parser("ecg", help="ECG heartbeat classification (MIT-BIH, AAMI classes)")
    verbs = ecg.add_subparsers(dest="verb", metavar="VERB", required=True)

    prep = verbs.add_parser("preprocess", help="WFDB records -> labelled beats (.npz)")
    prep.add_argument("--in", dest="inp", type=Path, required=True, help="folder of WFDB records")
    prep.add_argument("--out", type=Path, required=True, help="beats .npz to write")
    add_config_arguments(prep)
    prep.set_defaults(func=_preprocess)

    rpeaks = verbs.add_parser("rpeaks", help="R-peak detector vs XQRS vs the reference annotations (TSV)")
    rpeaks.add_argument("--in", dest="inp", type=Path, required=True, help="folder of WFDB records")
    rpeaks.add_argument("--out", type=Path, required=True, help="TSV to write")
    add_config_arguments(rpeaks)
    rpeaks.set_defaults(func=_rpeaks)

    train = verbs.add_parser("train", help="train the dilated residual CNN teacher (inter-patient)")
    _training_data(train)
    train.set_defaults(func=_train)

    dist = verbs.add_parser("distill", help="distil a teacher into a compact student")
    _training_data(dist)
    dist.add_argument("--teacher", type=Path, required=True, help="the teacher's model folder")
    dist.set_defaults(func=_distill)

    prune = verbs.add_parser("prune", help="structured pruning of a distilled student, fine-tuned by distillation")
    _training_data(prune)
    prune.add_argument("--teacher", type=Path, required=True, help="the teacher's model folder")
    prune.add_argument("--student", type=Path, required=True, help="the distilled student's model folder")
    prune.set_defaults(func=_prune)

    ev = verbs.add_parser("evaluate", help="held-out DS2 evaluation -> metrics.json, tables, figures")
    ev.add_argument("--in", dest="inp", type=Path, required=True, help="beats.npz")
    ev.add_argument("--model", type=Path, required=True, help="teacher model folder")
    ev.add_argument("--student", type=Path, required=True, help="student model folder")
    ev.add_argument("--pruned", type=Path, default=None, help="pruned student model folder (from `prune`)")
    ev.add_argument("--compare", type=Path, nargs="*", default=[], help="other teachers (e.g. another loss)")
    ev.add_argument("--rpeaks", type=Path, required=True, help="TSV from `rpeaks`")
    ev.add_argument("--records", type=Path, default=None,
                    help="folder of the WFDB records: also classify the test records rewritten at 128 Hz with "
                         "leads ECG1/ECG2 and half the gain (a simulated other database)")
    ev.add_argument("--metrics", type=Path, required=True, help="metrics.json to write")
    ev.add_argument("--per-record", type=Path, required=True, help="per-record TSV to write")
    ev.add_argument("--confusion", type=Path, required=True, help="confusion-matrix PNG to write")
    ev.add_argument("--reliability", type=Path, required=True, help="reliability-diagram PNG to write")
    ev.add_argument("--saliency", type=Path, required=True, help="saliency PNG to write")
    add_config_arguments(ev)
    add_run_options(ev, seed=False, device=False)
    ev.set_defaults(func=_evaluate)

    pred = verbs.add_parser("predict", help="classify the beats of one WFDB record -> TSV")
    pred.add_argument("--model", type=Path, required=True, help="model folder (kind ecg.beatnet)")
    pred.add_argument("--record", type=Path, required=True, help="record path without extension")
    pred.add_argument("--out", type=Path, required=True, help="TSV to write")
    pred.add_argument("--lead", default=None,
                      help="lead to classify, by name (e.g. ECG1); default: the model's lead preference list")
    pred.add_argument("--second-lead", default=None,
                      help="second lead, by name (e.g. ECG2), for a two-lead model; default: the model's "
                           "second-lead preference list (none present: one lead)")
    pred.add_argument("--beats", choices=["auto", "annotations", "detect"], default="auto",
                      help="beat positions: reference .atr, the R-peak detector, or .atr when present")
    pred.add_argument("--adapt-minutes", type=float, default=None,
                      help="patient-adaptive mode: use the labels of the first N minutes")
    add_run_options(pred, seed=False, device=False)
    pred.set_defaults(func=_predict)
