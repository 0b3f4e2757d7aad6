"""Sequence-composition baselines reported beside every motif CNN: GC content alone and a k-mer model.

A GC-only model shows how much of a task is a composition shortcut (ChIP-seq peaks are GC-rich
next to most backgrounds); the k-mer model (canonical k-mer spectrum -> L2 logistic regression,
or ridge regression for activity) is the classic alignment-free baseline of the field. Both are
fitted on the training split (their regularisation chosen by an inner cross-validation there)
and scored on the same held-out split as the CNN.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LinearRegression, LogisticRegression, RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sciml.enhancers.evaluate import binary_metrics, regression_metrics
from sciml.enhancers.kmers import KmerLogistic, kmer_spectrum


def gc_content(X: np.ndarray) -> np.ndarray:
    """Fraction of G + C among the called (non-N) bases of one-hot sequences.

    Shapes:
        X: (N, 4, L) one-hot (A, C, G, T; N = 0.25 per channel) -> (N,).
    """
    called = np.isclose(X.max(axis=1), 1.0)
    gc = (X[:, 1:3].sum(axis=1) * called).sum(axis=1)
    return gc / np.maximum(called.sum(axis=1), 1)


def _mean(per_task: list[dict[str, float]], prefix: str) -> dict[str, float]:
    return {f"{prefix}_{k}": float(np.mean([m[k] for m in per_task])) for k in per_task[0]}


def baseline_metrics(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                     objective: str = "binary", kmer_ks: tuple[int, ...] = (6,), seed: int = 0,
                     X_valid: np.ndarray | None = None, y_valid: np.ndarray | None = None) -> dict[str, float]:
    """Held-out metrics of the GC-only and the k-mer baseline, fitted on the training split, per task then averaged.

    Args:
        X_train: training sequences.
        y_train: training targets.
        X_test: held-out sequences (the split the model is scored on).
        y_test: held-out targets.
        objective: "binary" (AUROC, accuracy, MCC; logistic regressions) or "regression"
            (Pearson, Spearman, MSE; linear / ridge regressions).
        kmer_ks: k-mer sizes of the k-mer model's spectrum.
        seed: seed of the inner cross-validation.
        X_valid: validation sequences; when given, the baselines are scored there too (`*_valid_*`).
        y_valid: validation targets.

    Returns:
        `gc_<metric>` and `kmer_<metric>` (test) for each metric of `binary_metrics` or
        `regression_metrics`; with a validation split also `gc_valid_<metric>`, `kmer_valid_<metric>`.

    Shapes:
        X_train, X_test, X_valid: (N, 4, L) one-hot; y_train, y_test, y_valid: (N, T).
    """
    held_out = {"": (X_test, y_test)}
    if X_valid is not None and y_valid is not None:
        held_out["valid_"] = (X_valid, y_valid)
    gc_train = gc_content(X_train)[:, None]
    gc_held = {k: gc_content(X)[:, None] for k, (X, _) in held_out.items()}
    scores: dict[str, list[dict[str, float]]] = {f"{m}_{k}": [] for m in ("gc", "kmer") for k in held_out}
    if objective == "regression":
        spectrum_train = kmer_spectrum(X_train, kmer_ks)
        spectrum_held = {k: kmer_spectrum(X, kmer_ks) for k, (X, _) in held_out.items()}
    for t in range(y_train.shape[1]):
        if objective == "regression":
            gc = LinearRegression().fit(gc_train, y_train[:, t])
            ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-1, 5, 13))).fit(spectrum_train,
                                                                                                 y_train[:, t])
            for k, (_, y) in held_out.items():
                scores[f"gc_{k}"].append(regression_metrics(y[:, t], gc.predict(gc_held[k])))
                scores[f"kmer_{k}"].append(regression_metrics(y[:, t], ridge.predict(spectrum_held[k])))
        else:
            labels = y_train[:, t].astype(int)
            gc = LogisticRegression().fit(gc_train, labels)
            kmer = KmerLogistic.fit(X_train, labels, kmer_ks, seed)
            for k, (X, y) in held_out.items():
                scores[f"gc_{k}"].append(binary_metrics(y[:, t], gc.predict_proba(gc_held[k])[:, 1]))
                scores[f"kmer_{k}"].append(binary_metrics(y[:, t], kmer.predict_proba(X)))
    out: dict[str, float] = {}
    for name, per_task in scores.items():
        out.update(_mean(per_task, name.rstrip("_")))
    return out
