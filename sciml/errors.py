"""Exception hierarchy: every error a user can cause names the file, the record/line and the problem."""

from __future__ import annotations

from os import PathLike


class SciMLError(Exception):
    """Base class of all errors raised on purpose by sciml."""


class InputError(SciMLError):
    """Bad input data: a malformed, truncated or inconsistent file.

    The message reads `<path> [<record>]: <problem>`.

    Args:
        path: file the problem is in.
        problem: what is wrong, in words a user can act on.
        record: optional record id, line number or structure index.

    Attributes:
        path: the file, as a string.
        problem: what is wrong.
        record: the record id, line number or structure index, or None.
    """

    def __init__(self, path: str | PathLike[str], problem: str, record: str | int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.record = record
        where = f"{self.path}" if record is None else f"{self.path} [{record}]"
        super().__init__(f"{where}: {problem}")


class ConfigError(SciMLError):
    """A bad configuration value, named by its dotted key.

    The message reads `<source>: config key '<key>': <problem>`.

    Args:
        key: dotted path of the offending setting (`ecg.train.lr`), or the option (`--config`).
        problem: what is wrong with it.
        source: the config file it came from, if any.

    Attributes:
        key: the dotted path of the setting.
        problem: what is wrong.
        source: the config file as a string, or None.
    """

    def __init__(self, key: str, problem: str, source: str | PathLike[str] | None = None) -> None:
        self.key = key
        self.problem = problem
        self.source = None if source is None else str(source)
        prefix = f"{self.source}: " if self.source else ""
        super().__init__(f"{prefix}config key '{key}': {problem}")


class TrainingInterrupted(SciMLError):
    """Training stopped on a signal (e.g. SLURM's SIGTERM) after its last checkpoint was written."""
