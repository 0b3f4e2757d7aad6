"""JASPAR motifs from pyjaspar's bundled SQLite database (offline) as position probability matrices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciml.errors import ConfigError

DEFAULT_RELEASE = "JASPAR2024"


@dataclass(frozen=True)
class Motif:
    """A named motif in A, C, G, T order: `ppm (4, W)` carries a small pseudocount (finite
    log-odds, Tomtom); `frequencies (4, W)` are JASPAR's own column frequencies, the distribution
    to sample planted instances from."""

    matrix_id: str
    name: str
    family: str
    ppm: np.ndarray
    frequencies: np.ndarray

    @property
    def consensus(self) -> str:
        """Most probable base at each position."""
        return "".join("ACGT"[i] for i in self.ppm.argmax(axis=0))


def counts_to_ppm(counts: np.ndarray, pseudocount: float = 0.0) -> np.ndarray:
    """Column-normalise a count matrix `(4, W)` (plus a pseudocount per cell) into probabilities."""
    counts = np.asarray(counts, dtype=np.float64) + pseudocount
    return counts / counts.sum(axis=0, keepdims=True)


def load_jaspar(release: str = DEFAULT_RELEASE, collection: str = "CORE",
                tax_group: str = "vertebrates") -> list[Motif]:
    """All motifs of a JASPAR release/collection/taxon (latest version of each), from pyjaspar.

    Returns motifs in database order; `ppm` carries a 0.01 pseudocount per cell, so no
    probability is exactly zero (log-odds and Tomtom scores stay finite).
    """
    from pyjaspar import jaspardb

    try:
        db = jaspardb(release=release)
    except Exception as exc:  # pyjaspar raises bare Exception/ValueError for unknown releases
        raise ConfigError("enhancers.jaspar_release", f"pyjaspar cannot open {release!r}: {exc}") from None
    motifs = []
    for m in db.fetch_motifs(collection=collection, tax_group=[tax_group]):
        counts = np.array([m.counts[b] for b in "ACGT"], dtype=np.float64)
        frequencies = counts_to_ppm(counts)
        motifs.append(Motif(m.matrix_id, m.name, "; ".join(m.tf_family or []) or "unknown",
                            counts_to_ppm(frequencies, pseudocount=0.01), frequencies))
    if not motifs:
        raise ConfigError("enhancers.jaspar_release", f"no {collection} {tax_group} motifs in {release}")
    return motifs


def select_motifs(motifs: list[Motif], names: list[str]) -> list[Motif]:
    """The motifs with these TF names, in the order given.

    JASPAR holds case variants of one name for different matrices (e.g. MAX MA0058 and Max
    MA1897 / MA2255, SP1 MA0079 and Sp1 MA2279), so an exact-case match wins; a name matching
    several motifs only case-insensitively is ambiguous. Raises ConfigError naming any TF absent
    from the database or ambiguous.
    """
    exact: dict[str, list[Motif]] = {}
    folded: dict[str, list[Motif]] = {}
    for m in motifs:
        exact.setdefault(m.name, []).append(m)
        folded.setdefault(m.name.upper(), []).append(m)
    chosen, missing, ambiguous = [], [], []
    for n in names:
        candidates = exact.get(n) or folded.get(n.upper(), [])
        if not candidates:
            missing.append(n)
        elif len(candidates) > 1:
            ambiguous.append(f"{n} ({', '.join(f'{m.name} {m.matrix_id}' for m in candidates)})")
        else:
            chosen.append(candidates[0])
    if missing:
        raise ConfigError("enhancers.motifs", f"TF names not in the JASPAR set: {missing}")
    if ambiguous:
        raise ConfigError("enhancers.motifs", f"TF names matching several JASPAR motifs: {ambiguous}")
    return chosen
