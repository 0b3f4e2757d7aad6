"""Training and batched inference of beat classifiers through `sciml.train.fit`."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from sciml.ecg.aami import CLASSES
from sciml.ecg.aberrant import add_aberrant_copies
from sciml.ecg.beats import BeatSet
from sciml.ecg.irregular import add_irregular_context
from sciml.ecg.models import BeatNet
from sciml.ecg.scores import macro_f1
from sciml.errors import ConfigError, InputError
from sciml.train.fit import FitConfig, FitResult, fit
from sciml.train.losses import balanced_class_weights, focal_loss, weighted_cross_entropy

log = logging.getLogger("sciml.ecg")

LOSSES = ("focal", "weighted_ce")


def beat_dataset(beats: BeatSet) -> TensorDataset:
    """(waves (N, C, L), rr (N, F), label (N,)) tensors of a labelled beat set."""
    if (beats.label < 0).any():
        raise InputError(f"records {sorted(set(beats.record))}", "training and evaluation need labelled beats")
    return TensorDataset(torch.as_tensor(beats.waves), torch.as_tensor(beats.rr), torch.as_tensor(beats.label))


def make_loss(name: str, weight: torch.Tensor, gamma: float = 2.0) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """`loss(logits, target)` for `name` in LOSSES, with class weights `weight` (K,)."""
    if name == "focal":
        return lambda logits, target: focal_loss(logits, target, gamma=gamma, weight=weight.to(logits.device))
    if name == "weighted_ce":
        return lambda logits, target: weighted_cross_entropy(logits, target, weight.to(logits.device))
    raise ConfigError("ecg.loss", f"unknown loss {name!r} (choose from {LOSSES})")


def augment(waves: torch.Tensor, scale: float = 0.15, noise: float = 0.02) -> torch.Tensor:
    """Random amplitude scaling (1 +- scale) and Gaussian noise from torch's global RNG. Shapes kept."""
    factor = 1.0 + scale * (2 * torch.rand(len(waves), 1, 1, device=waves.device) - 1)
    return waves * factor + noise * torch.randn_like(waves)


@torch.no_grad()
def predict_logits(model: torch.nn.Module, beats: BeatSet, batch_size: int = 1024, device: str | torch.device = "cpu") -> np.ndarray:
    """Logits (N, K) of `model` on every beat, in eval mode, in batches of bounded memory."""
    model.eval()
    outputs = []
    for start in range(0, len(beats), batch_size):
        waves = torch.as_tensor(beats.waves[start:start + batch_size], device=device)
        rr = torch.as_tensor(beats.rr[start:start + batch_size], device=device)
        outputs.append(model(waves, rr).float().cpu().numpy())
    return np.concatenate(outputs) if outputs else np.zeros((0, len(CLASSES)), dtype=np.float32)


@torch.no_grad()
def embed_beats(model: BeatNet, beats: BeatSet, batch_size: int = 1024, device: str | torch.device = "cpu") -> np.ndarray:
    """Penultimate embeddings (N, hidden) of every beat, in eval mode."""
    model.eval()
    outputs = []
    for start in range(0, len(beats), batch_size):
        waves = torch.as_tensor(beats.waves[start:start + batch_size], device=device)
        rr = torch.as_tensor(beats.rr[start:start + batch_size], device=device)
        outputs.append(model.embed(waves, rr).float().cpu().numpy())
    return np.concatenate(outputs)


def _check_fraction(key: str, fraction: float) -> None:
    """A fraction of the N beats to copy must lie in [0, 1] (each N beat is copied at most once)."""
    if not 0.0 <= fraction <= 1.0:
        raise ConfigError(key, f"must be in [0, 1] (a fraction of the N beats, each copied at most once), got {fraction}")


def with_synthetic_beats(train: BeatSet, *, irregular_fraction: float, aberrant_copies: int, seed: int) -> BeatSet:
    """`train` plus its synthetic training beats: N beats in irregular rhythms (`irregular.add_irregular_context`,
    `irregular_fraction` of the N beats) and aberrantly conducted copies of its S beats
    (`aberrant.add_aberrant_copies`, `aberrant_copies` per S beat). Deterministic for a given `seed`."""
    _check_fraction("ecg.irregular_fraction", irregular_fraction)
    if aberrant_copies < 0:
        raise ConfigError("ecg.aberrant_copies", f"must be >= 0, got {aberrant_copies}")
    train = add_irregular_context(train, irregular_fraction, seed)
    return add_aberrant_copies(train, aberrant_copies, seed + 1)


def irregular_rhythm_check(model: torch.nn.Module, val: BeatSet, seed: int) -> dict[str, float]:
    """Share of the validation N beats, placed in synthetic irregular rhythms (`irregular.add_irregular_context`,
    one copy each), that `model` calls S and V. The validation records have no atrial fibrillation or flutter;
    this is how a model's behaviour in such a rhythm is checked on them. Keys `val_irregular_N_as_S`, `..._as_V`."""
    copies = add_irregular_context(val, 1.0, seed)
    copies = copies.subset(np.arange(len(val), len(copies)))
    if len(copies) == 0:
        return {}
    pred = predict_logits(model, copies).argmax(axis=1)
    return {f"val_irregular_N_as_{c}": float(np.mean(pred == CLASSES.index(c))) for c in ("S", "V")}


def val_macro_f1(model: torch.nn.Module, loader: DataLoader) -> dict[str, float]:
    """`evaluate_fn` for `fit`: macro-F1 over the validation beats ("val_macro_f1")."""
    device = next(model.parameters()).device
    labels, preds = [], []
    for waves, rr, label in loader:
        preds.append(model(waves.to(device), rr.to(device)).argmax(dim=1).cpu().numpy())
        labels.append(label.numpy())
    return {"val_macro_f1": macro_f1(np.concatenate(labels), np.concatenate(preds))}


def train_beat_classifier(
    model: BeatNet,
    train: BeatSet,
    val: BeatSet,
    config: FitConfig,
    *,
    loss: str = "focal",
    gamma: float = 2.0,
    class_weight_power: float = 0.5,
    augment_waves: bool = True,
    irregular_fraction: float = 0.0,
    aberrant_copies: int = 0,
    val_irregular_fraction: float = 0.0,
    out_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
) -> FitResult:
    """Train `model` on `train` beats with early stopping on validation macro-F1 (`config.monitor`).

    Sets the model's RR standardisation from `train`, weights classes by inverse frequency to the
    power `class_weight_power`, and leaves the model at its best validation epoch. `irregular_fraction` > 0
    adds that fraction of the N beats again in synthetic irregular rhythms and `aberrant_copies` > 0 that many
    aberrantly conducted copies of each S beat (`with_synthetic_beats`, seeded by `config.seed`) before anything
    is computed from `train`. `val_irregular_fraction` > 0 adds that fraction of the validation N beats in
    irregular rhythms to the validation set (other copies: seed `config.seed` + 100), so that early stopping also
    sees how the model treats a rhythm the validation records lack.
    """
    train = with_synthetic_beats(train, irregular_fraction=irregular_fraction, aberrant_copies=aberrant_copies,
                                 seed=config.seed)
    _check_fraction("ecg.val_irregular_fraction", val_irregular_fraction)
    val = add_irregular_context(val, val_irregular_fraction, config.seed + 100)
    weight = balanced_class_weights(train.label, len(CLASSES), power=class_weight_power)
    log.info("class weights %s", dict(zip(CLASSES, weight.tolist(), strict=True)))
    criterion = make_loss(loss, weight, gamma)
    model.set_rr_scaling(train.rr)

    def loss_fn(net: torch.nn.Module, batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
        waves, rr, label = batch
        if net.training and augment_waves:
            waves = augment(waves)
        return criterion(net(waves, rr), label)

    return fit(model, beat_dataset(train), loss_fn, config, val_set=beat_dataset(val), evaluate_fn=val_macro_f1,
               out_dir=Path(out_dir) if out_dir is not None else None, resume=resume)
