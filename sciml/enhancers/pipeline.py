"""The enhancers analyses end to end: the functions the CLI verbs and the workflow rules call.

Each `run_*` function writes one output folder atomically (`summary.json` with its metrics and
settings, the model folder, MEME files, TSV tables, figures) and returns the summary; the tool
functions (`train_sequence_model`, `predict_fasta`, `find_motifs`, `find_spacing`, `extract_regions`) serve a user's own
files. `sciml.enhancers.report.build_report` merges the summaries into `metrics.json` and
`report.html`.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sciml.enhancers import plots
from sciml.enhancers.evaluate import (
    binary_metrics,
    fold_metrics,
    mean_auroc,
    predict,
    predict_proba,
    regression_metrics,
)
from sciml.enhancers.gkm import GkmSVM
from sciml.enhancers.io import (
    SequenceSet,
    load_h5_splits,
    load_labelled_fasta,
    load_pos_neg,
    read_fasta,
    read_sequence_table,
    write_fasta,
    write_meme,
)
from sciml.enhancers.jaspar import Motif, load_jaspar, select_motifs
from sciml.enhancers.kmers import KmerLogistic
from sciml.enhancers.matching import (
    TomtomResult,
    family_matched,
    planted_recovery,
    tomtom_compare,
)
from sciml.enhancers.models import (
    EnhancerClassifier,
    MotifCNN,
    MotifCNNConfig,
    MotifCNNEnsemble,
    save_classifier,
    save_motif_cnn,
)
from sciml.enhancers.modisco import Pattern
from sciml.enhancers.pwm import FilterPWM, filter_pwms
from sciml.enhancers.sequences import decode, one_hot
from sciml.enhancers.settings import (
    ChipSeqSettings,
    ExtractSettings,
    GrammarSettings,
    IEnhancerSettings,
    Irf1Settings,
    MotifsSettings,
    MpraSettings,
    SpacingSettings,
    SyntheticSettings,
    TrainModelSettings,
)
from sciml.enhancers.training import (
    RCWeightedLoss,
    augmentation,
    cross_validate,
    cv_folds,
    fit_config,
    fit_on_all,
    train_motif_cnn,
)
from sciml.errors import ConfigError, InputError
from sciml.files import atomic_path
from sciml.settings import to_dict

log = logging.getLogger("sciml.enhancers")
SUMMARY = "summary.json"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def interpret_filters(
    model: MotifCNN, X: np.ndarray, jaspar: list[Motif], out: Path, n_jobs: int = 1, max_logos: int = 16,
) -> tuple[list[FilterPWM], TomtomResult]:
    """Filter PWMs on `X`, Tomtom against `jaspar`; writes filters.meme, tomtom.tsv and
    filter_logos.png (the `max_logos` filters with the most significant matches)."""
    pwms = filter_pwms(model, X)
    write_meme(out / "filters.meme", pwms)
    result = tomtom_compare({p.name: p.ppm for p in pwms}, jaspar, n_jobs=n_jobs)
    matches = result.best_matches()
    rows = ["filter\tn_sites\twidth\tbest_match\tname\tfamily\tp_value\tq_value"]
    rows += [f"{p.name}\t{p.n_sites}\t{p.ppm.shape[1]}\t{m.matrix_id}\t{m.name}\t{m.family}\t{m.p_value:.3g}\t{m.q_value:.3g}"
             for p, m in zip(pwms, matches, strict=True)]
    (out / "tomtom.tsv").write_text("\n".join(rows) + "\n")
    order = sorted(range(len(pwms)), key=lambda i: matches[i].p_value)[:max_logos]
    plots.logo_grid(out / "filter_logos.png", [pwms[i].ppm for i in order],
                    [f"{pwms[i].name}: {matches[i].name} ({matches[i].matrix_id}) q={matches[i].q_value:.2g}"
                     for i in order])
    return pwms, result


def attribution_examples(
    model: MotifCNN, X: np.ndarray, jaspar: list[Motif], out: Path, n_examples: int, target: int, seed: int,
    n_jobs: int = 1,
) -> list[dict[str, Any]]:
    """ISM and DeepLIFT/SHAP on the top-scoring sequences of `X` for `target`; seqlets from the
    DeepLIFT/SHAP map annotated with their best JASPAR match. Writes attribution.png, seqlets.tsv."""
    from sciml.enhancers.attribution import deep_lift_shap, ism, seqlet_ppm, top_seqlets

    probs = predict_proba(model, X)[:, target]
    top = np.argsort(-probs, kind="stable")[:n_examples]
    Xt = X[top]
    dls = deep_lift_shap(model, Xt, target=target, seed=seed)
    sat = ism(model, Xt, target=target) * Xt  # observed bases only
    attrs, titles = [], []
    for k, i in enumerate(top):
        attrs += [dls[k], sat[k]]
        titles += [f"sequence {i} (p={probs[i]:.3f}): DeepLIFT/SHAP", f"sequence {i}: in-silico mutagenesis"]
    plots.attribution_logos(out / "attribution.png", attrs, titles)
    seqlets = top_seqlets(dls, Xt)
    result = tomtom_compare({f"s{j}": seqlet_ppm(s) for j, s in enumerate(seqlets)}, jaspar, n_jobs=n_jobs)
    rows = []
    for s, m in zip(seqlets, result.best_matches(), strict=True):
        rows.append({"sequence": int(top[s.example]), "start": s.start, "end": s.end, "score": round(s.score, 4),
                     "bases": s.sequence, "match": m.name, "matrix_id": m.matrix_id, "q_value": float(f"{m.q_value:.3g}")})
    lines = ["\t".join(rows[0])] if rows else ["sequence\tstart\tend\tscore\tbases\tmatch\tmatrix_id\tq_value"]
    lines += ["\t".join(str(v) for v in r.values()) for r in rows]
    (out / "seqlets.tsv").write_text("\n".join(lines) + "\n")
    return rows


def run_synthetic(out_dir: str | os.PathLike[str], settings: SyntheticSettings, device: str = "auto",
                  threads: int = 1, checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Planted-motif set (Koo & Eddy 2019): train, test AUROC, filter PWMs vs JASPAR, attribution.

    Args:
        out_dir: the output folder (written atomically).
        settings: the job's settings.
        device: where to train ("auto", "cpu", "cuda").
        threads: threads for Tomtom.
        checkpoint_dir: keeps the per-epoch training checkpoint (a rerun after a kill resumes from it).

    Returns:
        The summary (also `summary.json` in `out_dir`).
    """
    from sciml.enhancers.bayes import bayes_auroc, bayes_posterior
    from sciml.enhancers.oracle import oracle_auroc
    from sciml.enhancers.synthetic import planted_motif_set, split_indices

    seed = settings.seed
    loss_fn = RCWeightedLoss(settings.loss)
    jaspar = load_jaspar(settings.jaspar_release)
    planted = select_motifs(jaspar, list(settings.tfs))
    weights = settings.count_weights
    X, y = planted_motif_set([m.frequencies for m in planted], settings.n_sequences, settings.length, seed=seed,
                             count_weights=weights)
    tr, va, te = split_indices(len(X), (0.7, 0.1, 0.2), seed)
    tasks = [m.name for m in planted]
    with atomic_path(out_dir) as out:
        out.mkdir()
        started = time.perf_counter()
        model, history = train_motif_cnn(MotifCNNConfig.for_data(settings.model, X.shape[2], tasks), X[tr], y[tr],
                                          X[va], y[va], fit_config(settings.train, seed, device), out / "train",
                                          checkpoint_dir, loss_fn=loss_fn, **augmentation(settings.train))
        train_seconds = time.perf_counter() - started
        p = predict_proba(model, X[te])
        per_task = {t: float(mean_auroc(y[te][:, [k]], p[:, [k]])) for k, t in enumerate(tasks)}
        oracle = oracle_auroc(X[te], y[te], [m.frequencies for m in planted])
        bayes = bayes_auroc(bayes_posterior(X[te], [m.frequencies for m in planted], count_weights=weights), y[te])
        pwms, result = interpret_filters(model, X[te], jaspar, out, n_jobs=threads)
        recovered, fraction = planted_recovery(result, planted, model.config.n_filters)
        attribution_task = max(per_task, key=per_task.get)  # the task the model has learned best
        attribution_examples(model, X[te], jaspar, out, settings.attribution_examples,
                             target=tasks.index(attribution_task), seed=seed, n_jobs=threads)
        save_motif_cnn(out / "model", model)
        summary = {
            "metrics": {
                "auroc_mean": mean_auroc(y[te], p),
                "auroc_per_task": per_task,
                "oracle_auroc_mean": float(np.nanmean(oracle)),
                "oracle_auroc_per_task": {t: float(a) for t, a in zip(tasks, oracle, strict=True)},
                "bayes_auroc_mean": float(np.nanmean(bayes)),
                "bayes_auroc_per_task": {t: float(a) for t, a in zip(tasks, bayes, strict=True)},
                "motifs_recovered": int(sum(recovered.values())),
                "motifs_planted": len(planted),
                "filter_match_fraction": fraction,
                "filters_with_pwm": len(pwms),
                "best_epoch": history.best_epoch,
                "n_test": int(len(te)),
                "train_seconds": train_seconds,
            },
            "recovered": recovered,
            "attribution_task": attribution_task,
            "settings": to_dict(settings),
        }
        _write_json(out / SUMMARY, summary)
    return summary


def subsample(labels: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Sorted indices of a seeded, class-stratified subsample of about `n` of `labels (N,)`."""
    rng = np.random.default_rng(seed)
    fraction = min(1.0, n / len(labels))
    keep = [rng.choice(idx, size=max(2, int(round(fraction * len(idx)))), replace=False)
            for idx in (np.flatnonzero(labels == c) for c in np.unique(labels))]
    return np.sort(np.concatenate(keep))


def run_ienhancer(data_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], settings: IEnhancerSettings,
                  device: str = "auto", checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """iEnhancer-2L layer 1: stratified k-fold CV, then the final model fit on all sequences.

    Args:
        data_dir: the fetched `iEnhancer-2L` folder (train_enhancers.fa, train_nonenhancers.fa).
        out_dir: the output folder (written atomically).
        settings: the job's settings.
        device: where to train.
        checkpoint_dir: keeps one checkpoint per fold and one for the final fit (resumable).

    Returns:
        The summary (also `summary.json` in `out_dir`).
    """
    seed = settings.seed
    data = Path(data_dir)
    seqs = load_pos_neg(data / "train_enhancers.fa", data / "train_nonenhancers.fa")
    X, y = one_hot(seqs.sequences, settings.length), seqs.labels
    if settings.max_sequences:
        keep = subsample(y[:, 0], settings.max_sequences, seed)
        X, y = X[keep], y[keep]
    cfg = MotifCNNConfig.for_data(settings.model, X.shape[2], ["enhancer"])
    fit_cfg = fit_config(settings.train, seed, device)
    ks = settings.kmer_ks
    gkm = settings.gkm
    predictor = settings.predictor
    with atomic_path(out_dir) as out:
        out.mkdir()
        started = time.perf_counter()
        checkpoints = Path(checkpoint_dir) if checkpoint_dir is not None else None
        labels = y[:, 0].astype(int)
        folds = cv_folds(labels, settings.folds, seed)
        cv, epochs, held_out = cross_validate(cfg, X, y, fit_cfg, n_folds=settings.folds, out_dir=out / "cv",
                                              checkpoint_dir=checkpoints / "cv" if checkpoints else None)
        scores = {"cnn": cv}
        inner: dict[str, list[float]] = {}  # inner-CV accuracy of each outer training part
        if ks:  # the k-mer regression and the CNN + k-mer average, on the same folds
            kmer_held_out = np.zeros(len(labels))
            for train_idx, test_idx in folds:
                kmer_held_out[test_idx] = KmerLogistic.fit(X[train_idx], labels[train_idx], ks, seed).predict_proba(
                    X[test_idx])
            scores["kmer"] = fold_metrics(labels, kmer_held_out, folds)
            scores["ensemble"] = fold_metrics(labels, (held_out + kmer_held_out) / 2, folds)
        if gkm is not None:  # the gapped k-mer SVM, C chosen inside each training part
            gkm_held_out = np.zeros(len(labels))
            inner["gkm"] = []
            for train_idx, test_idx in folds:
                svm = GkmSVM.fit(X[train_idx], labels[train_idx], gkm.word, gkm.informative, seed=seed)
                gkm_held_out[test_idx] = svm.predict_proba(X[test_idx])
                inner["gkm"].append(svm.inner_accuracy)
            scores["gkm"] = fold_metrics(labels, gkm_held_out, folds)
        final_epochs = max(1, int(np.median(epochs)))
        model = fit_on_all(cfg, X, y, fit_cfg, final_epochs, checkpoints / "final" if checkpoints else None)
        metrics: dict[str, Any] = {f"cv_{k}": v for k, v in scores[predictor].items()}
        for name, part in scores.items():
            metrics.update({f"{name}_cv_{k}": v for k, v in part.items()})
        metrics.update(predictor=predictor, final_epochs=final_epochs, n_sequences=len(X),
                       train_seconds=time.perf_counter() - started)
        metrics.update({f"{name}_inner_accuracy": values for name, values in inner.items()})
        kmer_model = KmerLogistic.fit(X, labels, ks, seed) if predictor in ("kmer", "ensemble") else None
        gkm_model = GkmSVM.fit(X, labels, gkm.word, gkm.informative, seed=seed) if predictor == "gkm" else None
        save_classifier(out / "model", EnhancerClassifier(model, predictor, kmer_model, gkm_model),
                        metrics={k: v for k, v in metrics.items() if not k.endswith("seconds")})
        summary = {"metrics": metrics, "settings": to_dict(settings)}
        _write_json(out / SUMMARY, summary)
    return summary


def run_irf1(data_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], settings: Irf1Settings,
             device: str = "auto", threads: int = 1,
             checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """IRF1 ChIP-seq (Koo & Ploenzke 2021): train, test AUROC, filters vs JASPAR, IRF family check.

    Args:
        data_dir: the fetched `koo-irf1-chipseq` folder (IRF1_400_h3k27ac.h5).
        out_dir: the output folder (written atomically).
        settings: the job's settings.
        device: where to train.
        threads: threads for Tomtom.
        checkpoint_dir: keeps the per-epoch training checkpoint (a rerun after a kill resumes from it).

    Returns:
        The summary (also `summary.json` in `out_dir`).
    """
    seed = settings.seed
    splits = load_h5_splits(Path(data_dir) / "IRF1_400_h3k27ac.h5")
    (Xtr, ytr), (Xva, yva), (Xte, yte) = splits["train"], splits["valid"], splits["test"]
    if settings.max_sequences:
        keep = subsample(ytr[:, 0], settings.max_sequences, seed)
        Xtr, ytr = Xtr[keep], ytr[keep]
    jaspar = load_jaspar(settings.jaspar_release)
    with atomic_path(out_dir) as out:
        out.mkdir()
        started = time.perf_counter()
        model, history = train_motif_cnn(MotifCNNConfig.for_data(settings.model, Xtr.shape[2], ["irf1"]), Xtr, ytr,
                                          Xva, yva, fit_config(settings.train, seed, device), out / "train",
                                          checkpoint_dir, **augmentation(settings.train))
        train_seconds = time.perf_counter() - started
        p = predict_proba(model, Xte)
        pwms, result = interpret_filters(model, Xte, jaspar, out, n_jobs=threads)
        matches = result.best_matches()
        irf_hits = sum(1 for m in matches if m.q_value < 0.05 and "interferon" in m.family.lower())
        save_motif_cnn(out / "model", model)
        summary = {
            "metrics": {
                "test_auroc": mean_auroc(yte, p),
                "test_accuracy": binary_metrics(yte[:, 0], p[:, 0])["accuracy"],
                "irf_family_matched": family_matched(matches, "interferon"),
                "irf_filters": irf_hits,
                "filters_with_pwm": len(pwms),
                "best_epoch": history.best_epoch,
                "n_test": int(len(Xte)),
                "train_seconds": train_seconds,
            },
            "settings": to_dict(settings),
        }
        _write_json(out / SUMMARY, summary)
    return summary


def run_chipseq(data_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], settings: ChipSeqSettings,
                device: str = "auto", threads: int = 1,
                checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """One ChIP-seq task: train, test AUROC beside the GC / k-mer baselines, TF-MoDISco motifs vs JASPAR.

    The model is trained on the task's train split (early stopping on valid) and scored once on
    test, where the baselines are scored too. Motif discovery (`discover_motifs`) explains the
    test peaks; the expected family check asks whether one of the `top_patterns` leading positive
    patterns has a best JASPAR match of that family at q < 0.05.

    Args:
        data_dir: the fetched `koo-chipseq-200` folder (`<tf>_200.h5`).
        out_dir: the output folder (written atomically).
        settings: the job's settings.
        device: where to train.
        threads: threads for Tomtom.
        checkpoint_dir: keeps the per-epoch training checkpoint (a rerun after a kill resumes from it).

    Returns:
        The summary (also `summary.json` in `out_dir`).
    """
    from sciml.enhancers.baselines import baseline_metrics

    seed, tf = settings.seed, settings.tf
    splits = load_h5_splits(Path(data_dir) / f"{tf}_200.h5")
    (Xtr, ytr), (Xva, yva), (Xte, yte) = splits["train"], splits["valid"], splits["test"]
    if settings.max_sequences:
        keep = subsample(ytr[:, 0], settings.max_sequences, seed)
        Xtr, ytr = Xtr[keep], ytr[keep]
    jaspar = load_jaspar(settings.jaspar_release)
    with atomic_path(out_dir) as out:
        out.mkdir()
        started = time.perf_counter()
        members, histories = [], []
        for k in range(settings.n_models):  # seed replicates; one model = the plain job
            sub = "" if settings.n_models == 1 else f"seed{seed + k}"
            member, history = train_motif_cnn(MotifCNNConfig.for_data(settings.model, Xtr.shape[2], [tf]), Xtr,
                                              ytr, Xva, yva, fit_config(settings.train, seed + k, device),
                                              out / "train" / sub,
                                              None if checkpoint_dir is None else Path(checkpoint_dir) / sub,
                                              **augmentation(settings.train))
            members.append(member)
            histories.append(history)
        model = members[0] if settings.n_models == 1 else MotifCNNEnsemble(members)
        train_seconds = time.perf_counter() - started
        metrics: dict[str, Any] = {f"test_{k}": v for k, v in
                                   binary_metrics(yte[:, 0], predict_proba(model, Xte)[:, 0]).items()}
        metrics.update({f"valid_{k}": v for k, v in
                        binary_metrics(yva[:, 0], predict_proba(model, Xva)[:, 0]).items()})
        metrics.update(baseline_metrics(Xtr, ytr, Xte, yte, "binary", settings.baseline_kmer_ks, seed))
        started = time.perf_counter()
        peaks = np.flatnonzero(yte[:, 0] == 1)
        found = discover_motifs(model, Xte[peaks], [f"test{i}" for i in peaks], out, settings.motifs, jaspar,
                                threads)
        motifs_seconds = time.perf_counter() - started
        interpret_filters(members[0], Xte[peaks], jaspar, out, n_jobs=threads)
        grammar = None
        if settings.spacing is not None:
            started = time.perf_counter()
            labels = {p.name: m.name if m.q_value < 0.05 else f"{m.name}?"
                      for p, m in zip(found.patterns, found.pattern_matches.best_matches(), strict=True)}
            grammar = probe_grammar(model, found.patterns, labels, Xte[yte[:, 0] == 0], out, settings.spacing,
                                    out / "modisco.h5")
            metrics["spacing_seconds"] = time.perf_counter() - started
        if settings.attribution_examples:
            attribution_examples(model, Xte, jaspar, out, settings.attribution_examples, target=0, seed=seed,
                                 n_jobs=threads)
        positive = [(p, m) for p, m in zip(found.patterns, found.pattern_matches.best_matches(), strict=True)
                    if p.name.startswith("pos_")]
        rank = None
        if settings.expected_family:
            rank = next((k for k, (_, m) in enumerate(positive, start=1)
                         if m.q_value < 0.05 and settings.expected_family.lower() in m.family.lower()), None)
        save_motif_cnn(out / "model", model)
        metrics.update({
            "n_patterns": len(found.patterns),
            "n_positive_patterns": len(positive),
            "expected_family_rank": rank,
            "expected_family_found": rank is not None and rank <= settings.top_patterns,
            "best_epoch": histories[0].best_epoch,
            "n_models": settings.n_models,
            "n_train": int(len(Xtr)),
            "n_test": int(len(Xte)),
            "n_explained": int(min(len(peaks), settings.motifs.modisco.max_sequences)),
            "train_seconds": train_seconds,
            "motifs_seconds": motifs_seconds,
        })
        summary = {
            "metrics": metrics,
            "patterns": [{"pattern": p.name, "n_seqlets": p.n_seqlets, "jaspar_id": m.matrix_id,
                          "jaspar_name": m.name, "family": m.family, "q_value": m.q_value} for p, m in positive],
            "grammar": grammar,
            "settings": to_dict(settings),
        }
        _write_json(out / SUMMARY, summary)
    return summary


def run_mpra(data_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], settings: MpraSettings,
             device: str = "auto") -> dict[str, Any]:
    """lentiMPRA activity: element-grouped k-fold CV of the motif CNN beside k-mer ridge and GC-only.

    Args:
        data_dir: the fetched `lentimpra-wtc11` folder (`WTC11_fold2.tsv`: `seq`, `mean_value`).
        out_dir: the output folder (written atomically): `summary.json`, `cv_folds.tsv`.
        settings: folds, validation share, architecture, optimisation, baseline k-mer sizes, seed.
        device: where to train.

    Returns:
        The summary: `metrics` holds `cross_validate_sequence_model`'s means and standard
        deviations (`cnn_pearson_mean`, `kmer_pearson_sd`, ...), `folds` its per-fold rows.
    """
    table = Path(data_dir) / "WTC11_fold2.tsv"
    seqs = read_sequence_table(table, "seq", "mean_value", "regression")
    started = time.perf_counter()
    cv = cross_validate_sequence_model(seqs, settings.training(), settings.folds, device)
    metrics = {k: v for k, v in cv.items() if k != "folds"}
    metrics["cv_seconds"] = time.perf_counter() - started
    with atomic_path(out_dir) as out:
        out.mkdir()
        pd.DataFrame(cv["folds"]).to_csv(out / "cv_folds.tsv", sep="\t", index=False, float_format="%.6f")
        summary = {"metrics": metrics, "folds": cv["folds"], "settings": to_dict(settings)}
        _write_json(out / SUMMARY, summary)
    return summary


def run_grammar(out_dir: str | os.PathLike[str], settings: GrammarSettings, device: str = "auto",
                threads: int = 1, checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Grammar set: train the dilated model, probe spacing/order in shuffled backgrounds.

    Args:
        out_dir: the output folder (written atomically).
        settings: the job's settings.
        device: where to train.
        threads: threads for Tomtom.
        checkpoint_dir: keeps the per-epoch training checkpoint (a rerun after a kill resumes from it).

    Returns:
        The summary (also `summary.json` in `out_dir`).
    """
    from sciml.enhancers.grammar import consensus_one_hot, probe_spacing, shuffled_backgrounds
    from sciml.enhancers.synthetic import grammar_set, split_indices

    seed = settings.seed
    jaspar = load_jaspar(settings.jaspar_release)
    motif_a, motif_b = select_motifs(jaspar, [settings.motif_a, settings.motif_b])
    gap, max_gap = settings.gap, settings.max_gap
    X, y, _ = grammar_set(motif_a.frequencies, motif_b.frequencies, settings.n_sequences, gap, settings.length,
                          max_gap, seed)
    tr, va, te = split_indices(len(X), (0.7, 0.1, 0.2), seed)
    with atomic_path(out_dir) as out:
        out.mkdir()
        started = time.perf_counter()
        model, history = train_motif_cnn(MotifCNNConfig.for_data(settings.model, X.shape[2], ["grammar"]), X[tr],
                                          y[tr], X[va], y[va], fit_config(settings.train, seed, device), out / "train",
                                          checkpoint_dir, **augmentation(settings.train))
        train_seconds = time.perf_counter() - started
        p = predict_proba(model, X[te])
        pwms, result = interpret_filters(model, X[te], jaspar, out, n_jobs=threads)
        recovered, _ = planted_recovery(result, [motif_a, motif_b], model.config.n_filters)
        backgrounds = shuffled_backgrounds(X[te], settings.n_backgrounds, seed)
        probe = probe_spacing(model, backgrounds, consensus_one_hot(motif_a.ppm), consensus_one_hot(motif_b.ppm),
                              max_gap)
        plots.spacing_plot(out / "spacing.png", probe.gaps, probe.ab, probe.ba, probe.background,
                           (motif_a.name, motif_b.name), gap)
        rows = ["gap_bp\tp_a_then_b\tp_b_then_a"] + [f"{g}\t{a:.6f}\t{b:.6f}" for g, a, b in
                                                    zip(probe.gaps, probe.ab, probe.ba, strict=True)]
        (out / "spacing.tsv").write_text("\n".join(rows) + "\n")
        save_motif_cnn(out / "model", model)
        summary = {
            "metrics": {
                "test_auroc": mean_auroc(y[te], p),
                "spacing_bp_true": gap,
                "spacing_bp_recovered": probe.best_gap,
                "order_recovered": probe.a_before_b,
                "motifs_recovered": int(sum(recovered.values())),
                "receptive_field_bp": model.receptive_field(),
                "best_epoch": history.best_epoch,
                "train_seconds": train_seconds,
            },
            "motifs": [motif_a.name, motif_b.name],
            "settings": to_dict(settings),
        }
        _write_json(out / SUMMARY, summary)
    return summary


def load_sequences(fasta: str | os.PathLike[str] | None = None, negative: str | os.PathLike[str] | None = None,
                   labels: str | os.PathLike[str] | None = None, *, h5: str | os.PathLike[str] | None = None,
                   table: str | os.PathLike[str] | None = None, sequence_column: str | None = None,
                   target_column: str | None = None, objective: str = "binary",
                   length: int | None = None, valid_table: str | os.PathLike[str] | None = None,
                   test_table: str | os.PathLike[str] | None = None) -> SequenceSet:
    """A labelled sequence set from one of the supported inputs.

    - `fasta` + `labels`: a FASTA and a labels TSV (`id` + one 0/1 column per task);
    - `fasta` + `negative`: positives and negatives as two FASTA files;
    - `h5`: one-hot train/valid/test splits (`x_train`/`X_train`, ...), kept as the data's split;
    - `table` + `sequence_column` + `target_column`: a CSV/TSV, `objective` "binary" or "regression";
      with `valid_table` and `test_table` (same columns) the three tables are the data's split
      (e.g. GUE's train/dev/test CSVs), kept as such.

    Args:
        fasta: FASTA (positives with `negative`).
        negative: FASTA of negatives.
        labels: labels TSV for `fasta`.
        h5: HDF5 with the splits.
        table: CSV/TSV table.
        sequence_column: the table's sequence column.
        target_column: the table's target column.
        objective: the table's task, "binary" or "regression".
        length: the crop/pad length the sequences will get; None = all must have one length.
        valid_table: the validation rows of a split table (with `test_table`).
        test_table: the test rows of a split table (with `valid_table`).

    Raises:
        ConfigError: no input, or an incomplete combination of inputs.
        InputError: a malformed file, or sequences of mixed lengths without `length` (naming the
            file and the first record whose length differs).
    """
    if h5 is not None:
        splits = load_h5_splits(h5)
        ids, seqs, ys, names = [], [], [], []
        for split, (X, y) in splits.items():
            ids += [f"{split}{i}" for i in range(len(X))]
            seqs += decode(X)
            ys.append(y)
            names += [split] * len(X)
        y = np.concatenate(ys)
        tasks = ["label"] if y.shape[1] == 1 else [f"task{t}" for t in range(y.shape[1])]
        return SequenceSet(ids, seqs, y, tasks, "binary", np.array(names))
    if table is not None:
        if sequence_column is None or target_column is None:
            raise ConfigError("--table", "a table needs --sequence-column and --target-column")
        if (valid_table is None) != (test_table is None):
            raise ConfigError("--valid-table", "a split table needs both --valid-table and --test-table")
        train = _check_lengths(read_sequence_table(table, sequence_column, target_column, objective), length, table)
        if valid_table is None:
            return train
        parts = [("train", train)]
        for split, path in (("valid", valid_table), ("test", test_table)):
            part = read_sequence_table(path, sequence_column, target_column, objective)
            parts.append((split, _check_lengths(part, length, path, expected=len(train.sequences[0]))))
        return SequenceSet([f"{split}:{i}" for split, part in parts for i in part.ids],
                           [s for _, part in parts for s in part.sequences],
                           np.concatenate([part.labels for _, part in parts]), train.tasks, objective,
                           np.array([split for split, part in parts for _ in part.ids]))
    if fasta is None:
        raise ConfigError("--fasta", "give --fasta (with --negative or --labels), --h5 or --table")
    if labels is not None:
        return _check_lengths(load_labelled_fasta(fasta, labels), length, fasta)
    if negative is None:
        raise ConfigError("--negative", "give --fasta with --labels, or --fasta (positives) with --negative")
    seqs = load_pos_neg(fasta, negative)
    n_pos = int(seqs.labels[:, 0].sum())
    _check_lengths(SequenceSet(seqs.ids[:n_pos], seqs.sequences[:n_pos]), length, fasta)
    _check_lengths(SequenceSet(seqs.ids[n_pos:], seqs.sequences[n_pos:]), length, negative,
                   expected=len(seqs.sequences[0]))
    return seqs


def _check_lengths(seqs: SequenceSet, length: int | None, source: str | os.PathLike[str],
                   expected: int | None = None) -> SequenceSet:
    """Without a target `length`, every sequence must have the first one's length (or `expected`)."""
    if length is None:
        expected = len(seqs.sequences[0]) if expected is None else expected
        for name, seq in zip(seqs.ids, seqs.sequences, strict=True):
            if len(seq) != expected:
                raise InputError(source, f"length {len(seq)} differs from {expected}: sequences of mixed "
                                 "lengths need a length (--set length=L crops/pads every sequence)", record=name)
    return seqs


def grouped_split(sequences: list[str], fractions: tuple[float, float, float],
                  seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded random train/valid/test split in which copies of a sequence, and its reverse complement
    (between shared adaptors, `sequences.strand_groups`), always land in the same split.

    Returns:
        Sorted index arrays of the three splits (fractions are of groups, not of sequences).
    """
    from sciml.enhancers.sequences import strand_groups
    from sciml.enhancers.synthetic import split_indices

    groups = strand_groups(sequences)
    parts = split_indices(int(groups.max()) + 1, fractions, seed)
    return tuple(np.sort(np.flatnonzero(np.isin(groups, part))) for part in parts)  # type: ignore[return-value]


def train_sequence_model(seqs: SequenceSet, out_dir: str | os.PathLike[str], settings: TrainModelSettings,
                         device: str = "auto") -> dict[str, Any]:
    """Train a motif CNN on a user's labelled sequences, score it and the baselines on the test split, save it.

    The split is the data's own (HDF5) or a seeded random one (`settings.split`, `grouped_split`:
    duplicates and reverse-complement pairs never straddle two splits); early stopping
    follows the validation split. The GC-only and k-mer baselines are fitted on the same training
    split and scored on the same test split.

    Args:
        seqs: labelled sequences (`load_sequences`).
        out_dir: the model folder to write (kind `enhancers.motif_cnn`, with `metrics.json`).
        settings: architecture, optimisation, length, split, baseline k-mer sizes, number of seed
            replicates and seed.
        device: where to train.

    Returns:
        The held-out metrics: `test_*` of the CNN (AUROC, accuracy, MCC; or Pearson, Spearman,
        MSE), `gc_*` and `kmer_*` of the baselines, the same on the validation split (`valid_*`,
        `gc_valid_*`, `kmer_valid_*`: what settings are chosen by), `n_train`, `n_valid`, `n_test`.
    """
    from sciml.enhancers.baselines import baseline_metrics

    length = settings.length or max(len(s) for s in seqs.sequences)
    X = one_hot(seqs.sequences, length)
    if seqs.split is not None:
        tr, va, te = (np.flatnonzero(seqs.split == name) for name in ("train", "valid", "test"))
    else:
        tr, va, te = grouped_split(seqs.sequences, settings.split, settings.seed)
    if min(len(tr), len(va), len(te)) == 0:
        raise ConfigError("split", f"train/valid/test have {len(tr)}/{len(va)}/{len(te)} sequences; each needs some")
    y = seqs.labels
    config = MotifCNNConfig.for_data(settings.model, length, seqs.tasks, seqs.objective)
    members, epochs = [], []
    for k in range(settings.n_models):  # seed replicates
        member, history = train_motif_cnn(config, X[tr], y[tr], X[va], y[va],
                                          fit_config(settings.train, settings.seed + k, device),
                                          **augmentation(settings.train))
        members.append(member)
        epochs.append(history.best_epoch)
    model = members[0] if settings.n_models == 1 else MotifCNNEnsemble(members).eval()
    metrics = {f"test_{k}": v for k, v in held_out_metrics(y[te], predict(model, X[te]), seqs.objective).items()}
    metrics.update({f"valid_{k}": v for k, v in held_out_metrics(y[va], predict(model, X[va]),
                                                                  seqs.objective).items()})
    metrics.update(baseline_metrics(X[tr], y[tr], X[te], y[te], seqs.objective, settings.baseline_kmer_ks,
                                    settings.seed, X_valid=X[va], y_valid=y[va]))
    metrics.update(n_train=int(len(tr)), n_valid=int(len(va)), n_test=int(len(te)), best_epoch=epochs[0],
                   n_models=settings.n_models)
    save_motif_cnn(out_dir, model, metrics=metrics)
    return metrics


def grouped_folds(sequences: list[str], n_folds: int, seed: int) -> list[np.ndarray]:
    """Seeded k-fold partition in which copies of a sequence and its reverse complement (between
    shared adaptors, `sequences.strand_groups`) always land in the same fold.

    Returns:
        `n_folds` sorted index arrays (folds of about equal numbers of groups).
    """
    from sciml.enhancers.sequences import strand_groups

    groups = strand_groups(sequences)
    order = np.random.default_rng(seed).permutation(int(groups.max()) + 1)
    fold_of_group = np.empty(len(order), int)
    fold_of_group[order] = np.arange(len(order)) % n_folds
    return [np.flatnonzero(fold_of_group[groups] == k) for k in range(n_folds)]


def cross_validate_sequence_model(seqs: SequenceSet, settings: TrainModelSettings, n_folds: int,
                                  device: str = "auto") -> dict[str, Any]:
    """K-fold cross-validation of the motif CNN beside the GC-only and k-mer baselines.

    Folds come from `grouped_folds` (an element and its reverse complement share a fold). Each
    fold is held out once: the CNN trains on the other folds minus a grouped validation part
    (about `settings.split[1]` of the data, for early stopping), the baselines are fitted on the same
    training part, and all three are scored on the held-out fold, which no model or setting saw.

    Args:
        seqs: labelled sequences without a split of their own (a single table, FASTA, ...).
        settings: architecture, optimisation, length, validation fraction, k-mer sizes and seed.
        n_folds: number of folds (>= 2).
        device: where to train.

    Returns:
        `folds` (one row per fold: `fold`, `n_train`, `n_valid`, `n_test`, `best_epoch` and the
        held-out metrics `cnn_*`, `kmer_*`, `gc_*`), and `<model>_<metric>_mean` / `_sd`
        (sample standard deviation over folds) for each, `n_folds`, `n_sequences`.

    Raises:
        ConfigError: fewer than two folds, or data that bring their own split.
    """
    from sciml.enhancers.baselines import baseline_metrics

    if n_folds < 2:
        raise ConfigError("folds", f"cross-validation needs >= 2 folds, got {n_folds}")
    if seqs.split is not None:
        raise ConfigError("folds", "the data bring their own train/valid/test split; cross-validate unsplit data")
    length = settings.length or max(len(s) for s in seqs.sequences)
    X, y = one_hot(seqs.sequences, length), seqs.labels
    folds = grouped_folds(seqs.sequences, n_folds, settings.seed)
    config = MotifCNNConfig.for_data(settings.model, length, seqs.tasks, seqs.objective)
    n_inner = max(2, round((1.0 - 1.0 / n_folds) / settings.split[1]))  # valid = 1 / n_inner of the rest
    rows = []
    for k, te in enumerate(tqdm(folds, desc="cv folds", disable=None)):
        rest = np.sort(np.concatenate([f for j, f in enumerate(folds) if j != k]))
        inner = grouped_folds([seqs.sequences[i] for i in rest], n_inner, settings.seed + k)
        tr, va = rest[np.sort(np.concatenate(inner[1:]))], rest[inner[0]]
        model, history = train_motif_cnn(config, X[tr], y[tr], X[va], y[va],
                                         fit_config(settings.train, settings.seed + k, device),
                                         **augmentation(settings.train))
        row: dict[str, Any] = {"fold": k, "n_train": int(len(tr)), "n_valid": int(len(va)), "n_test": int(len(te)),
                               "best_epoch": history.best_epoch}
        row.update({f"cnn_{m}": v for m, v in held_out_metrics(y[te], predict(model, X[te]), seqs.objective).items()})
        row.update(baseline_metrics(X[tr], y[tr], X[te], y[te], seqs.objective, settings.baseline_kmer_ks,
                                    settings.seed))
        rows.append(row)
    summary: dict[str, Any] = {"n_folds": n_folds, "n_sequences": len(seqs.sequences), "folds": rows}
    for key in rows[0]:
        if key.split("_")[0] in ("cnn", "kmer", "gc"):
            values = np.array([r[key] for r in rows])
            summary[f"{key}_mean"], summary[f"{key}_sd"] = float(values.mean()), float(values.std(ddof=1))
    return summary


def held_out_metrics(y: np.ndarray, p: np.ndarray, objective: str) -> dict[str, float]:
    """AUROC, accuracy, MCC (binary) or Pearson, Spearman, MSE (regression), averaged over tasks `(N, T)`."""
    score = regression_metrics if objective == "regression" else binary_metrics
    per_task = [score(y[:, t], p[:, t]) for t in range(y.shape[1])]
    return {k: float(np.mean([m[k] for m in per_task])) for k in per_task[0]}


def predict_fasta(model: MotifCNN | MotifCNNEnsemble | EnhancerClassifier, fasta: str | os.PathLike[str],
                  batch_size: int = 256) -> pd.DataFrame:
    """Predictions of a saved model for every record of a FASTA (cropped/padded to the model's length).

    Args:
        model: a loaded enhancers model (`sciml.load_model`).
        fasta: the sequences.
        batch_size: sequences per forward pass.

    Returns:
        A table: `id`, then `prob` (one binary task), `value` (one regression task), or
        `prob_<task>` / `value_<task>` per task; both strands averaged.
    """
    ids, seqs = read_fasta(fasta)
    X = one_hot(seqs, model.config.seq_length)
    if isinstance(model, EnhancerClassifier):
        values = model.predict_proba(X, batch_size=batch_size)
    else:
        values = predict(model, X, batch_size=batch_size)
    tasks = model.config.tasks
    kind = "value" if model.config.objective == "regression" else "prob"
    columns = [kind] if len(tasks) == 1 else [f"{kind}_{t}" for t in tasks]
    frame = pd.DataFrame(values, columns=columns)
    frame.insert(0, "id", ids)
    return frame


@dataclass
class MotifDiscovery:
    """What motif discovery found: TF-MoDISco patterns matched to JASPAR, and first-layer filter PWMs.

    Attributes:
        patterns: modisco patterns (positive metacluster first, each by seqlet count).
        pattern_matches: Tomtom of the patterns' trimmed PPMs against JASPAR.
        filter_matches: Tomtom of the filter PWMs against JASPAR (None when not computed).
    """

    patterns: list[Pattern]
    pattern_matches: TomtomResult
    filter_matches: TomtomResult | None = None


def discover_motifs(model: MotifCNN | MotifCNNEnsemble, X: np.ndarray, ids: list[str], out: Path, settings: MotifsSettings,
                    jaspar: list[Motif], threads: int = 1) -> MotifDiscovery:
    """DeepLIFT/SHAP hypothetical contributions -> TF-MoDISco -> JASPAR matches, written into `out`.

    Writes `modisco.h5`, `modisco_report/` (modisco-lite's HTML report), `motifs.meme` (the
    patterns' trimmed PPMs, MEME minimal), `seqlets.bed` (BED6; genome coordinates for
    `chrom:start-end` ids), `matches.tsv` and `pattern_logos.png`.

    Args:
        model: a trained motif CNN or an ensemble of them.
        X: the sequences to explain (e.g. positives; the first `settings.modisco.max_sequences`).
        ids: their record ids.
        out: an existing output folder.
        settings: JASPAR release, target output, attribution and modisco settings.
        jaspar: the JASPAR motifs matched against.
        threads: threads for Tomtom.

    Shapes:
        X: (N, 4, L) one-hot.
    """
    import tempfile

    from sciml.enhancers.attribution import deep_lift_shap
    from sciml.enhancers.io import meme_text
    from sciml.enhancers.modisco import matches_table, modisco_report, read_patterns, run_modisco, seqlets_bed

    ms = settings.modisco
    X, ids = X[:ms.max_sequences], ids[:ms.max_sequences]
    hypothetical = deep_lift_shap(model, X, target=settings.target, n_shuffles=ms.n_shuffles, seed=settings.seed,
                                  hypothetical=True)
    run_modisco(X, hypothetical, out / "modisco.h5", max_seqlets=ms.max_seqlets, n_leiden_runs=ms.n_leiden_runs,
                sliding_window_size=ms.sliding_window_size, flank_size=ms.flank_size)
    patterns = read_patterns(out / "modisco.h5", ms.trim_threshold)
    (out / "motifs.meme").write_text(meme_text([(p.name, p.ppm, p.n_seqlets) for p in patterns]))
    (out / "seqlets.bed").write_text(seqlets_bed(patterns, ids, X.shape[2]))
    result = tomtom_compare({p.name: p.ppm for p in patterns}, jaspar, n_jobs=threads)
    (out / "matches.tsv").write_text(matches_table(patterns, result, ms.top_matches))
    best = result.best_matches()
    short = {p.name: p.name.replace("_patterns.pattern_", " ") for p in patterns}  # "pos 0", "neg 1"
    plots.logo_grid(out / "pattern_logos.png", [p.ppm for p in patterns],
                    [f"{short[p.name]} ({p.n_seqlets} seqlets): {m.name} q={m.q_value:.2g}"
                     for p, m in zip(patterns, best, strict=True)], columns=3)
    if patterns:
        with tempfile.TemporaryDirectory() as tmp:
            database = Path(tmp) / "jaspar.meme"
            database.write_text(meme_text([(f"{m.matrix_id} {m.name}", m.ppm, 20) for m in jaspar]))
            modisco_report(out / "modisco.h5", out / "modisco_report", database, ms.top_matches,
                           ms.report_examples, ms.trim_threshold)
    return MotifDiscovery(patterns, result)


def find_motifs(model: MotifCNN | MotifCNNEnsemble, fasta: str | os.PathLike[str], out_dir: str | os.PathLike[str],
                settings: MotifsSettings, threads: int = 1) -> MotifDiscovery:
    """Motifs of a trained motif CNN on a FASTA's sequences: TF-MoDISco patterns and filter PWMs vs JASPAR.

    Writes into `out_dir` (atomically) the outputs of `discover_motifs` (`modisco.h5`,
    `modisco_report/`, `motifs.meme`, `seqlets.bed`, `matches.tsv`, `pattern_logos.png`) and of
    the filter route (`filters.meme`, `tomtom.tsv`, `filter_logos.png`).

    Args:
        model: a trained motif CNN or ensemble (`sciml.load_model` of an `enhancers.motif_cnn` or `enhancers.motif_cnn_ensemble` folder).
        fasta: sequences to explain (e.g. the positives).
        out_dir: the output folder.
        settings: JASPAR release, logos, target output, attribution and modisco settings.
        threads: threads for Tomtom.

    Returns:
        The patterns with their JASPAR matches and the filters' matches.
    """
    if not isinstance(model, MotifCNN | MotifCNNEnsemble):
        raise InputError(fasta, f"motifs need a motif CNN, got a {type(model).__name__}")
    if settings.target >= model.config.n_tasks:
        raise ConfigError("target", f"the model has {model.config.n_tasks} outputs, got target {settings.target}")
    ids, seqs = read_fasta(fasta)
    X = one_hot(seqs, model.config.seq_length)
    jaspar = load_jaspar(settings.jaspar_release)
    with atomic_path(out_dir) as out:
        out.mkdir()
        found = discover_motifs(model, X, ids, out, settings, jaspar, threads)
        first = model.members[0] if isinstance(model, MotifCNNEnsemble) else model
        _, found.filter_matches = interpret_filters(first, X, jaspar, out, n_jobs=threads,
                                                    max_logos=settings.max_logos)
    return found


def _pattern_pair(patterns: list[Pattern], chosen: tuple[str, ...], source: str | os.PathLike[str]) -> list[Pattern]:
    """The two patterns a spacing probe uses: `chosen` by name, else the two leading positive
    patterns (the leading one twice when there is one); empty when there is no positive pattern."""
    by_name = {p.name: p for p in patterns}
    if chosen:
        missing = [name for name in chosen if name not in by_name]
        if missing:
            raise InputError(source, f"no pattern {missing[0]!r} (patterns: {', '.join(by_name) or 'none'})")
        return [by_name[name] for name in chosen]
    positive = [p for p in patterns if p.name.startswith("pos_")]
    return (positive * 2)[:2] if len(positive) == 1 else positive[:2]


def probe_grammar(model: MotifCNN | MotifCNNEnsemble, patterns: list[Pattern], labels: dict[str, str], X: np.ndarray, out: Path,
                  settings: SpacingSettings, source: str | os.PathLike[str] = "modisco.h5") -> dict[str, Any] | None:
    """Spacing and orientation preferences between two discovered patterns, written into `out`.

    The patterns' consensus sequences (`grammar.consensus_one_hot` of their trimmed PPMs) are
    inserted into `settings.n_backgrounds` dinucleotide shuffles of `X` at gaps 0..`max_gap` in
    the four arrangements of `grammar.ARRANGEMENTS`; `grammar.motif_spacing` gives the logit
    interaction beside shuffled-motif controls. Writes `spacing.tsv` (one row per arrangement
    and gap) and `spacing.png`; with no positive pattern only `spacing.png`, saying so.

    Args:
        model: a trained motif CNN or an ensemble of them.
        patterns: modisco patterns (`modisco.read_patterns`).
        labels: pattern name -> a short label (e.g. its best JASPAR match).
        X: sequences whose dinucleotide shuffles are the backgrounds (e.g. background peaks).
        out: an existing output folder.
        settings: patterns, gaps, backgrounds, controls, target output and seed.
        source: where the patterns came from (named in errors).

    Returns:
        `SpacingResult.summary()` plus the two patterns and their labels; None with no positive pattern.

    Raises:
        InputError: a pattern named in `settings.patterns` is not among `patterns`.

    Shapes:
        X: (N, 4, L) one-hot.
    """
    from sciml.enhancers.grammar import (
        ARRANGEMENTS,
        arrangement_label,
        consensus_one_hot,
        motif_spacing,
        shuffled_backgrounds,
    )

    pair = _pattern_pair(patterns, settings.patterns, source)
    if not pair:
        plots.message_figure(out / "spacing.png", "TF-MoDISco found no positive pattern: no spacing probe")
        return None
    first, second = pair
    a, b = labels.get(first.name, first.name), labels.get(second.name, second.name)
    if first.name == second.name:
        b = f"{a}'"
    backgrounds = shuffled_backgrounds(X, settings.n_backgrounds, settings.seed)
    result = motif_spacing(model, backgrounds, consensus_one_hot(first.ppm), consensus_one_hot(second.ppm),
                           settings.max_gap, settings.n_controls, settings.seed, settings.target)
    names = [arrangement_label(arr, a, b) for arr in ARRANGEMENTS]
    rows = ["arrangement\tgap_bp\tinteraction\tinteraction_se\tcontrol_min\tcontrol_max\tpair_logit"]
    for k, name in enumerate(names):
        for j, gap in enumerate(result.gaps):
            rows.append(f"{name}\t{gap}\t{result.interaction[k, j]:.4f}\t{result.interaction_se[k, j]:.4f}\t"
                        f"{result.control[k, j].min():.4f}\t{result.control[k, j].max():.4f}\t{result.pair[k, j]:.4f}")
    (out / "spacing.tsv").write_text("\n".join(rows) + "\n")
    summary = {"pattern_a": first.name, "pattern_b": second.name, "label_a": a, "label_b": b,
               **result.summary(a, b)}
    title = (f"A = {a} ({first.name}), B = {b} ({second.name}); alone: {result.effect_a:+.2f} / "
             f"{result.effect_b:+.2f} logit; {len(backgrounds)} shuffled backgrounds")
    plots.interaction_plot(out / "spacing.png", result.gaps, result.interaction, result.interaction_se,
                           result.control, names, title)
    return summary


def _match_labels(matches_tsv: Path) -> dict[str, str]:
    """Pattern -> its best JASPAR match (`name`, or `name?` when q >= 0.05) from a `matches.tsv`
    (its first row per pattern); empty when there is no such file."""
    labels: dict[str, str] = {}
    if not matches_tsv.is_file():
        return labels
    try:
        table = pd.read_csv(matches_tsv, sep="\t")
        rows = list(zip(table["pattern"].astype(str), table["jaspar_name"].astype(str),
                        table["q_value"].astype(float), strict=True))
    except (KeyError, ValueError) as exc:
        raise InputError(matches_tsv, f"not a matches table (pattern, jaspar_name, q_value): {exc}") from None
    for pattern, name, q in rows:
        labels.setdefault(pattern, name if q < 0.05 else f"{name}?")
    return labels


def find_spacing(model: MotifCNN | MotifCNNEnsemble, motifs_dir: str | os.PathLike[str], fasta: str | os.PathLike[str],
                 out_dir: str | os.PathLike[str], settings: SpacingSettings) -> dict[str, Any] | None:
    """Spacing and orientation preferences between two patterns that `find_motifs` discovered.

    Reads `modisco.h5` (and `matches.tsv` for the labels) from `motifs_dir`, uses dinucleotide
    shuffles of the FASTA's sequences as backgrounds (`probe_grammar`) and writes `spacing.tsv`,
    `spacing.png` and `spacing.json` (the summary) into `out_dir`, atomically.

    Args:
        model: the motif CNN the motifs were discovered with.
        motifs_dir: a `sciml enhancers motifs` output folder (or a chipseq job's folder).
        fasta: background sequences (e.g. the negatives), cropped/padded to the model's length.
        out_dir: the output folder.
        settings: patterns, gaps, backgrounds, controls, target output and seed.

    Returns:
        The summary (None when the folder has no positive pattern).

    Raises:
        InputError: no `modisco.h5` in `motifs_dir`, a named pattern missing, a malformed FASTA.
        ConfigError: `settings.target` beyond the model's outputs.
    """
    from sciml.enhancers.modisco import read_patterns

    if not isinstance(model, MotifCNN | MotifCNNEnsemble):
        raise InputError(motifs_dir, f"spacing needs a motif CNN, got a {type(model).__name__}")
    if settings.target >= model.config.n_tasks:
        raise ConfigError("target", f"the model has {model.config.n_tasks} outputs, got target {settings.target}")
    h5 = Path(motifs_dir) / "modisco.h5"
    if not h5.is_file():
        raise InputError(motifs_dir, "no modisco.h5: give the output folder of `sciml enhancers motifs`")
    try:
        patterns = read_patterns(h5)
    except (OSError, KeyError, ValueError, IndexError) as exc:
        raise InputError(h5, f"not a modisco-lite results file: {exc}") from None
    _pattern_pair(patterns, settings.patterns, h5)  # a missing pattern fails before any work
    labels = _match_labels(Path(motifs_dir) / "matches.tsv")
    _, seqs = read_fasta(fasta)
    X = one_hot(seqs, model.config.seq_length)
    with atomic_path(out_dir) as out:
        out.mkdir()
        summary = probe_grammar(model, patterns, labels, X, out, settings, h5)
        _write_json(out / "spacing.json", {"spacing": summary, "settings": to_dict(settings)})
    return summary


def extract_regions(genome: str | os.PathLike[str], bed: str | os.PathLike[str], out: str | os.PathLike[str],
                    background: str | os.PathLike[str], settings: ExtractSettings) -> tuple[int, int]:
    """Centred windows at BED regions and GC-matched background windows, written as two FASTA files.

    Returns:
        The numbers of region windows and of background windows written.
    """
    from sciml.enhancers.genome import extract_windows

    ids, peaks, bg_ids, bg = extract_windows(genome, bed, settings.length, n_background=settings.n_background,
                                             gc_bins=settings.gc_bins, max_tries=settings.max_tries,
                                             seed=settings.seed)
    with atomic_path(out) as staged:
        write_fasta(staged, ids, peaks)
    with atomic_path(background) as staged:
        write_fasta(staged, bg_ids, bg)
    return len(peaks), len(bg)


def read_summary(part_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The summary.json of one analysis directory."""
    path = Path(part_dir) / SUMMARY
    if not path.is_file():
        raise InputError(part_dir, f"{SUMMARY} missing: not an enhancers analysis directory")
    return json.loads(path.read_text())
