"""Cooperative stop on SIGTERM (what SLURM sends before it kills a job)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sigterm_flag() -> Iterator[threading.Event]:
    """Set the yielded event on SIGTERM (main thread only); restore the old handler afterwards.

    Training loops check the event between steps, write or keep their checkpoint, and raise
    `sciml.errors.TrainingInterrupted` so the CLI exits with status 143.
    """
    event = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield event
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: event.set())
    try:
        yield event
    finally:
        signal.signal(signal.SIGTERM, previous)
