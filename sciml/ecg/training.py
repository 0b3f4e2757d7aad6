"""Training and batched inference of beat classifiers through `sciml.train.fit`."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from sciml.ecg.aami import CLASSES, split_records
from sciml.ecg.aberrant import add_aberrant_copies
from sciml.ecg.beats import BeatSet, r_peak_index
from sciml.ecg.dataset import choose_validation, random_beat_split
from sciml.ecg.irregular import add_irregular_context
from sciml.ecg.models import BeatNet
from sciml.ecg.scores import macro_f1
from sciml.ecg.settings import Augmentation, BeatData, Calibration, KnowledgeDistillation, TrainSettings
from sciml.errors import ConfigError, InputError
from sciml.train.calibration import fit_temperature
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
    raise ConfigError("loss", f"unknown loss {name!r} (choose from {LOSSES})")


def augment(waves: torch.Tensor, settings: Augmentation, r_index: int) -> torch.Tensor:
    """Random gain, baseline, time scale, noise and second-lead dropout (`Augmentation`), drawn per beat from
    torch's global RNG.

    The time scale stretches the window around the R peak (sample `r_index`) by linear interpolation; the
    baseline (a line with random offset and rise) is added where the beat has signal, so the zeros of masked
    neighbours and record ends stay zero. Lead dropout zeroes channels 2 and 3 (the second lead of four-channel
    beats) after the noise, as a record without a second lead has them. Shapes: waves (N, C, L) -> (N, C, L).
    """
    n, _, length = waves.shape
    device = waves.device

    def draw() -> torch.Tensor:
        """(N, 1, 1) uniform in [-1, 1], one value per beat."""
        return 2 * torch.rand(n, 1, 1, device=device) - 1

    if settings.time_scale > 0:
        position = r_index + (torch.arange(length, device=device) - r_index) / (1.0 + settings.time_scale * draw())
        low = position.floor().clamp(0, length - 1)
        frac = position - position.floor()
        inside = ((position >= 0) & (position <= length - 1)).to(waves.dtype)
        left = waves.gather(2, low.long().expand(-1, waves.shape[1], -1))
        right = waves.gather(2, (low + 1).clamp(max=length - 1).long().expand(-1, waves.shape[1], -1))
        waves = (left + frac * (right - left)) * inside
    if settings.baseline > 0:
        ramp = torch.linspace(-0.5, 0.5, length, device=device)
        line = settings.baseline * (draw() + draw() * ramp)
        waves = waves + line * (waves[:, :1] != 0)
    if settings.gain > 0:
        waves = waves * (1.0 + settings.gain * draw())
    waves = waves + settings.noise * torch.randn_like(waves)
    if settings.lead_dropout > 0 and waves.shape[1] == 4:
        kept = (torch.rand(n, 1, 1, device=device) >= settings.lead_dropout).to(waves.dtype)
        waves = torch.cat([waves[:, :2], waves[:, 2:] * kept], dim=1)
    return waves


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


def thin_normal_beats(beats: BeatSet, max_per_record: int | None, seed: int) -> BeatSet:
    """`beats` with at most `max_per_record` N beats of each record (a seeded uniform draw); every S, V,
    F and Q beat is kept. None keeps everything. N beats of one patient are highly redundant, and the
    training cost grows with their number."""
    if max_per_record is None:
        return beats
    rng = np.random.default_rng(seed)
    keep = beats.label != CLASSES.index("N")
    for name in dict.fromkeys(beats.record.tolist()):
        normal = np.flatnonzero((beats.record == name) & ~keep)
        keep[rng.choice(normal, size=min(len(normal), max_per_record), replace=False)] = True
    return beats.subset(keep)


def training_beats(train: BeatSet, data: BeatData, seed: int) -> BeatSet:
    """The beats a model trains on, deterministic for a given `seed`: `train` with its N beats thinned to
    `data.max_normal_per_record` per record (`thin_normal_beats`), plus synthetic beats: N beats in irregular
    rhythms (`irregular.add_irregular_context`, `data.irregular_fraction` of the N beats) and aberrantly
    conducted copies of its S beats (`aberrant.add_aberrant_copies`, `data.aberrant_copies` per S beat).
    """
    train = thin_normal_beats(train, data.max_normal_per_record, seed + 2)
    train = add_irregular_context(train, data.irregular_fraction, seed)
    return add_aberrant_copies(train, data.aberrant_copies, seed + 1)


def fit_config(settings: TrainSettings | KnowledgeDistillation, device: str = "auto") -> FitConfig:
    """The `sciml.train.FitConfig` of a teacher, student or pruned-student run (early stopping on `monitor`)."""
    monitor = getattr(settings, "monitor", "val_macro_f1")
    opt = settings.optimiser
    return FitConfig(max_epochs=settings.epochs, batch_size=opt.batch_size, lr=opt.lr, weight_decay=opt.weight_decay,
                     grad_clip_norm=opt.grad_clip_norm, monitor=monitor,
                     mode="max" if monitor == "val_macro_f1" else "min", patience=settings.patience,
                     seed=settings.seed, device=device)


def split_beats(beats: BeatSet, data: BeatData, seed: int = 0) -> tuple[BeatSet, BeatSet]:
    """(training, validation) beats: whole held-out records of the training records (`data.val_records`).

    The training records default to the DS1 records present. With `data.beat_split` the split is a
    random beat-level one instead (it leaks patients; warned about).

    Raises:
        ConfigError: a validation record is not a training record, or a side is empty.
    """
    ds1, _ = split_records(sorted(set(beats.record.tolist())))
    train_records = list(data.train_records) if data.train_records else ds1
    train = beats.of_records(train_records)
    if data.beat_split:
        return random_beat_split(train, data.beat_split, seed)
    fit_records, val_records = choose_validation(train_records, list(data.val_records))
    return train.of_records(fit_records), train.of_records(val_records)


def calibrate_temperature(model: torch.nn.Module, val: BeatSet, calibration: Calibration) -> tuple[float, float]:
    """Temperature scaling on the validation beats: (temperature to use, temperature fitted).

    The validation beats are whole held-out records, so the fit sees the model on patients it was not
    trained on. The fitted temperature is raised to `calibration.min_temperature` (0: unbounded). When
    the model classifies every validation beat correctly the likelihood keeps rising as T -> 0 (no
    minimum), so the temperature is left at 1.
    """
    logits = predict_logits(model, val)
    fitted = fit_temperature(logits, val.label)
    if np.all(logits.argmax(axis=1) == val.label):
        log.warning("every validation beat is classified correctly: the temperature is not identifiable, kept at 1")
        return 1.0, fitted
    temperature = max(fitted, calibration.min_temperature)
    if temperature != fitted:
        log.info("fitted temperature %.3f raised to the lower bound %.3f", fitted, temperature)
    return temperature, fitted


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
    """`evaluate_fn` for `fit`: macro-F1 over the validation beats ("val_macro_f1"); batches are (waves, rr,
    label, ...)."""
    device = next(model.parameters()).device
    labels, preds = [], []
    for waves, rr, label, *_ in loader:
        preds.append(model(waves.to(device), rr.to(device)).argmax(dim=1).cpu().numpy())
        labels.append(label.numpy())
    return {"val_macro_f1": macro_f1(np.concatenate(labels), np.concatenate(preds))}


def train_beat_classifier(
    model: BeatNet,
    train: BeatSet,
    val: BeatSet,
    settings: TrainSettings,
    *,
    device: str = "auto",
    augment_waves: bool = True,
    out_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
) -> FitResult:
    """Train `model` on `train` beats with early stopping on validation macro-F1.

    Sets the model's RR standardisation from `train`, weights classes by inverse frequency to the
    power `settings.data.class_weight_power`, and leaves the model at its best validation epoch.
    The synthetic beats of `settings.data` are added to `train` first (`training_beats`, seeded
    by `settings.seed`). `settings.val_irregular_fraction` > 0 adds that fraction of the validation N
    beats in irregular rhythms to the validation set (other copies: seed + 100), so that early
    stopping also sees how the model treats a rhythm the validation records lack.

    Args:
        model: an initialised `BeatNet`.
        train: labelled training beats.
        val: labelled validation beats (other records).
        settings: the run settings.
        device: where to train (`auto`, `cpu`, `cuda`).
        augment_waves: random changes of the training waveforms (`settings.augmentation`).
        out_dir: checkpoint and `metrics.csv` folder (per-epoch checkpoints, resumable).
        resume: continue from `out_dir`'s checkpoint when it matches this run.

    Returns:
        The `sciml.train.FitResult` (best epoch, history).
    """
    config = fit_config(settings, device)
    train = training_beats(train, settings.data, config.seed)
    val = add_irregular_context(val, settings.val_irregular_fraction, config.seed + 100)
    weight = balanced_class_weights(train.label, len(CLASSES), power=settings.data.class_weight_power)
    log.info("class weights %s", dict(zip(CLASSES, weight.tolist(), strict=True)))
    criterion = make_loss(settings.loss, weight, settings.gamma)
    model.set_rr_scaling(train.rr)
    r_index = r_peak_index(train)

    def loss_fn(net: torch.nn.Module, batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
        waves, rr, label = batch
        if net.training and augment_waves:
            waves = augment(waves, settings.augmentation, r_index)
        return criterion(net(waves, rr), label)

    return fit(model, beat_dataset(train), loss_fn, config, val_set=beat_dataset(val), evaluate_fn=val_macro_f1,
               out_dir=Path(out_dir) if out_dir is not None else None, resume=resume)
