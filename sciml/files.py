"""Atomic file output: write to a temporary sibling, rename on success, leave nothing on failure."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is renamed to `target`.

    Works for files and directories alike: whatever the caller creates at the yielded path
    replaces `target` in one rename. On any exception the temporary is removed and `target`
    is left as it was.

    Args:
        target: the file or folder to create or replace.

    Yields:
        A path in a temporary folder beside `target` (same file system), not yet existing.

    Raises:
        FileNotFoundError: the block finished without creating anything at the yielded path.

    Examples:
        >>> with atomic_path("out/table.tsv") as staged:  # doctest: +SKIP
        ...     staged.write_text("a\tb\n")
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    staged = tmp / target.name
    try:
        yield staged
        if not staged.exists():
            raise FileNotFoundError(f"nothing was written to {staged} for {target}")
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(staged, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> Path:
    """Write `text` to `target` atomically.

    Args:
        target: the file to create or replace.
        text: its content (UTF-8).

    Returns:
        `target` as a `Path`.
    """
    with atomic_path(target) as staged:
        staged.write_text(text)
    return Path(target)
