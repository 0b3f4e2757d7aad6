"""The fit loop every domain trains with, built on `sciml.train.engine.TrainingRun`.

Seeded mini-batch training with validation, early stopping on a named metric, gradient
clipping, an optional LR scheduler, tqdm progress (silent when not on a terminal), a CSV log of
per-epoch metrics, a checkpoint after every epoch, and `resume=True` that continues an
interrupted run to bit-identical final weights on CPU. A SIGTERM (what SLURM sends before it
kills a job) stops training after the current batch with `TrainingInterrupted`; the last
epoch's checkpoint is on disk for the rerun.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
from torch.utils.data import DataLoader, Dataset, RandomSampler
from tqdm.auto import tqdm

from sciml.errors import ConfigError
from sciml.train.device import select_device
from sciml.train.engine import TrainingRun, run_digest

log = logging.getLogger("sciml.train")

CHECKPOINT_DIR = "checkpoint"
METRICS_CSV = "metrics.csv"

LossFn = Callable[[torch.nn.Module, Any], torch.Tensor]
EvaluateFn = Callable[[torch.nn.Module, DataLoader], dict[str, float]]
OptimizerFn = Callable[[Iterable[torch.nn.Parameter]], torch.optim.Optimizer]
SchedulerFn = Callable[[torch.optim.Optimizer], Any]


@dataclass
class FitConfig:
    """Settings of one training run (all plain values, so they hash and log cleanly).

    Attributes:
        max_epochs: upper bound on the number of epochs.
        batch_size: training and validation batch size.
        lr: learning rate of the default AdamW optimiser.
        weight_decay: weight decay of the default AdamW optimiser.
        grad_clip_norm: clip the gradient norm to this value (None = off).
        monitor: name of the metric early stopping and best-model selection follow; "val_loss"
            (mean loss on the validation set) is always available when a validation set is given,
            other names come from `evaluate_fn`. Without a validation set, "train_loss".
        mode: "min" or "max" for `monitor`.
        patience: validations without improvement (by more than `min_delta`) before stopping.
        min_delta: smallest change of `monitor` that counts as an improvement.
        seed: seed of the per-epoch shuffling.
        device: "auto", "cpu" or "cuda" (not part of the run digest).
        validate_every: validate every this many epochs (and always after the last one); the epochs
            in between only train, so the best model and early stopping see validated epochs only.
    """

    max_epochs: int = 50
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.0
    grad_clip_norm: float | None = None
    monitor: str = "val_loss"
    mode: Literal["min", "max"] = "min"
    patience: int = 10
    min_delta: float = 0.0
    seed: int = 0
    device: str = "auto"
    validate_every: int = 1

    def __post_init__(self) -> None:
        if self.mode not in ("min", "max"):
            raise ConfigError("train.mode", f"must be 'min' or 'max', got {self.mode!r}")
        for key in ("max_epochs", "batch_size", "patience", "validate_every"):
            if getattr(self, key) < 1:
                raise ConfigError(f"train.{key}", f"must be >= 1, got {getattr(self, key)}")
        if self.lr <= 0:
            raise ConfigError("train.lr", f"must be > 0, got {self.lr}")

    def digest(self) -> str:
        """Short hash of the settings that change the trajectory (device excluded)."""
        # validate_every = 1 is left out so that runs from before the option keep their digest
        fields = {k: v for k, v in asdict(self).items()
                  if k != "device" and not (k == "validate_every" and v == 1)}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class FitResult:
    """What a run produced: per-epoch history and the best epoch by the monitored metric."""

    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0
    best_value: float = math.nan
    stopped_early: bool = False

    @property
    def epochs_run(self) -> int:
        return len(self.history)


def move_to_device(batch: Any, device: torch.device) -> Any:
    """Move tensors (and objects with `.to`, e.g. PyG batches) inside tuples/lists/dicts to `device`."""
    if isinstance(batch, tuple | list):
        return type(batch)(move_to_device(b, device) for b in batch)
    if isinstance(batch, dict):
        return {k: move_to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, torch.Tensor) or callable(getattr(batch, "to", None)):
        return batch.to(device)
    return batch


def batch_size_of(batch: Any) -> int:
    """Number of samples in a batch: leading dim of its first tensor, or `num_graphs` for PyG."""
    if isinstance(batch, torch.Tensor):
        return len(batch)
    if isinstance(batch, tuple | list) and batch:
        return batch_size_of(batch[0])
    if isinstance(batch, dict) and batch:
        return batch_size_of(next(iter(batch.values())))
    return int(getattr(batch, "num_graphs", 1))


def _is_better(value: float, best: float, mode: str, min_delta: float) -> bool:
    if math.isnan(best):
        return not math.isnan(value)
    return value < best - min_delta if mode == "min" else value > best + min_delta


@torch.no_grad()
def mean_loss(model: torch.nn.Module, loader: DataLoader, loss_fn: LossFn, device: torch.device) -> float:
    """Batch-size-weighted mean of `loss_fn` over `loader` in eval mode."""
    model.eval()
    total, count = 0.0, 0
    for batch in loader:
        batch = move_to_device(batch, device)
        loss = loss_fn(model, batch)
        size = batch_size_of(batch)
        total += float(loss) * size
        count += size
    return total / max(count, 1)


def fit(
    model: torch.nn.Module,
    train_set: Dataset,
    loss_fn: LossFn,
    config: FitConfig,
    *,
    val_set: Dataset | None = None,
    evaluate_fn: EvaluateFn | None = None,
    out_dir: str | Path | None = None,
    resume: bool = False,
    checkpoint_dir: str | Path | None = None,
    optimizer_fn: OptimizerFn | None = None,
    scheduler_fn: SchedulerFn | None = None,
    collate_fn: Callable[[list[Any]], Any] | None = None,
) -> FitResult:
    """Train `model` in place and leave it holding the best epoch's weights.

    Args:
        model: the network; moved to the chosen device.
        train_set: any map-style Dataset; shuffled per epoch by a generator seeded from
            (`config.seed`, epoch), so a resumed run sees the same batches.
        loss_fn: `loss_fn(model, batch) -> scalar tensor`, batch already on the device. Random
            augmentation inside it must draw from torch's global RNG (saved in checkpoints). A loss
            with running state (e.g. adaptive task weights) exposes `state_dict()` / `load_state_dict()`,
            and that state is checkpointed and restored with the model's.
        config: the run's settings.
        val_set: validation data; gives "val_loss" each validated epoch (`config.validate_every`).
        evaluate_fn: `evaluate_fn(model, val_loader) -> {name: value}` for extra validation metrics
            (called in eval mode under no_grad; the loader yields batches on the CPU).
        out_dir: where `metrics.csv` and (by default) `checkpoint/` go; None keeps everything in memory.
        resume: continue from the checkpoint when one exists. A checkpoint written by another run
            (other FitConfig, model shapes or data) is ignored with a warning and training
            starts afresh; a finished run's checkpoint returns its best model without training.
        checkpoint_dir: where the per-epoch checkpoint goes (default `out_dir/checkpoint`); a
            workflow puts it outside a job's outputs, which Snakemake deletes when a job fails.
        optimizer_fn: `optimizer_fn(params) -> Optimizer`; default AdamW(lr, weight_decay).
        scheduler_fn: `scheduler_fn(optimizer) -> scheduler`, stepped once per epoch
            (`ReduceLROnPlateau` gets the monitored value).
        collate_fn: batch collation (e.g. PyG's `Batch.from_data_list`).

    Returns:
        The per-epoch history and the best epoch; `model` holds the best epoch's weights.

    Raises:
        TrainingInterrupted: on SIGTERM, after the current batch; resume with `resume=True`.
    """
    device = select_device(config.device)
    model.to(device)
    optimizer = (optimizer_fn or (lambda p: torch.optim.AdamW(p, lr=config.lr, weight_decay=config.weight_decay)))(
        model.parameters()
    )
    scheduler = scheduler_fn(optimizer) if scheduler_fn is not None else None
    val_loader = (
        DataLoader(val_set, batch_size=config.batch_size, shuffle=False, collate_fn=collate_fn)
        if val_set is not None
        else None
    )
    monitor = config.monitor if val_loader is not None else "train_loss"
    out_path = Path(out_dir) if out_dir is not None else None
    if checkpoint_dir is not None:
        checkpoint_dir = Path(checkpoint_dir)
    elif out_path is not None:
        checkpoint_dir = out_path / CHECKPOINT_DIR
    # only a checkpointed run needs its identity (hashing reads a few dataset items)
    digest = (run_digest(config.digest(), model, datasets=(train_set, val_set))
              if checkpoint_dir is not None else "")
    run = TrainingRun(checkpoint_dir, digest, history_csv=out_path / METRICS_CSV if out_path is not None else None,
                      loss=loss_fn, resume=resume)

    result = FitResult()
    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    bad_epochs = 0
    start_epoch = 1
    state = run.restore()
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scheduler is not None and state["scheduler"] is not None:
            scheduler.load_state_dict(state["scheduler"])
        best_state = state["best_model"]
        result = FitResult(state["history"], state["best_epoch"], state["best_value"], state["stopped_early"])
        bad_epochs = state["bad_epochs"]
        start_epoch = result.epochs_run + 1
        log.info("resumed from %s after epoch %d", checkpoint_dir, result.epochs_run)

    with run, tqdm(
        total=config.max_epochs, initial=start_epoch - 1, desc="epochs", unit="epoch", disable=None
    ) as bar:
        for epoch in range(start_epoch, config.max_epochs + 1):
            if result.stopped_early:
                break
            started = time.perf_counter()
            generator = torch.Generator().manual_seed(config.seed * 1_000_003 + epoch)
            loader = DataLoader(
                train_set,
                batch_size=config.batch_size,
                sampler=RandomSampler(train_set, generator=generator),
                collate_fn=collate_fn,
            )
            model.train()
            total, count = 0.0, 0
            for batch in loader:
                batch = move_to_device(batch, device)
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model, batch)
                if not torch.isfinite(loss):
                    raise FloatingPointError(f"non-finite training loss {float(loss)} at epoch {epoch}")
                loss.backward()
                if config.grad_clip_norm is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip_norm)
                optimizer.step()
                size = batch_size_of(batch)
                total += float(loss.detach()) * size
                count += size
                if run.stop_requested:
                    raise run.interrupted(f"SIGTERM during epoch {epoch}; the checkpoint after epoch {epoch - 1} is kept")
            row: dict[str, float] = {"epoch": epoch, "train_loss": total / max(count, 1)}
            validated = val_loader is None or epoch % config.validate_every == 0 or epoch == config.max_epochs
            if val_loader is not None and validated:
                row["val_loss"] = mean_loss(model, val_loader, loss_fn, device)
                if evaluate_fn is not None:
                    model.eval()
                    with torch.no_grad():
                        row.update({k: float(v) for k, v in evaluate_fn(model, val_loader).items()})
            if validated and monitor not in row:
                raise ConfigError("train.monitor", f"metric '{monitor}' is not among {sorted(row)}")
            row["lr"] = optimizer.param_groups[0]["lr"]
            if scheduler is not None:
                if not isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                    scheduler.step()
                elif validated:
                    scheduler.step(row[monitor])
            if validated and _is_better(row[monitor], result.best_value, config.mode, config.min_delta):
                result.best_value, result.best_epoch, bad_epochs = row[monitor], epoch, 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            elif validated:
                bad_epochs += 1
            result.stopped_early = bad_epochs >= config.patience
            row["seconds"] = time.perf_counter() - started
            result.history.append(row)
            log.info("epoch %d: %s", epoch, ", ".join(f"{k}={v:.5g}" for k, v in row.items() if k != "epoch"))
            bar.set_postfix({k: f"{v:.4g}" for k, v in row.items() if k in ("train_loss", monitor)})
            bar.update(1)
            run.save({
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict() if scheduler is not None else None,
                "best_model": best_state,
                "history": result.history,
                "best_epoch": result.best_epoch,
                "best_value": result.best_value,
                "bad_epochs": bad_epochs,
                "stopped_early": result.stopped_early,
            }, history=result.history)
    model.load_state_dict(best_state)
    return result
