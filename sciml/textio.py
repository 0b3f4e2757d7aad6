"""Reading user text files (FASTA, BED, TSV) with an `InputError` for missing or non-text files."""

from __future__ import annotations

import os
from pathlib import Path

from sciml.errors import InputError


def read_user_text(path: str | os.PathLike[str], kind: str) -> str:
    """The whole of a UTF-8 text file.

    Args:
        path: the file.
        kind: what the file should be ("FASTA", "BED", ...), for the messages.

    Returns:
        The decoded text.

    Raises:
        InputError: the file does not exist, or holds bytes that are not UTF-8 text (naming the
            line and byte offset of the first one).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, f"{kind} file does not exist")
    content = path.read_bytes()
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"not a {kind} text file: byte {content[exc.start]:#04x} at offset {exc.start} "
                               "is not UTF-8", record=f"line {line}") from None
