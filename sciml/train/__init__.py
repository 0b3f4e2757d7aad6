"""Shared training core: the resumable training engine, the fit loop, seeding, device choice, pickle-free checkpoints."""

from sciml.train.checkpoint import (
    load_state,
    save_state,
)
from sciml.train.device import select_device
from sciml.train.engine import TrainingRun, run_digest, write_history_csv
from sciml.train.fit import FitConfig, FitResult, fit, mean_loss, move_to_device
from sciml.train.seed import seed_everything

__all__ = [
    "FitConfig",
    "FitResult",
    "TrainingRun",
    "fit",
    "load_state",
    "mean_loss",
    "move_to_device",
    "run_digest",
    "save_state",
    "seed_everything",
    "select_device",
    "write_history_csv",
]
