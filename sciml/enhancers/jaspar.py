"""JASPAR motifs from pyjaspar's bundled SQLite database (offline) as position probability matrices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciml.errors import ConfigError

DEFAULT_RELEASE = "JASPAR2024"


@dataclass(frozen=True)
class Motif:
    """A named motif: `ppm (4, W)` position probability matrix in A, C, G, T order."""

    matrix_id: str
    name: str
    family: str
    ppm: np.ndarray

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
        motifs.append(Motif(m.matrix_id, m.name, "; ".join(m.tf_family or []) or "unknown",
                            counts_to_ppm(counts / counts.sum(axis=0, keepdims=True), pseudocount=0.01)))
    if not motifs:
        raise ConfigError("enhancers.jaspar_release", f"no {collection} {tax_group} motifs in {release}")
    return motifs


def select_motifs(motifs: list[Motif], names: list[str]) -> list[Motif]:
    """The motifs with these TF names (case-insensitive), in the order given.

    Raises ConfigError naming any TF absent from the database.
    """
    by_name = {m.name.upper(): m for m in motifs}
    missing = [n for n in names if n.upper() not in by_name]
    if missing:
        raise ConfigError("enhancers.motifs", f"TF names not in the JASPAR set: {missing}")
    return [by_name[n.upper()] for n in names]
