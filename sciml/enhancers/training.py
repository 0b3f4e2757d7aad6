"""Training motif CNNs with the shared fit loop: RC augmentation, early stopping on val AUROC, CV."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import accuracy_score, matthews_corrcoef, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from torch.utils.data import DataLoader, TensorDataset
from tqdm.auto import tqdm

from sciml.enhancers.models import MotifCNN, MotifCNNConfig, build_model
from sciml.train.device import select_device
from sciml.train.fit import FitConfig, FitResult, fit
from sciml.train.seed import seed_everything


def reverse_complement_batch(x: torch.Tensor) -> torch.Tensor:
    """Reverse complement of one-hot sequences (N, 4, L) in A, C, G, T order (flip both axes)."""
    return x.flip(1).flip(2)


def rc_augmented_loss(model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """BCE-with-logits loss where a random half of the batch is reverse-complemented.

    The coin flips draw from torch's global RNG, which the fit loop checkpoints.
    """
    x, y = batch
    flip = torch.rand(len(x)) < 0.5
    x = torch.where(flip.to(x.device)[:, None, None], reverse_complement_batch(x), x)
    return torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)


@torch.no_grad()
def predict_proba(model: torch.nn.Module, X: np.ndarray | torch.Tensor, batch_size: int = 256,
                  device: str | torch.device | None = None, rc_average: bool = True) -> np.ndarray:
    """Sigmoid probabilities `(N, T)` for one-hot `X (N, 4, L)`, averaged over both strands by default."""
    model.eval()
    dev = next(model.parameters()).device if device is None else torch.device(device)
    model.to(dev)
    X = torch.as_tensor(X, dtype=torch.float32)
    out = []
    for start in range(0, len(X), batch_size):
        x = X[start:start + batch_size].to(dev)
        p = torch.sigmoid(model(x))
        if rc_average:
            p = (p + torch.sigmoid(model(reverse_complement_batch(x)))) / 2
        out.append(p.cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, 0), dtype=np.float32)


def mean_auroc(y: np.ndarray, p: np.ndarray) -> float:
    """Mean AUROC over tasks `(N, T)`, skipping tasks with a single class (NaN when none is scorable)."""
    scores = [roc_auc_score(y[:, t], p[:, t]) for t in range(y.shape[1]) if len(np.unique(y[:, t])) == 2]
    return float(np.mean(scores)) if scores else float("nan")


def _evaluate(model: torch.nn.Module, loader: DataLoader) -> dict[str, float]:
    device = next(model.parameters()).device
    ys, ps = [], []
    for x, y in loader:
        ys.append(y.numpy())
        ps.append(predict_proba(model, x, device=device))
    return {"val_auroc": mean_auroc(np.concatenate(ys), np.concatenate(ps))}


def train_classifier(
    config: MotifCNNConfig,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    fit_config: FitConfig,
    out_dir: str | os.PathLike[str] | None = None,
    checkpoint_dir: str | os.PathLike[str] | None = None,
) -> tuple[MotifCNN, FitResult]:
    """Build and train a motif CNN; early stopping follows validation AUROC.

    Parameters
    ----------
    X_train, X_val : (N, 4, L) float32 one-hot. y_train, y_val : (N, T) float32 in {0, 1}.
    fit_config : its `monitor`/`mode` are forced to val_auroc / max.
    out_dir : where the per-epoch `metrics.csv` goes.
    checkpoint_dir : per-epoch checkpoint; an interrupted run with the same one resumes from it.
    Returns the model at its best epoch and the fit history.
    """
    seed_everything(fit_config.seed)
    fit_config = FitConfig(**{**fit_config.__dict__, "monitor": "val_auroc", "mode": "max"})
    model = build_model(config)
    train_set = TensorDataset(torch.as_tensor(X_train, dtype=torch.float32), torch.as_tensor(y_train, dtype=torch.float32))
    val_set = TensorDataset(torch.as_tensor(X_val, dtype=torch.float32), torch.as_tensor(y_val, dtype=torch.float32))
    result = fit(model, train_set, rc_augmented_loss, fit_config, val_set=val_set, evaluate_fn=_evaluate,
                 out_dir=out_dir, checkpoint_dir=checkpoint_dir, resume=checkpoint_dir is not None)
    model.eval()
    return model, result


def binary_metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, MCC and AUROC of one binary task: `y (N,)` in {0, 1}, `p (N,)` probabilities."""
    pred = (p >= threshold).astype(int)
    return {"accuracy": float(accuracy_score(y, pred)), "mcc": float(matthews_corrcoef(y, pred)),
            "auroc": float(roc_auc_score(y, p))}


def cv_folds(labels: np.ndarray, n_folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified, shuffled k-fold split of `labels (N,)`: (train indices, held-out indices) per fold."""
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return list(folds.split(np.zeros(len(labels)), labels))


def fold_metrics(labels: np.ndarray, probs: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    """Mean (and `*_std`) over folds of accuracy, MCC and AUROC of held-out probabilities `probs (N,)`."""
    per_fold = [binary_metrics(labels[test], probs[test]) for _, test in folds]
    summary: dict[str, float] = {}
    for key in per_fold[0]:
        values = np.array([m[key] for m in per_fold])
        summary[key] = float(values.mean())
        summary[f"{key}_std"] = float(values.std())
    return summary


def cross_validate(
    config: MotifCNNConfig,
    X: np.ndarray,
    y: np.ndarray,
    fit_config: FitConfig,
    n_folds: int = 5,
    val_fraction: float = 0.1,
    out_dir: str | os.PathLike[str] | None = None,
    checkpoint_dir: str | os.PathLike[str] | None = None,
) -> tuple[dict[str, float], list[int], np.ndarray]:
    """Stratified k-fold CV of a single-task classifier (folds from `cv_folds` with the fit seed).

    Each fold trains on the other folds minus a stratified `val_fraction` kept for early
    stopping, and is scored on its held-out fold (never seen in training or model selection).

    Returns mean metrics (`accuracy`, `mcc`, `auroc`, each also `*_std`), the best epoch of
    each fold (used to size the final fit on all data) and the held-out probability of every
    sequence `(N,)`.
    """
    labels = y[:, 0].astype(int)
    folds = cv_folds(labels, n_folds, fit_config.seed)
    held_out = np.zeros(len(labels))
    epochs: list[int] = []
    for k, (train_idx, test_idx) in enumerate(tqdm(folds, desc="cv folds", disable=None)):
        rng = np.random.default_rng(fit_config.seed + k)
        val_idx = _stratified_subset(labels[train_idx], val_fraction, rng)
        fit_idx = np.setdiff1d(np.arange(len(train_idx)), val_idx)
        tr, va = train_idx[fit_idx], train_idx[val_idx]
        fold_dir = Path(out_dir) / f"fold{k}" if out_dir is not None else None
        fold_checkpoint = Path(checkpoint_dir) / f"fold{k}" if checkpoint_dir is not None else None
        fold_cfg = FitConfig(**{**fit_config.__dict__, "seed": fit_config.seed + k})
        model, result = train_classifier(config, X[tr], y[tr], X[va], y[va], fold_cfg, out_dir=fold_dir,
                                         checkpoint_dir=fold_checkpoint)
        held_out[test_idx] = predict_proba(model, X[test_idx])[:, 0]
        epochs.append(result.best_epoch)
    return fold_metrics(labels, held_out, folds), epochs, held_out


def _stratified_subset(labels: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of a class-stratified random subset of `labels` of about `fraction` of each class."""
    chosen = []
    for cls in np.unique(labels):
        idx = np.flatnonzero(labels == cls)
        chosen.append(rng.choice(idx, size=max(1, int(round(fraction * len(idx)))), replace=False))
    return np.sort(np.concatenate(chosen))


def fit_on_all(config: MotifCNNConfig, X: np.ndarray, y: np.ndarray, fit_config: FitConfig,
               epochs: int, checkpoint_dir: str | os.PathLike[str] | None = None) -> MotifCNN:
    """Train on every sequence for a fixed number of epochs (e.g. the CV folds' median best epoch).

    The fit loop needs a monitored metric; with no held-out data left, it follows the training
    loss and runs exactly `epochs` epochs (patience larger than the run).
    """
    seed_everything(fit_config.seed)
    cfg = FitConfig(**{**fit_config.__dict__, "max_epochs": epochs, "patience": epochs + 1,
                       "monitor": "train_loss", "mode": "min"})
    model = build_model(config)
    data = TensorDataset(torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32))
    fit(model, data, rc_augmented_loss, cfg, checkpoint_dir=checkpoint_dir, resume=checkpoint_dir is not None)
    device = select_device(fit_config.device)
    return model.to(device).eval()
