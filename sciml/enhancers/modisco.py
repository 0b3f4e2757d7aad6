"""TF-MoDISco motif discovery (modisco-lite) on hypothetical contribution scores, and its outputs.

The field's route from a trained sequence model to motifs (Shrikumar et al. 2018, TF-MoDISco;
Avsec et al. 2021): DeepLIFT/SHAP hypothetical contributions of every base (tangermeme), seqlets
called on them and clustered into patterns (modisco-lite, the whole sequence as its window),
each pattern's trimmed probability matrix matched to JASPAR with Tomtom (memelite). This module
runs modisco-lite and reads its `modisco.h5` back as `Pattern`s; it writes the MEME, BED6 and
match tables and the modisco-lite HTML report (its memelite "tomtom-lite" backend, no MEME suite
binary).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sciml.enhancers.matching import TomtomResult


@dataclass(frozen=True)
class Pattern:
    """One modisco pattern: its name (`pos_patterns.pattern_0`), seqlets and trimmed matrices.

    Attributes:
        name: `<metacluster>.<pattern>` as in the modisco report.
        ppm: trimmed position probability matrix `(4, W)` (the positions whose contribution
            weight matrix carries at least `trim_threshold` of its maximum).
        cwm: trimmed contribution weight matrix `(4, W)`.
        n_seqlets: seqlets clustered into the pattern.
        seqlets: `(example, start, end, is_revcomp)` of each seqlet.
    """

    name: str
    ppm: np.ndarray
    cwm: np.ndarray
    n_seqlets: int
    seqlets: list[tuple[int, int, int, bool]]


def run_modisco(X: np.ndarray, hypothetical: np.ndarray, out: str | os.PathLike[str], max_seqlets: int = 20000,
                n_leiden_runs: int = 50, sliding_window_size: int = 21, flank_size: int = 10) -> None:
    """TF-MoDISco (modisco-lite) on one-hot sequences and their hypothetical contributions -> `out` (modisco.h5).

    The window is the whole sequence (`window_size` attribute = L), as for peaks already cut to
    the region of interest.

    Args:
        X: one-hot sequences.
        hypothetical: hypothetical contributions of every base (DeepLIFT/SHAP with `hypothetical`).
        out: the HDF5 file to write (modisco-lite's format, read by its `report` and by `read_patterns`).
        max_seqlets: seqlets per metacluster, at most.
        n_leiden_runs: Leiden clusterings per round (modisco-lite's default is 50).
        sliding_window_size: seqlet core width in bp.
        flank_size: flank added on each side of a seqlet core.

    Shapes:
        X, hypothetical: (N, 4, L).
    """
    from modiscolite.io import save_hdf5
    from modiscolite.tfmodisco import TFMoDISco

    one_hot = np.ascontiguousarray(X.transpose(0, 2, 1), dtype=np.float32)
    hyp = np.ascontiguousarray(hypothetical.transpose(0, 2, 1), dtype=np.float32)
    pos, neg = TFMoDISco(one_hot=one_hot, hypothetical_contribs=hyp, sliding_window_size=sliding_window_size,
                         flank_size=flank_size, max_seqlets_per_metacluster=max_seqlets,
                         n_leiden_runs=n_leiden_runs, verbose=False)
    save_hdf5(os.fspath(out), pos, neg, X.shape[2])


def _trim(cwm: np.ndarray, threshold: float) -> slice:
    score = np.abs(cwm).sum(axis=1)
    keep = np.flatnonzero(score >= threshold * score.max())
    return slice(int(keep.min()), int(keep.max()) + 1)


def read_patterns(path: str | os.PathLike[str], trim_threshold: float = 0.3) -> list[Pattern]:
    """The patterns of a modisco-lite `modisco.h5`, positive metacluster first, each by pattern number.

    Matrices are trimmed as modisco-lite's report trims them (positions whose absolute
    contribution is >= `trim_threshold` x the maximum, plus everything between).
    """
    import h5py

    patterns = []
    with h5py.File(path, "r") as h5:
        for group in ("pos_patterns", "neg_patterns"):
            if group not in h5:
                continue
            names = sorted(h5[group], key=lambda n: int(n.split("_")[-1]))
            for name in names:
                p = h5[group][name]
                cwm = np.asarray(p["contrib_scores"])  # (W, 4)
                ppm = np.asarray(p["sequence"])
                cut = _trim(cwm, trim_threshold)
                ppm = ppm[cut] / ppm[cut].sum(axis=1, keepdims=True)
                s = p["seqlets"]
                seqlets = [(int(e), int(a), int(b), bool(r)) for e, a, b, r in
                           zip(s["example_idx"][:], s["start"][:], s["end"][:], s["is_revcomp"][:], strict=True)]
                patterns.append(Pattern(f"{group}.{name}", ppm.T.copy(), cwm[cut].T.copy(),
                                        int(s["n_seqlets"][0]), seqlets))
    return patterns


_REGION = re.compile(r"^(?P<chrom>[^:\s]+):(?P<start>\d+)-(?P<end>\d+)$")


def seqlets_bed(patterns: list[Pattern], ids: list[str], length: int) -> str:
    """Seqlets as BED6 text: `chrom start end pattern score strand`, one line per seqlet.

    A record id of the form `chrom:start-end` (the ids `sciml enhancers extract` writes for
    windows cut from a genome) places its seqlets in genome coordinates; any other id is used
    as the "chromosome" with coordinates within the sequence. Score = 0; strand `-` for seqlets
    modisco aligned on the reverse strand.
    """
    lines = []
    for pattern in patterns:
        for example, start, end, revcomp in pattern.seqlets:
            start, end = max(0, start), min(length, end)
            chrom, offset = ids[example], 0
            region = _REGION.match(chrom)
            if region:
                chrom, offset = region["chrom"], int(region["start"])
            lines.append(f"{chrom}\t{start + offset}\t{end + offset}\t{pattern.name}\t0\t{'-' if revcomp else '+'}")
    return "\n".join(lines) + ("\n" if lines else "")


def matches_table(patterns: list[Pattern], result: TomtomResult, top: int = 3) -> str:
    """TSV `pattern, n_seqlets, jaspar_id, jaspar_name, q_value` with the `top` JASPAR matches of each
    pattern (lowest p first), q-values Benjamini-Hochberg over all JASPAR motifs (as in Tomtom)."""
    rows = ["pattern\tn_seqlets\tjaspar_id\tjaspar_name\tq_value"]
    for i, pattern in enumerate(patterns):
        for j in np.argsort(result.p_values[i], kind="stable")[:top]:
            target = result.targets[j]
            rows.append(f"{pattern.name}\t{pattern.n_seqlets}\t{target.matrix_id}\t{target.name}\t"
                        f"{result.q_values[i, j]:.3g}")
    return "\n".join(rows) + "\n"


def modisco_report(h5: str | os.PathLike[str], out_dir: str | os.PathLike[str], jaspar_meme: str | os.PathLike[str],
                   top_matches: int = 3, n_examples: int = 10, trim_threshold: float = 0.3) -> Path:
    """modisco-lite's descriptive HTML report of `h5` in `out_dir` (logos, seqlet examples, JASPAR matches
    through memelite's Tomtom, no MEME suite binary). Returns the folder."""
    from modiscolite.descriptive_report import generate_descriptive_report

    generate_descriptive_report(os.fspath(h5), os.fspath(out_dir), img_path_suffix="./",
                                meme_motif_db=os.fspath(jaspar_meme), top_n_matches=top_matches, ttl=True,
                                n_examples=n_examples, trim_threshold=trim_threshold)
    return Path(out_dir)
