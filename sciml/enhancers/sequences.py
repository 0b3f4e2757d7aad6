"""DNA sequence ingestion: FASTA reading, labels TSV, length policy and one-hot encoding.

Policy (documented in docs/enhancers.md):
- Alphabet: A, C, G, T, N in either case. Lowercase (soft-masked repeat) bases are read as
  their uppercase base. Any other character is an `InputError` naming file, record, position.
- One-hot order A, C, G, T on axis 1: `X (N, 4, L)` float32. `N` encodes as 0.25 in every
  channel (a uniform base), so it adds the mean of a filter's weights and no positional signal.
- Unequal lengths: with a target `length`, longer sequences are centre-cropped (the extra base
  of an odd difference is dropped from the right end) and shorter ones are padded with `N` on
  both ends (the extra `N` of an odd difference goes to the right end).
- Duplicate ids: kept, renamed `<id>#2`, `<id>#3`, ... (a warning is logged); with a labels TSV
  duplicates are an `InputError` because labels could not be assigned unambiguously.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from Bio.SeqIO.FastaIO import SimpleFastaParser

from sciml.errors import InputError
from sciml.textio import read_user_text

log = logging.getLogger("sciml.enhancers")

ALPHABET = "ACGT"
_VALID = set("ACGTN")
# Lookup from byte to one-hot row; N -> uniform 0.25.
_LUT = np.zeros((256, 4), dtype=np.float32)
for _i, _base in enumerate(ALPHABET):
    _LUT[ord(_base), _i] = 1.0
_LUT[ord("N")] = 0.25
_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


@dataclass
class SequenceSet:
    """Ids, sequences (uppercase) and optional labels `y (N, T)` with task names."""

    ids: list[str]
    sequences: list[str]
    labels: np.ndarray | None = None
    tasks: list[str] | None = None

    def __len__(self) -> int:
        return len(self.ids)


def read_fasta(path: str | os.PathLike[str], *, allow_duplicates: bool = True) -> tuple[list[str], list[str]]:
    """Read a FASTA file into ids (first word of each header) and uppercase sequences.

    Raises
    ------
    InputError : no records, an empty record, a character outside ACGTN (any case), or a
        duplicate id when `allow_duplicates` is False.
    """
    text = read_user_text(path, "FASTA")
    if text and text[0] != ">":
        raise InputError(path, f"not FASTA: line 1 starts with {text[0]!r}, expected '>'", record="line 1")
    ids: list[str] = []
    seqs: list[str] = []
    seen: dict[str, int] = {}
    for number, (title, seq) in enumerate(SimpleFastaParser(io.StringIO(text)), start=1):
        name = title.split()[0] if title.strip() else ""
        if not name:
            raise InputError(path, "record has an empty header", record=f"record {number}")
        seq = seq.upper()
        if not seq:
            raise InputError(path, "empty sequence", record=name)
        bad = set(seq) - _VALID
        if bad:
            pos = next(i for i, c in enumerate(seq) if c in bad)
            raise InputError(path, f"invalid character {seq[pos]!r} at position {pos + 1} "
                             "(allowed: A C G T N, any case)", record=name)
        if name in seen:
            if not allow_duplicates:
                raise InputError(path, "duplicate id", record=name)
            seen[name] += 1
            renamed = f"{name}#{seen[name]}"
            log.warning("%s: duplicate id %s renamed %s", path, name, renamed)
            name = renamed
        else:
            seen[name] = 1
        ids.append(name)
        seqs.append(seq)
    if not ids:
        raise InputError(path, "no FASTA records found")
    return ids, seqs


def write_fasta(path: str | os.PathLike[str], ids: list[str], sequences: list[str]) -> None:
    """Write records as FASTA (one line per sequence) to an already-staged path."""
    with open(path, "w") as out:
        for name, seq in zip(ids, sequences, strict=True):
            out.write(f">{name}\n{seq}\n")


def fit_length(seq: str, length: int) -> str:
    """Centre-crop or N-pad `seq` to exactly `length` bases (see module policy)."""
    excess = len(seq) - length
    if excess > 0:
        left = excess // 2
        return seq[left:left + length]
    if excess < 0:
        left = -excess // 2
        return "N" * left + seq + "N" * (-excess - left)
    return seq


def one_hot(sequences: list[str], length: int | None = None) -> np.ndarray:
    """One-hot encode sequences of ACGTN.

    Returns
    -------
    X : (N, 4, L) float32 in A, C, G, T order; N -> 0.25 per channel. With `length` None all
        sequences must have equal length (else ValueError); otherwise each is cropped/padded.
    """
    if length is None:
        lengths = {len(s) for s in sequences}
        if len(lengths) > 1:
            raise ValueError(f"sequences have unequal lengths {sorted(lengths)[:5]}; pass length=")
        length = lengths.pop() if lengths else 0
    joined = "".join(fit_length(s, length) for s in sequences).encode("ascii")
    codes = np.frombuffer(joined, dtype=np.uint8).reshape(len(sequences), length)
    return np.ascontiguousarray(_LUT[codes].transpose(0, 2, 1))


def decode(X: np.ndarray) -> list[str]:
    """Inverse of `one_hot` for hard one-hot input `X (N, 4, L)`; uniform columns -> N."""
    letters = np.array(list(ALPHABET + "N"))
    idx = X.argmax(axis=1)
    idx[X.max(axis=1) < 0.5] = 4
    return ["".join(row) for row in letters[idx]]


def reverse_complement(seq: str) -> str:
    """Reverse complement of an ACGTN string."""
    return seq.translate(_COMPLEMENT)[::-1]


def read_labels(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a labels TSV: column `id` then one numeric (0/1) column per task.

    Returns a DataFrame indexed by id with one float column per task.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "labels file does not exist")
    try:
        frame = pd.read_csv(path, sep="\t", dtype={"id": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable TSV: {exc}") from None
    if "id" not in frame.columns:
        raise InputError(path, f"no 'id' column (header: {list(frame.columns)})", record="line 1")
    tasks = [c for c in frame.columns if c != "id"]
    if not tasks:
        raise InputError(path, "no task column besides 'id'", record="line 1")
    duplicated = frame["id"][frame["id"].duplicated()]
    if len(duplicated):
        line = int(duplicated.index[0]) + 2
        raise InputError(path, f"duplicate id {duplicated.iloc[0]!r}", record=f"line {line}")
    for task in tasks:
        values = pd.to_numeric(frame[task], errors="coerce")
        bad = values.isna() | ~values.isin([0, 1])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(path, f"label {frame[task].iloc[row]!r} in column {task!r} is not 0 or 1",
                             record=f"line {row + 2}")
        frame[task] = values.astype(np.float32)
    return frame.set_index("id")


def load_labelled_fasta(fasta: str | os.PathLike[str], labels: str | os.PathLike[str]) -> SequenceSet:
    """One FASTA plus a labels TSV; every FASTA id must have exactly one labels row and vice versa."""
    ids, seqs = read_fasta(fasta, allow_duplicates=False)
    table = read_labels(labels)
    missing = [i for i in ids if i not in table.index]
    if missing:
        raise InputError(labels, f"no labels for FASTA id {missing[0]!r} ({len(missing)} ids missing)",
                         record=missing[0])
    extra = sorted(set(table.index) - set(ids))
    if extra:
        raise InputError(fasta, f"labels id {extra[0]!r} has no FASTA record ({len(extra)} ids missing)",
                         record=extra[0])
    y = table.loc[ids].to_numpy(dtype=np.float32)
    return SequenceSet(ids, seqs, y, list(table.columns))


def load_pos_neg(positive: str | os.PathLike[str], negative: str | os.PathLike[str]) -> SequenceSet:
    """A positive and a negative FASTA as one single-task set (label 1 / 0), positives first."""
    pos_ids, pos = read_fasta(positive)
    neg_ids, neg = read_fasta(negative)
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))]).astype(np.float32)[:, None]
    return SequenceSet(pos_ids + neg_ids, pos + neg, y, ["label"])
