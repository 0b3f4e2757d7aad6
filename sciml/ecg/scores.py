"""AAMI EC57 beat-classification scores: confusion matrix, per-class sensitivity / PPV, macro-F1."""

from __future__ import annotations

import numpy as np

from sciml.ecg.aami import CLASSES


def confusion(labels: np.ndarray, pred: np.ndarray, n_classes: int = len(CLASSES)) -> np.ndarray:
    """Confusion matrix (K, K): rows reference class, columns predicted class."""
    return np.bincount(labels * n_classes + pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def class_scores(labels: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """accuracy, macro_f1 and `<class>_se`, `<class>_ppv`, `<class>_f1`, `<class>_n` for every AAMI class.

    Sensitivity of a class absent from `labels` and PPV of a class never predicted are NaN;
    macro-F1 averages the F1 of the classes present in `labels` (a class absent from the
    reference cannot be scored).
    """
    matrix = confusion(labels, pred)
    tp = np.diag(matrix).astype(np.float64)
    support = matrix.sum(axis=1).astype(np.float64)
    predicted = matrix.sum(axis=0).astype(np.float64)
    out: dict[str, float] = {"accuracy": float(tp.sum() / max(support.sum(), 1)), "n_beats": int(support.sum())}
    f1s = []
    for k, name in enumerate(CLASSES):
        se = tp[k] / support[k] if support[k] else float("nan")
        ppv = tp[k] / predicted[k] if predicted[k] else float("nan")
        f1 = 2 * tp[k] / (support[k] + predicted[k]) if support[k] + predicted[k] else float("nan")
        out.update({f"{name}_se": float(se), f"{name}_ppv": float(ppv), f"{name}_f1": float(f1),
                    f"{name}_n": int(support[k])})
        if support[k]:
            f1s.append(f1)
    out["macro_f1"] = float(np.mean(f1s)) if f1s else float("nan")
    return out


def macro_f1(labels: np.ndarray, pred: np.ndarray) -> float:
    """Mean F1 over the classes present in `labels`."""
    return class_scores(labels, pred)["macro_f1"]
