"""The resumable training engine every training loop is built on.

A `TrainingRun` owns what makes a run resumable and interruptible, so that the loops themselves
(`sciml.train.fit`, the PINN phases in `sciml.pinn.training`) only do the optimisation:

- the run digest (`run_digest`: settings, parameter names and shapes, a data sample), stored in the
  checkpoint, so that a checkpoint written by another run is ignored with a warning and the run
  starts afresh;
- the checkpoint itself (`sciml.train.checkpoint.save_state`/`load_state`: safetensors + JSON, no
  pickle), with the RNG states of torch (CPU and CUDA), numpy and Python, and the state of a
  stateful loss (anything with `state_dict()`/`load_state_dict()`);
- a cooperative stop on SIGTERM: `run.stop_requested` turns true, the loop keeps (or writes) its
  last checkpoint and raises `run.interrupted(...)`, a `TrainingInterrupted` (the CLI exits 143);
- the CSV history, rewritten atomically at each checkpoint.

Example:
    >>> run = TrainingRun(out / "checkpoint", run_digest(settings, model, data), history_csv=out / "h.csv")
    >>> with run:
    ...     state = run.restore() or {"step": 0}        # None: nothing (or nothing valid) to resume
    ...     while state["step"] < steps:
    ...         ...one step...
    ...         run.save({**state, "model": model.state_dict()}, history=rows)
    ...         if run.stop_requested:
    ...             raise run.interrupted(f"SIGTERM at step {state['step']}")
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import random
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import numpy as np
import torch

from sciml.errors import TrainingInterrupted
from sciml.files import write_text_atomic
from sciml.train.checkpoint import load_state, save_state
from sciml.train.signals import sigterm_flag

log = logging.getLogger("sciml.train")

DIGEST_KEY = "run_digest"
RNG_KEY = "rng"
LOSS_KEY = "loss"


class Stateful(Protocol):
    """A loss (or any helper) whose running state is checkpointed with the model."""

    def state_dict(self) -> dict[str, Any]: ...

    def load_state_dict(self, state: dict[str, Any]) -> Any: ...


def rng_state() -> dict[str, Any]:
    """The global RNG states: torch CPU (and CUDA when present), numpy and Python's `random`."""
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "numpy": np.random.get_state(),
        "python": random.getstate(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: Mapping[str, Any]) -> None:
    """Restore the global RNG states saved by `rng_state`."""
    torch.set_rng_state(state["torch"])
    np.random.set_state(state["numpy"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def hash_item(digest: Any, item: Any) -> None:
    """Feed a tensor, array, number, string or a nest of them (dict, list, tuple, `.to_dict()`) to `digest`."""
    if isinstance(item, torch.Tensor):
        digest.update(item.detach().cpu().contiguous().numpy().tobytes())
    elif isinstance(item, np.ndarray):
        digest.update(np.ascontiguousarray(item).tobytes())
    elif isinstance(item, dict):
        for key in sorted(item, key=str):
            digest.update(str(key).encode())
            hash_item(digest, item[key])
    elif isinstance(item, list | tuple):
        for part in item:
            hash_item(digest, part)
    elif hasattr(item, "to_dict"):  # e.g. a torch_geometric Data graph
        hash_item(digest, item.to_dict())
    else:
        digest.update(repr(item).encode())


def hash_dataset_sample(digest: Any, dataset: Any) -> None:
    """Feed the size and the first, middle and last items of a map-style dataset (or "none") to `digest`."""
    if dataset is None:
        digest.update(b"none")
        return
    size = len(dataset)
    digest.update(str(size).encode())
    for index in sorted({0, size // 2, size - 1} if size else set()):
        hash_item(digest, dataset[index])


def run_digest(settings: Any, model: torch.nn.Module, *, data: Sequence[Any] = (),
               datasets: Sequence[Any] = ()) -> str:
    """Identity of a training run: what must match for a checkpoint to be resumed.

    Args:
        settings: JSON-serialisable settings that change the trajectory (leave out where the run
            executes, e.g. the device); non-JSON values are hashed by their `str`.
        model: the network; its parameter and buffer names and shapes enter the digest.
        data: tensors or arrays hashed in full (e.g. PINN collocation points).
        datasets: map-style datasets (or None) hashed by their size and first, middle and last
            items, so regenerated data never resume an old run. Reading items may draw random
            numbers; the global RNG states are restored afterwards, so the run is not shifted.

    Returns:
        16 hex digits.
    """
    shapes = {name: list(tensor.shape) for name, tensor in model.state_dict().items()}
    digest = hashlib.sha256(json.dumps([settings, shapes], sort_keys=True, default=str).encode())
    for item in data:
        hash_item(digest, item)
    if datasets:
        rng = rng_state()
        for dataset in datasets:
            hash_dataset_sample(digest, dataset)
        set_rng_state(rng)
    return digest.hexdigest()[:16]


def write_history_csv(path: str | Path, history: Sequence[Mapping[str, Any]]) -> None:
    """Write per-epoch/step rows as CSV atomically (union of the columns, in first-seen order)."""
    columns: list[str] = []
    for row in history:
        columns += [k for k in row if k not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(history)
    write_text_atomic(path, buffer.getvalue())


class TrainingRun:
    """Checkpoint, resume, run digest, SIGTERM and CSV history of one training run.

    Args:
        checkpoint_dir: where the checkpoint goes (a folder written atomically); None keeps the
            run in memory (nothing is saved or resumed).
        digest: the run's identity (`run_digest`); a checkpoint with another digest is stale.
        history_csv: where `save(..., history=rows)` writes the rows as CSV; None: no CSV.
        loss: optional stateful loss, checkpointed and restored with the run.
        resume: whether `restore` may continue from an existing checkpoint.

    Use it as a context manager: inside, SIGTERM sets `stop_requested` instead of killing the
    process (main thread only), and the previous handler is restored on exit.
    """

    def __init__(self, checkpoint_dir: str | Path | None, digest: str, *, history_csv: str | Path | None = None,
                 loss: Any = None, resume: bool = True) -> None:
        self.checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir is not None else None
        self.digest = digest
        self.history_csv = Path(history_csv) if history_csv is not None else None
        self.loss = loss if callable(getattr(loss, "state_dict", None)) else None
        self.resume = resume
        self._stop = threading.Event()
        self._signals: contextlib.ExitStack | None = None

    def __enter__(self) -> TrainingRun:
        self._signals = contextlib.ExitStack()
        self._stop = self._signals.enter_context(sigterm_flag())
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._signals is not None:
            self._signals.close()
            self._signals = None

    @property
    def stop_requested(self) -> bool:
        """True once SIGTERM arrived (inside the `with` block)."""
        return self._stop.is_set()

    def interrupted(self, message: str) -> TrainingInterrupted:
        """The exception to raise after a SIGTERM, naming where the checkpoint is."""
        where = f"; checkpoint in {self.checkpoint_dir}" if self.checkpoint_dir is not None else ""
        return TrainingInterrupted(f"{message}{where}; rerun with resume to continue")

    def restore(self) -> dict[str, Any] | None:
        """The saved state to continue from, or None (no resume, no checkpoint, or a stale one).

        A checkpoint written by another run (other digest) is ignored with a warning. On success
        the global RNG states and the loss state are restored; the caller restores the rest
        (model, optimisers, counters) from the returned dict.
        """
        if not self.resume or self.checkpoint_dir is None or not self.checkpoint_dir.is_dir():
            return None
        state = load_state(self.checkpoint_dir)
        if state.get(DIGEST_KEY) != self.digest:
            log.warning("%s was written by another run (other settings, model or data); training afresh",
                        self.checkpoint_dir)
            return None
        if state.get(LOSS_KEY) is not None and self.loss is not None:
            self.loss.load_state_dict(state[LOSS_KEY])
        if state.get(RNG_KEY) is not None:
            set_rng_state(state[RNG_KEY])
        log.info("resuming from %s", self.checkpoint_dir)
        return state

    def save(self, state: Mapping[str, Any], *, history: Sequence[Mapping[str, Any]] | None = None) -> None:
        """Checkpoint `state` (plus digest, RNG states and loss state) and write the CSV history.

        Args:
            state: the loop's state: `state_dict()`s, counters, history rows (anything
                `save_state` stores: nests of tensors, arrays, numbers and strings).
            history: rows for the CSV (written even when the run has no checkpoint folder).
        """
        if self.checkpoint_dir is not None:
            save_state(self.checkpoint_dir, {
                **state,
                DIGEST_KEY: self.digest,
                RNG_KEY: rng_state(),
                LOSS_KEY: self.loss.state_dict() if self.loss is not None else None,
            })
        if history is not None and self.history_csv is not None:
            write_history_csv(self.history_csv, history)
