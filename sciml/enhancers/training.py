"""Training motif CNNs with the shared fit loop: RC augmentation, early stopping on validation AUROC
(classifiers) or Pearson r (regression), cross-validation."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import StratifiedKFold
from torch.utils.data import DataLoader, TensorDataset
from tqdm.auto import tqdm

from sciml.enhancers.evaluate import fold_metrics, mean_auroc, mean_pearson, predict_proba, predict_values
from sciml.enhancers.models import MotifCNN, MotifCNNConfig, build_model
from sciml.enhancers.sequences import random_shift, reverse_complement_batch
from sciml.enhancers.settings import LossSettings, TrainSettings
from sciml.train.device import select_device
from sciml.train.fit import FitConfig, FitResult, LossFn, fit
from sciml.train.seed import seed_everything


def fit_config(train: TrainSettings, seed: int, device: str) -> FitConfig:
    """The fit loop's settings from a job's `train` settings (the monitor is set by the trainer)."""
    return FitConfig(max_epochs=train.max_epochs, batch_size=train.batch_size, lr=train.lr,
                     weight_decay=train.weight_decay, patience=train.patience, grad_clip_norm=train.grad_clip_norm,
                     seed=seed, device=device, monitor="val_auroc", mode="max")


def augmentation(train: TrainSettings) -> dict[str, int]:
    """The augmentation of a job's `train` settings, as keyword arguments of `train_motif_cnn`."""
    return {"max_shift": train.max_shift}


def _rc_flip_half(x: torch.Tensor) -> torch.Tensor:
    """Reverse-complement a random half of the batch `x (N, 4, L)` (coins from torch's global RNG)."""
    flip = torch.rand(len(x)) < 0.5
    return torch.where(flip.to(x.device)[:, None, None], reverse_complement_batch(x), x)


def masked_bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy over the known labels: a NaN in `y` is a label not measured.

    Multi-task sets built from separate experiments (e.g. peaks of several ChIP-seq tasks, each
    labelled for its own task only) leave the other tasks' labels unknown; they add nothing to
    the loss. Without NaN this is plain BCE.

    Shapes:
        logits, y: (N, T) -> scalar.
    """
    known = ~torch.isnan(y)
    if bool(known.all()):
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.nan_to_num(y), reduction="none")
    return (bce * known).sum() / known.sum().clamp(min=1)


def rc_augmented_loss(model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """BCE-with-logits loss (`masked_bce_with_logits`) where a random half of the batch is reverse-complemented.

    The coin flips draw from torch's global RNG, which the fit loop checkpoints.
    """
    x, y = batch
    return masked_bce_with_logits(model(_rc_flip_half(x)), y)


def rc_augmented_mse(model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Mean squared error of a regression model where a random half of the batch is reverse-complemented."""
    x, y = batch
    return torch.nn.functional.mse_loss(model(_rc_flip_half(x)), y)


def focal_bce_with_logits(logits: torch.Tensor, y: torch.Tensor, gamma: float) -> torch.Tensor:
    """Focal binary cross-entropy (Lin et al. 2017), element-wise: `(1 - p_t)^gamma * BCE`, shape of `logits`.

    `p_t = exp(-BCE)` is the probability given to the true label; gamma 0 is plain BCE.
    """
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
    return (1.0 - torch.exp(-bce)).pow(gamma) * bce


class RCWeightedLoss:
    """RC-augmented multi-task loss with an optional reweighting of the tasks.

    `settings.weighting`:

    - `"none"`: plain BCE averaged over sequences and tasks (same as `rc_augmented_loss`);
    - `"focal"`: focal BCE with exponent `gamma`, averaged over sequences and tasks;
    - `"ema"`: per-task BCE, each task weighted by the exponential moving average (decay
      `ema_decay` per batch) of its own training BCE, weights normalised to mean 1. The average
      is updated only in training mode, so validation batches (the fit loop's `val_loss`) never
      change it. The average is the loss's state (`state_dict`), which the fit loop checkpoints,
      so a resumed run continues bit-identically.

    Args:
        settings: the weighting; None = plain BCE.
    """

    def __init__(self, settings: LossSettings | None = None) -> None:
        settings = LossSettings() if settings is None else settings
        self.weighting, self.gamma, self.ema_decay = settings.weighting, settings.gamma, settings.ema_decay
        self.task_loss: torch.Tensor | None = None  # (T,) running training BCE per task

    def state_dict(self) -> dict[str, torch.Tensor | None]:
        """The running per-task training BCE `(T,)` (None before the first training batch)."""
        return {"task_loss": self.task_loss}

    def load_state_dict(self, state: dict[str, torch.Tensor | None]) -> None:
        """Restore the running average saved by `state_dict` (a resumed run)."""
        self.task_loss = state["task_loss"]

    def task_weights(self) -> torch.Tensor | None:
        """Current per-task weights `(T,)` with mean 1 (None before the first training batch)."""
        return None if self.task_loss is None else self.task_loss / self.task_loss.mean()

    def __call__(self, model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        x, y = batch
        logits = model(_rc_flip_half(x))
        if self.weighting == "focal":
            return focal_bce_with_logits(logits, y, self.gamma).mean()
        bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
        if self.weighting == "none":
            return bce.mean()
        if model.training:
            per_task = bce.detach().mean(0)
            self.task_loss = per_task if self.task_loss is None else (
                self.ema_decay * self.task_loss.to(per_task.device) + (1.0 - self.ema_decay) * per_task)
        weights = self.task_weights()
        return (bce * weights).mean() if weights is not None else bce.mean()


class ShiftedLoss:
    """A training loss applied to randomly shifted sequences (`sequences.random_shift`).

    Shifts apply in training mode only (validation batches are scored as they are); a wrapped
    loss's running state (`state_dict`) is passed through, so the fit loop checkpoints it.

    Args:
        loss_fn: the loss `loss_fn(model, (x, y))`.
        max_shift: largest shift in bp.
    """

    def __init__(self, loss_fn: LossFn, max_shift: int) -> None:
        self.loss_fn, self.max_shift = loss_fn, max_shift
        if hasattr(loss_fn, "state_dict"):
            self.state_dict, self.load_state_dict = loss_fn.state_dict, loss_fn.load_state_dict

    def __call__(self, model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        x, y = batch
        if model.training:
            x = random_shift(x, self.max_shift)
        return self.loss_fn(model, (x, y))


def _evaluate(model: torch.nn.Module, loader: DataLoader) -> dict[str, float]:
    device = next(model.parameters()).device
    ys, ps = [], []
    for x, y in loader:
        ys.append(y.numpy())
        ps.append(predict_proba(model, x, device=device))
    return {"val_auroc": mean_auroc(np.concatenate(ys), np.concatenate(ps))}


def _evaluate_regression(model: torch.nn.Module, loader: DataLoader) -> dict[str, float]:
    device = next(model.parameters()).device
    ys, ps = [], []
    for x, y in loader:
        ys.append(y.numpy())
        ps.append(predict_values(model, x, device=device))
    return {"val_pearson": mean_pearson(np.concatenate(ys), np.concatenate(ps))}


def train_motif_cnn(
    config: MotifCNNConfig,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    fit_config: FitConfig,
    out_dir: str | os.PathLike[str] | None = None,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    loss_fn: LossFn | None = None,
    max_shift: int = 0,
) -> tuple[MotifCNN, FitResult]:
    """Build and train a motif CNN; early stopping follows validation AUROC (objective "binary")
    or validation Pearson r (objective "regression").

    Args:
        config: the architecture.
        X_train: training sequences.
        y_train: training labels.
        X_val: validation sequences (early stopping).
        y_val: validation labels.
        fit_config: the fit loop's settings; its `monitor`/`mode` are forced to val_auroc (val_pearson) / max.
        out_dir: where the per-epoch `metrics.csv` goes.
        checkpoint_dir: per-epoch checkpoint; an interrupted run with the same one resumes from it.
        loss_fn: training loss `loss_fn(model, (x, y))`; None = BCE (regression: MSE) with RC augmentation.
        max_shift: shift augmentation of the training sequences, in bp (`ShiftedLoss`); 0 = none.

    Returns:
        The model at its best epoch and the fit history.

    Shapes:
        X_train, X_val: (N, 4, L) float32 one-hot.
        y_train, y_val: (N, T) float32, in {0, 1} for objective "binary".
    """
    regression = config.objective == "regression"
    if loss_fn is None:
        loss_fn = rc_augmented_mse if regression else rc_augmented_loss
    seed_everything(fit_config.seed)
    monitor = "val_pearson" if regression else "val_auroc"
    fit_config = FitConfig(**{**fit_config.__dict__, "monitor": monitor, "mode": "max"})
    model = build_model(config)
    train_set = TensorDataset(torch.as_tensor(X_train, dtype=torch.float32), torch.as_tensor(y_train, dtype=torch.float32))
    val_set = TensorDataset(torch.as_tensor(X_val, dtype=torch.float32), torch.as_tensor(y_val, dtype=torch.float32))
    if max_shift:
        loss_fn = ShiftedLoss(loss_fn, max_shift)
    result = fit(model, train_set, loss_fn, fit_config, val_set=val_set,
                 evaluate_fn=_evaluate_regression if regression else _evaluate,
                 out_dir=out_dir, checkpoint_dir=checkpoint_dir, resume=checkpoint_dir is not None)
    model.eval()
    return model, result


def cv_folds(labels: np.ndarray, n_folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified, shuffled k-fold split of `labels (N,)`: (train indices, held-out indices) per fold."""
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return list(folds.split(np.zeros(len(labels)), labels))


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
        model, result = train_motif_cnn(config, X[tr], y[tr], X[va], y[va], fold_cfg, out_dir=fold_dir,
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
