"""The enhancers file formats: FASTA, labels TSV, sequence tables (CSV/TSV), one-hot HDF5 splits, BED, MEME.

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


#: What a model predicts: "binary" (a probability per task) or "regression" (a value per task).
OBJECTIVES = ("binary", "regression")


@dataclass
class SequenceSet:
    """Ids, sequences (uppercase), labels `y (N, T)` with task names, and optionally a fixed split.

    Attributes:
        ids: one id per sequence.
        sequences: uppercase ACGTN strings.
        labels: `(N, T)` float32 targets (0/1 for "binary", real values for "regression").
        tasks: one name per label column.
        objective: "binary" or "regression".
        split: `(N,)` strings "train" / "valid" / "test" when the data come split (HDF5); None =
            a seeded random split is drawn by the trainer.
    """

    ids: list[str]
    sequences: list[str]
    labels: np.ndarray | None = None
    tasks: list[str] | None = None
    objective: str = "binary"
    split: np.ndarray | None = None

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


SPLITS = ("train", "valid", "test")


def _h5_key(h5: object, prefix: str, split: str) -> str | None:
    for key in (f"{prefix.lower()}_{split}", f"{prefix.upper()}_{split}"):
        if key in h5:  # type: ignore[operator]
            return key
    return None


def check_one_hot(path: str | os.PathLike[str], key: str, X: np.ndarray) -> None:
    """Raise an `InputError` naming `path`, `key` and the first bad record unless `X (N, 4, L)` is
    one-hot in A, C, G, T order (each position one 1 and three 0, or 0.25 in every channel for N)."""
    if X.ndim != 3 or X.shape[1] != 4:
        raise InputError(path, f"dataset {key!r} has shape {X.shape}, expected (N, 4, L) one-hot")
    one = np.isclose(X, 1.0) | np.isclose(X, 0.0)
    hard = one.all(axis=1) & np.isclose(X.sum(axis=1), 1.0)
    uniform = np.isclose(X, 0.25).all(axis=1)
    bad = ~(hard | uniform)  # (N, L)
    if bad.any():
        record, position = (int(v) for v in np.argwhere(bad)[0])
        raise InputError(path, f"dataset {key!r} is not one-hot: position {position + 1} holds "
                         f"{np.round(X[record, :, position], 4).tolist()}", record=f"{key}[{record}]")


def load_h5_splits(path: str | os.PathLike[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """One-hot train/valid/test splits from an HDF5 file: split name -> (X (N, 4, L), y (N, T)).

    Keys `x_train`, `y_train`, `x_valid`, ... in lower case (Koo lab ChIP-seq sets) or upper case
    (`X_train`, `Y_train`, ...) are both read.

    Raises:
        InputError: not an HDF5 file, a key missing (the message lists the file's keys), an `x`
            that is not one-hot `(N, 4, L)` (naming the record), or `y` rows not matching `x`.

    Shapes:
        X: (N, 4, L) float32 one-hot (A, C, G, T); y: (N, T) float32.
    """
    import h5py

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "HDF5 file does not exist")
    splits = {}
    try:
        with h5py.File(path, "r") as h5:
            keys = {}
            for split in SPLITS:
                for prefix in ("x", "y"):
                    key = _h5_key(h5, prefix, split)
                    if key is None:
                        raise InputError(path, f"dataset {prefix}_{split} (or {prefix.upper()}_{split}) missing; "
                                         f"the file has {sorted(h5)}")
                    keys[prefix, split] = key
            for split in SPLITS:
                X = np.asarray(h5[keys["x", split]], dtype=np.float32)
                check_one_hot(path, keys["x", split], X)
                y = np.asarray(h5[keys["y", split]], dtype=np.float32)
                if len(y) != len(X):
                    raise InputError(path, f"{keys['y', split]} has {len(y)} rows, {keys['x', split]} {len(X)}")
                splits[split] = (X, y.reshape(len(X), -1))
    except OSError as exc:
        raise InputError(path, f"not a readable HDF5 file: {exc}") from None
    lengths = {X.shape[2] for X, _ in splits.values()}
    if len(lengths) > 1:
        raise InputError(path, f"splits have different sequence lengths {sorted(lengths)}")
    return splits


def read_sequence_table(path: str | os.PathLike[str], sequence_column: str, target_column: str,
                        objective: str = "binary", id_column: str | None = None) -> SequenceSet:
    """A table of sequences and one target: CSV (`.csv`, `.csv.gz`) or tab-separated (anything else).

    Args:
        path: the table (a header line, then one sequence per row).
        sequence_column: column holding the sequences (ACGTN, any case).
        target_column: column holding the target: 0/1 for "binary", a finite number for "regression".
        objective: "binary" or "regression".
        id_column: column of record ids; None = `id` if the table has one, else `row<line>`.

    Raises:
        InputError: unreadable or empty table, a missing column (the message lists the header),
            a bad sequence or target (naming the line).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "table does not exist")
    if objective not in OBJECTIVES:
        raise InputError(path, f"task must be one of {list(OBJECTIVES)}, got {objective!r}")
    sep = "," if path.name.lower().endswith((".csv", ".csv.gz")) else "\t"
    try:
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable table: {exc}") from None
    id_column = id_column or ("id" if "id" in frame.columns else None)
    for column in (sequence_column, target_column, id_column):
        if column is not None and column not in frame.columns:
            raise InputError(path, f"no column {column!r} (header: {list(frame.columns)})", record="line 1")
    if frame.empty:
        raise InputError(path, "no rows after the header")
    sequences = frame[sequence_column].str.strip().str.upper().tolist()
    for row, seq in enumerate(sequences):
        bad = set(seq) - _VALID
        if not seq or bad:
            problem = "empty sequence" if not seq else (
                f"invalid character {next(c for c in seq if c in bad)!r} (allowed: A C G T N, any case)")
            raise InputError(path, problem, record=f"line {row + 2}")
    values = pd.to_numeric(frame[target_column], errors="coerce").to_numpy(dtype=np.float64)
    invalid = ~np.isfinite(values) if objective == "regression" else ~np.isin(values, [0.0, 1.0])
    if invalid.any():
        row = int(np.flatnonzero(invalid)[0])
        wanted = "a finite number" if objective == "regression" else "0 or 1"
        raise InputError(path, f"target {frame[target_column].iloc[row]!r} in column {target_column!r} is not "
                         f"{wanted}", record=f"line {row + 2}")
    ids = frame[id_column].tolist() if id_column else [f"row{row + 2}" for row in range(len(frame))]
    return SequenceSet(ids, sequences, values.astype(np.float32)[:, None], [target_column], objective)
