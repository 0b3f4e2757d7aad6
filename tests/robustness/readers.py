"""Shared checks for the bad-input suite: a reader either accepts a file or raises `InputError` naming it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings

from sciml.errors import InputError

T = TypeVar("T")

# Derandomised so CI sees the same examples every run; the deadline turns a hang into a failure.
READER_SETTINGS = settings(max_examples=40, deadline=5000, derandomize=True, database=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def accepted_or_named(read: Callable[[], T], *paths: str | os.PathLike[str]) -> T | None:
    """Call `read()`; return its result, or None when it raised an `InputError` naming one of `paths`.

    Any other exception propagates and fails the test (an unhandled error is the bug we look for).
    """
    try:
        return read()
    except InputError as error:
        names = [str(p) for p in paths] + [Path(p).name for p in paths]
        assert any(name in str(error) for name in names), f"{error!s} names none of {paths}"
        assert error.problem, "an InputError must say what is wrong"
        return None


def files_in(directory: Path) -> set[str]:
    """Names of every file below `directory` (to show a reader wrote nothing)."""
    return {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()}
