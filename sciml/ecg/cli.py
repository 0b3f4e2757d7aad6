"""`sciml ecg preprocess|rpeaks|train|distill|evaluate|predict`."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from sciml.cli import add_run_options, use_threads

log = logging.getLogger("sciml.ecg")


def _csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _preprocessing(args: argparse.Namespace):
    from sciml.ecg.beats import FEATURE_VERSION
    from sciml.ecg.io import Preprocessing
    from sciml.errors import ConfigError

    if args.feature_version is not None and args.feature_version != FEATURE_VERSION:
        raise ConfigError("--feature-version", f"{args.feature_version} requested, this sciml computes "
                                               f"beat-feature version {FEATURE_VERSION}")

    return Preprocessing(fs=args.fs, before_s=args.before_s, after_s=args.after_s, leads=_csv_list(args.leads),
                         band_hz=[args.low_hz, args.high_hz], max_flat_s=args.max_flat_s)


def _records_in(directory: Path, wanted: str | None) -> list[str]:
    from sciml.ecg.aami import split_records
    from sciml.ecg.dataset import available_records

    available = available_records(directory)
    if wanted:
        return _csv_list(wanted)
    ds1, ds2 = split_records(available)
    return ds1 + ds2


def _preprocess(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from sciml.ecg.dataset import load_annotated_beats

    prep = _preprocessing(args)
    records = _records_in(args.inp, args.records)
    beats = load_annotated_beats(args.inp, records, leads=prep.leads, fs=prep.fs, before_s=prep.before_s,
                                 after_s=prep.after_s, max_flat_s=prep.max_flat_s)
    beats.meta = asdict(prep)
    beats.save(args.out)
    log.info("%d beats of %d records -> %s", len(beats), len(records), args.out)
    return 0


def _rpeaks(args: argparse.Namespace) -> int:
    from sciml.ecg.evaluate import rpeak_table
    from sciml.files import atomic_path

    prep = _preprocessing(args)
    table = rpeak_table(args.inp, _records_in(args.inp, args.records), fs=prep.fs, leads=prep.leads,
                        band_hz=tuple(prep.band_hz))
    with atomic_path(args.out) as staged:
        table.to_csv(staged, sep="\t", index=False, float_format="%.5f")
    return 0


def _split(args: argparse.Namespace, beats):
    from sciml.ecg.aami import split_records
    from sciml.ecg.dataset import choose_validation, random_beat_split

    ds1, _ = split_records(sorted(set(beats.record.tolist())))
    train_records = _csv_list(args.train_records) if args.train_records else ds1
    train = beats.of_records(train_records)
    if args.beat_split:
        return random_beat_split(train, args.beat_split, args.seed)
    fit_records, val_records = choose_validation(train_records, _csv_list(args.val_records))
    return train.of_records(fit_records), train.of_records(val_records)


def _fit_config(args: argparse.Namespace):
    from sciml.errors import ConfigError
    from sciml.train import FitConfig

    if args.min_temperature < 0:
        raise ConfigError("--min-temperature", f"must be >= 0 (0: unbounded), got {args.min_temperature}")
    monitor = getattr(args, "monitor", "val_macro_f1")
    return FitConfig(max_epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, weight_decay=args.weight_decay,
                     grad_clip_norm=1.0, monitor=monitor, mode="max" if monitor == "val_macro_f1" else "min",
                     patience=args.patience, seed=args.seed, device=args.device)


def _architecture(args: argparse.Namespace, beats, separable: bool):
    from sciml.ecg.models import BeatNetConfig

    return BeatNetConfig(in_channels=beats.waves.shape[1], window=beats.waves.shape[2], n_rr=beats.rr.shape[1],
                         width=args.width, dilations=[int(d) for d in _csv_list(args.dilations)],
                         kernel_size=args.kernel_size, stem_stride=args.stem_stride, separable=separable,
                         width_multiplier=args.width_multiplier, squeeze_excitation=args.squeeze_excitation,
                         dropout=args.dropout)


def _finish_classifier(args: argparse.Namespace, model, val, result, extra: dict) -> None:
    """Fit the temperature on the validation beats and save the model with its validation scores."""
    from sciml.ecg.evaluate import calibrated_scores
    from sciml.ecg.io import Preprocessing, save_classifier
    from sciml.ecg.training import irregular_rhythm_check, predict_logits
    from sciml.train.calibration import fit_temperature

    model.cpu()
    logits = predict_logits(model, val)
    fitted = fit_temperature(logits, val.label)
    # Validation beats come from DS1 patients, on whom the model is nearly always right, so they can
    # only ask for sharpening (T < 1); over-confidence on new patients is not measurable there. With
    # --min-temperature 1, temperature scaling may only soften (see docs/ecg.md, calibration).
    temperature = max(fitted, args.min_temperature)
    if temperature != fitted:
        log.info("fitted temperature %.3f raised to the lower bound %.3f", fitted, temperature)
    scores = calibrated_scores(logits, val.label, temperature)
    metrics = {"val": {k: v for k, v in scores.items() if v == v}, "best_epoch": result.best_epoch,
               "epochs_run": result.epochs_run, "temperature_fitted": fitted,
               # other draws than the training copies (seed) and the validation copies (seed + 100)
               **irregular_rhythm_check(model, val, seed=args.seed + 200)}
    save_classifier(args.out, model, Preprocessing(**val.meta), temperature=temperature,
                    extra={**extra, "seed": args.seed, "val_records": sorted(set(val.record.tolist()))},
                    metrics=metrics)
    log.info("saved %s (val macro-F1 %.4f, T=%.3f)", args.out, scores["macro_f1"], temperature)


def _train(args: argparse.Namespace) -> int:
    from sciml.ecg.io import load_current_beats
    from sciml.ecg.models import BeatNet
    from sciml.ecg.training import train_beat_classifier
    from sciml.train import seed_everything

    use_threads(args.threads)
    beats = load_current_beats(args.inp)
    train, val = _split(args, beats)
    config = _fit_config(args)
    seed_everything(args.seed)
    model = BeatNet(_architecture(args, beats, separable=args.separable))
    result = train_beat_classifier(model, train, val, config, loss=args.loss, gamma=args.gamma,
                                   class_weight_power=args.class_weight_power,
                                   irregular_fraction=args.irregular_fraction,
                                   aberrant_copies=args.aberrant_copies,
                                   val_irregular_fraction=args.val_irregular_fraction, out_dir=args.workdir,
                                   resume=args.resume)
    _finish_classifier(args, model, val, result, {"loss": args.loss, "role": "teacher"})
    return 0


def _distill(args: argparse.Namespace) -> int:
    from sciml.ecg.compress import distill
    from sciml.ecg.io import load_current_beats, load_model
    from sciml.ecg.models import BeatNet
    from sciml.train import seed_everything

    use_threads(args.threads)
    beats = load_current_beats(args.inp)
    teacher = load_model(args.teacher)
    train, val = _split(args, beats)
    seed_everything(args.seed)
    student = BeatNet(_architecture(args, beats, separable=True))
    result = distill(student, teacher, train, val, _fit_config(args), temperature=args.kd_temperature,
                     alpha=args.kd_alpha, class_weight_power=args.class_weight_power,
                     irregular_fraction=args.irregular_fraction, aberrant_copies=args.aberrant_copies,
                     out_dir=args.workdir, resume=args.resume)
    _finish_classifier(args, student, val, result, {"role": "student", "teacher": str(args.teacher)})
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from sciml.ecg.report import evaluate_pipeline

    use_threads(args.threads)
    evaluate_pipeline(beats_path=args.inp, teacher_dir=args.model, student_dir=args.student,
                      compare_dirs=[Path(p) for p in args.compare], rpeaks_path=args.rpeaks,
                      test_records=_csv_list(args.test_records) if args.test_records else None,
                      adapt_minutes=args.adapt_minutes, adapt_l2=args.adapt_l2,
                      adapt_prototype_weight=args.adapt_prototype_weight,
                      metrics_path=args.metrics, per_record_path=args.per_record, confusion_path=args.confusion,
                      reliability_path=args.reliability, saliency_path=args.saliency, seed=args.seed,
                      settings={k: v for k, v in vars(args).items() if k != "func"})
    return 0


def _predict(args: argparse.Namespace) -> int:
    from sciml.ecg.predict import predict_record

    use_threads(args.threads)
    predict_record(args.model, args.record, args.out, beats=args.beats, adapt_minutes=args.adapt_minutes)
    return 0


def _add_preprocessing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fs", type=float, default=180.0, help="working sampling rate (Hz)")
    parser.add_argument("--before-s", type=float, default=0.3, help="beat window before the R peak (s)")
    parser.add_argument("--after-s", type=float, default=0.5, help="beat window after the R peak (s)")
    parser.add_argument("--leads", default="MLII,V1,V2,V4,V5,II", help="lead names in order of preference")
    parser.add_argument("--low-hz", type=float, default=0.5, help="baseline-wander cut-off (Hz)")
    parser.add_argument("--high-hz", type=float, default=40.0, help="noise cut-off (Hz)")
    parser.add_argument("--max-flat-s", type=float, default=2.0, help="longest allowed flat-line stretch (s)")
    parser.add_argument("--feature-version", type=int, default=None,
                        help="beat-feature version the caller expects (sciml.ecg.beats.FEATURE_VERSION); "
                             "a workflow passes it so that a new version reruns preprocessing")
    parser.add_argument("--records", default=None, help="comma-separated records (default: DS1 + DS2 present)")


def _add_training(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--in", dest="inp", type=Path, required=True, help="beats.npz from `preprocess`")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--workdir", type=Path, default=None, help="checkpoint + metrics.csv directory")
    parser.add_argument("--resume", action="store_true", help="continue from --workdir's checkpoint")
    parser.add_argument("--train-records", default=None, help="training records (default: DS1 present)")
    parser.add_argument("--val-records", default="116,119", help="held-out DS1 records for validation")
    parser.add_argument("--beat-split", type=float, default=None,
                        help="UNSAFE: random beat-level validation fraction (leaks patients)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--weight-decay", type=float, default=1e-3)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--class-weight-power", type=float, default=0.5)
    parser.add_argument("--irregular-fraction", type=float, default=0.0,
                        help="add this fraction of the training N beats again in synthetic irregular rhythms "
                             "(atrial-fibrillation-like RR contexts, label N)")
    parser.add_argument("--aberrant-copies", type=int, default=0,
                        help="add this many copies of each training S beat with a widened QRS (aberrant "
                             "conduction; P wave and RR features kept, label S)")
    parser.add_argument("--width", type=int, default=24)
    parser.add_argument("--width-multiplier", type=float, default=1.0)
    parser.add_argument("--dilations", default="1,2,4,8")
    parser.add_argument("--kernel-size", type=int, default=5)
    parser.add_argument("--stem-stride", type=int, default=2)
    parser.add_argument("--squeeze-excitation", action="store_true")
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--min-temperature", type=float, default=1.0,
                        help="lower bound of the temperature fitted on the validation beats (1: only soften; "
                             "0: unbounded)")
    add_run_options(parser)


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml ecg ...`."""
    ecg = groups.add_parser("ecg", help="ECG heartbeat classification (MIT-BIH, AAMI classes)")
    verbs = ecg.add_subparsers(dest="verb", metavar="VERB", required=True)

    prep = verbs.add_parser("preprocess", help="WFDB records -> labelled beats (.npz)")
    prep.add_argument("--in", dest="inp", type=Path, required=True, help="folder of WFDB records")
    prep.add_argument("--out", type=Path, required=True, help="beats .npz to write")
    _add_preprocessing(prep)
    prep.add_argument("--seed", type=int, default=0, help="unused (deterministic); accepted for uniform rules")
    prep.add_argument("--threads", type=int, default=1)
    prep.set_defaults(func=_preprocess)

    rpeaks = verbs.add_parser("rpeaks", help="R-peak detector vs XQRS vs the reference annotations (TSV)")
    rpeaks.add_argument("--in", dest="inp", type=Path, required=True, help="folder of WFDB records")
    rpeaks.add_argument("--out", type=Path, required=True)
    _add_preprocessing(rpeaks)
    rpeaks.add_argument("--threads", type=int, default=1)
    rpeaks.set_defaults(func=_rpeaks)

    train = verbs.add_parser("train", help="train the dilated residual CNN teacher (inter-patient)")
    _add_training(train)
    train.add_argument("--loss", choices=["focal", "weighted_ce"], default="focal")
    train.add_argument("--gamma", type=float, default=2.0, help="focal-loss focusing parameter")
    train.add_argument("--separable", action="store_true", help="depthwise-separable convolutions")
    train.add_argument("--val-irregular-fraction", type=float, default=0.0,
                       help="add this fraction of the validation N beats in synthetic irregular rhythms to the "
                            "validation set that early stopping follows")
    train.set_defaults(func=_train)

    dist = verbs.add_parser("distill", help="distil a teacher into a depthwise-separable student")
    _add_training(dist)
    dist.add_argument("--teacher", type=Path, required=True)
    dist.add_argument("--kd-temperature", type=float, default=4.0)
    dist.add_argument("--kd-alpha", type=float, default=0.7)
    dist.add_argument("--monitor", choices=["val_macro_f1", "val_loss"], default="val_macro_f1",
                      help="early stopping on validation macro-F1 or on the distillation loss of the validation "
                           "beats (agreement with the teacher; does not saturate when validation is easy)")
    dist.set_defaults(func=_distill)

    ev = verbs.add_parser("evaluate", help="held-out DS2 evaluation -> metrics.json, tables, figures")
    ev.add_argument("--in", dest="inp", type=Path, required=True, help="beats.npz")
    ev.add_argument("--model", type=Path, required=True, help="teacher model directory")
    ev.add_argument("--student", type=Path, required=True)
    ev.add_argument("--compare", type=Path, nargs="*", default=[], help="other teachers (e.g. another loss)")
    ev.add_argument("--rpeaks", type=Path, required=True, help="TSV from `rpeaks`")
    ev.add_argument("--test-records", default=None, help="default: DS2 records present")
    ev.add_argument("--adapt-minutes", type=float, default=5.0)
    ev.add_argument("--adapt-l2", type=float, default=1.0)
    ev.add_argument("--adapt-prototype-weight", type=float, default=0.5,
                    help="weight of the per-record prototype (nearest-centroid) head in the patient-adaptive mode")
    ev.add_argument("--metrics", type=Path, required=True)
    ev.add_argument("--per-record", type=Path, required=True)
    ev.add_argument("--confusion", type=Path, required=True)
    ev.add_argument("--reliability", type=Path, required=True)
    ev.add_argument("--saliency", type=Path, required=True)
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--threads", type=int, default=1)
    ev.set_defaults(func=_evaluate)

    pred = verbs.add_parser("predict", help="classify the beats of one WFDB record -> TSV")
    pred.add_argument("--model", type=Path, required=True)
    pred.add_argument("--record", type=Path, required=True, help="record path without extension")
    pred.add_argument("--out", type=Path, required=True)
    pred.add_argument("--beats", choices=["auto", "annotations", "detect"], default="auto",
                      help="beat positions: reference .atr, the R-peak detector, or .atr when present")
    pred.add_argument("--adapt-minutes", type=float, default=None,
                      help="patient-adaptive mode: use the labels of the first N minutes")
    pred.add_argument("--threads", type=int, default=1)
    pred.set_defaults(func=_predict)
