"""The enhancers file formats: FASTA, labels TSV, BED, MEME motifs and the IRF1 HDF5.

Sequence policy:

- Alphabet: A, C, G, T, N in either case. Lowercase (soft-masked repeat) bases are read as
  their uppercase base. Any other character is an `InputError` naming file, record, position.
- Duplicate ids: kept, renamed `<id>#2`, `<id>#3`, ... (a warning is logged); with a labels TSV
  duplicates are an `InputError` because labels could not be assigned unambiguously.
- One-hot encoding and the length policy (centre crop / N pad) are in `sciml.enhancers.sequences`.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from Bio.SeqIO.FastaIO import SimpleFastaParser

from sciml.errors import InputError
from sciml.files import write_text_atomic
from sciml.textio import read_user_text

if TYPE_CHECKING:
    from sciml.enhancers.pwm import FilterPWM

log = logging.getLogger("sciml.enhancers")

_VALID = set("ACGTN")


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

    Raises:
        InputError: no records, an empty record, a character outside ACGTN (any case), or a
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


@dataclass(frozen=True)
class Region:
    """A BED interval (0-based, half-open) with its name or `chrom:start-end`."""

    chrom: str
    start: int
    end: int
    name: str


def read_bed(path: str | os.PathLike[str]) -> list[Region]:
    """Read BED3+ lines (tab-separated; `track`, `browser` and `#` lines skipped)."""
    path = Path(path)
    regions = []
    for number, line in enumerate(read_user_text(path, "BED").splitlines(), start=1):
        if not line.strip() or line.startswith(("#", "track", "browser")):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise InputError(path, f"expected at least 3 tab-separated fields, got {len(fields)}", record=f"line {number}")
        try:
            start, end = int(fields[1]), int(fields[2])
        except ValueError:
            raise InputError(path, f"start/end are not integers: {fields[1]!r}, {fields[2]!r}", record=f"line {number}") from None
        if not 0 <= start < end:
            raise InputError(path, f"need 0 <= start < end, got {start}, {end}", record=f"line {number}")
        name = fields[3] if len(fields) > 3 and fields[3] else f"{fields[0]}:{start}-{end}"
        regions.append(Region(fields[0], start, end, name))
    if not regions:
        raise InputError(path, "no regions")
    return regions


def meme_text(motifs: list[tuple[str, np.ndarray, int]]) -> str:
    """MEME minimal motif format for (name, ppm (4, W), n_sites) triples."""
    lines = ["MEME version 4", "", "ALPHABET= ACGT", "", "strands: + -", "",
             "Background letter frequencies", "A 0.25 C 0.25 G 0.25 T 0.25", ""]
    for name, ppm, n_sites in motifs:
        lines += [f"MOTIF {name}", f"letter-probability matrix: alength= 4 w= {ppm.shape[1]} nsites= {n_sites} E= 0"]
        lines += [" " + " ".join(f"{v:.6f}" for v in col) for col in ppm.T]
        lines.append("")
    return "\n".join(lines)


def write_meme(path: str | os.PathLike[str], pwms: list[FilterPWM]) -> None:
    """Write filter PWMs as a MEME minimal file (atomically)."""
    write_text_atomic(path, meme_text([(p.name, p.ppm, p.n_sites) for p in pwms]))


def read_meme(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Read a MEME minimal file into name -> ppm (4, W) (the subset of the format `meme_text` writes)."""
    motifs: dict[str, np.ndarray] = {}
    name, rows = None, []
    lines = open(path).read().splitlines()
    for number, line in enumerate(lines + ["MOTIF __end__"], start=1):
        if line.startswith("MOTIF"):
            if name is not None:
                if not rows:
                    raise InputError(path, f"motif {name} has no matrix rows", record=f"line {number}")
                motifs[name] = np.array(rows).T
            parts = line.split()
            if len(parts) < 2:
                raise InputError(path, "MOTIF line without a name", record=f"line {number}")
            name, rows = parts[1], []
        elif name is not None and line.strip() and not line.startswith("letter-probability"):
            try:
                values = [float(v) for v in line.split()]
            except ValueError:
                raise InputError(path, f"not a matrix row: {line!r}", record=f"line {number}") from None
            if len(values) != 4:
                raise InputError(path, f"matrix row has {len(values)} values, expected 4", record=f"line {number}")
            rows.append(values)
    return motifs


def load_irf1(path: str | os.PathLike[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The Koo & Ploenzke IRF1 HDF5: split name -> (X (N, 4, 400), y (N, 1))."""
    import h5py

    splits = {}
    try:
        with h5py.File(path, "r") as h5:
            for split in ("train", "valid", "test"):
                for key in (f"X_{split}", f"Y_{split}"):
                    if key not in h5:
                        raise InputError(path, f"dataset {key!r} missing (has {sorted(h5)})")
                X = np.asarray(h5[f"X_{split}"], dtype=np.float32)
                y = np.asarray(h5[f"Y_{split}"], dtype=np.float32).reshape(len(X), -1)
                if X.ndim != 3 or X.shape[1] != 4:
                    raise InputError(path, f"X_{split} has shape {X.shape}, expected (N, 4, L)")
                splits[split] = (X, y)
    except OSError as exc:
        raise InputError(path, f"not a readable HDF5 file: {exc}") from None
    return splits
