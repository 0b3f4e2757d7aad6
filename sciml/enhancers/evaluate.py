"""Evaluating motif CNNs and sequence models: strand-averaged predictions, AUROC / MCC, Pearson, CV summaries."""

from __future__ import annotations

import numpy as np
import torch
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import accuracy_score, matthews_corrcoef, roc_auc_score

from sciml.enhancers.sequences import reverse_complement_batch


def predict_proba(model: torch.nn.Module, X: np.ndarray | torch.Tensor, batch_size: int = 256,
                  device: str | torch.device | None = None, rc_average: bool = True) -> np.ndarray:
    """Sigmoid probabilities `(N, T)` for one-hot `X (N, 4, L)`, averaged over both strands by default."""
    return _predict(model, X, batch_size, device, rc_average, torch.sigmoid)


def predict_values(model: torch.nn.Module, X: np.ndarray | torch.Tensor, batch_size: int = 256,
                   device: str | torch.device | None = None, rc_average: bool = True) -> np.ndarray:
    """Raw outputs `(N, T)` of a regression model for one-hot `X (N, 4, L)`, averaged over both strands."""
    return _predict(model, X, batch_size, device, rc_average, lambda z: z)


def predict(model: torch.nn.Module, X: np.ndarray | torch.Tensor, batch_size: int = 256) -> np.ndarray:
    """Probabilities (objective "binary") or values ("regression") `(N, T)` of a motif CNN, both strands."""
    if getattr(model.config, "objective", "binary") == "regression":
        return predict_values(model, X, batch_size)
    return predict_proba(model, X, batch_size)


@torch.no_grad()
def _predict(model: torch.nn.Module, X: np.ndarray | torch.Tensor, batch_size: int,
             device: str | torch.device | None, rc_average: bool, link) -> np.ndarray:
    model.eval()
    dev = next(model.parameters()).device if device is None else torch.device(device)
    model.to(dev)
    X = torch.as_tensor(X, dtype=torch.float32)
    out = []
    for start in range(0, len(X), batch_size):
        x = X[start:start + batch_size].to(dev)
        p = link(model(x))
        if rc_average:
            p = (p + link(model(reverse_complement_batch(x)))) / 2
        out.append(p.cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, 0), dtype=np.float32)


def task_aurocs(y: np.ndarray, p: np.ndarray) -> list[float]:
    """AUROC of each task `(N, T)` over its known labels (NaN in `y` = not measured); NaN for a
    task with a single class."""
    scores = []
    for t in range(y.shape[1]):
        known = ~np.isnan(y[:, t])
        labels = y[known, t]
        scores.append(float(roc_auc_score(labels, p[known, t])) if len(np.unique(labels)) == 2 else float("nan"))
    return scores


def mean_auroc(y: np.ndarray, p: np.ndarray) -> float:
    """Mean AUROC over tasks `(N, T)` (`task_aurocs`), skipping tasks with a single class (NaN when none is scorable)."""
    scores = [s for s in task_aurocs(y, p) if not np.isnan(s)]
    return float(np.mean(scores)) if scores else float("nan")


def binary_metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, MCC and AUROC of one binary task: `y (N,)` in {0, 1}, `p (N,)` probabilities."""
    pred = (p >= threshold).astype(int)
    return {"accuracy": float(accuracy_score(y, pred)), "mcc": float(matthews_corrcoef(y, pred)),
            "auroc": float(roc_auc_score(y, p))}


def fold_metrics(labels: np.ndarray, probs: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    """Mean (and `*_std`) over folds of accuracy, MCC and AUROC of held-out probabilities `probs (N,)`."""
    per_fold = [binary_metrics(labels[test], probs[test]) for _, test in folds]
    summary: dict[str, float] = {}
    for key in per_fold[0]:
        values = np.array([m[key] for m in per_fold])
        summary[key] = float(values.mean())
        summary[f"{key}_std"] = float(values.std())
    return summary


def mean_pearson(y: np.ndarray, p: np.ndarray) -> float:
    """Mean Pearson correlation over tasks of targets `y (N, T)` and predictions `p (N, T)`."""
    return float(np.mean([pearsonr(y[:, t], p[:, t])[0] for t in range(y.shape[1])]))


def regression_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Pearson r, Spearman rho and mean squared error of one task: `y (N,)` targets, `p (N,)` predictions."""
    return {"pearson": float(pearsonr(y, p)[0]), "spearman": float(spearmanr(y, p)[0]),
            "mse": float(np.mean((y - p) ** 2))}
