"""Motif matching with memelite's Tomtom against JASPAR: p/q values, best match per query."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import false_discovery_control

from sciml.enhancers.jaspar import Motif


@dataclass(frozen=True)
class MotifMatch:
    """Best JASPAR match of one query motif; `q_value` is Benjamini-Hochberg over all targets."""

    query: str
    matrix_id: str
    name: str
    family: str
    p_value: float
    q_value: float


@dataclass
class TomtomResult:
    """Tomtom of queries against targets: `p_values`, `q_values` (Q, T); q per query over all targets."""

    queries: list[str]
    targets: list[Motif]
    p_values: np.ndarray
    q_values: np.ndarray

    def best_matches(self) -> list[MotifMatch]:
        """The lowest-p target of each query."""
        matches = []
        for i, name in enumerate(self.queries):
            j = int(np.argmin(self.p_values[i]))
            t = self.targets[j]
            matches.append(MotifMatch(name, t.matrix_id, t.name, t.family,
                                      float(self.p_values[i, j]), float(self.q_values[i, j])))
        return matches

    def significant(self, matrix_ids: set[str], q_threshold: float = 0.05) -> np.ndarray:
        """(Q, K) bool: query i matches target `matrix_ids` k (sorted order) with q < threshold."""
        cols = [j for j, t in enumerate(self.targets) if t.matrix_id in matrix_ids]
        return self.q_values[:, cols] < q_threshold


def tomtom_compare(queries: dict[str, np.ndarray], targets: list[Motif], n_jobs: int = 1) -> TomtomResult:
    """Compare each query `ppm (4, W)` with every target `ppm` on both strands (memelite Tomtom).

    As in MEME's Tomtom, q-values are Benjamini-Hochberg over each query's p-values against all
    targets.
    """
    import numba
    from memelite import tomtom

    # numba refuses more threads than the CPUs it sees (e.g. a job pinned with taskset to fewer cores)
    n_jobs = max(1, min(n_jobs, numba.config.NUMBA_NUM_THREADS))
    names = list(queries)
    if not names:
        empty = np.zeros((0, len(targets)))
        return TomtomResult([], targets, empty, empty)
    p_values, *_ = tomtom([queries[n].astype(np.float64) for n in names], [t.ppm for t in targets],
                          n_jobs=n_jobs)
    p_values = np.clip(np.nan_to_num(np.asarray(p_values, dtype=np.float64), nan=1.0), 0.0, 1.0)
    q_values = np.stack([false_discovery_control(row, method="bh") for row in p_values])
    return TomtomResult(names, targets, p_values, q_values)


def planted_recovery(result: TomtomResult, planted: list[Motif], n_filters: int,
                     q_threshold: float = 0.05) -> tuple[dict[str, bool], float]:
    """Which planted motifs some filter matches (q < threshold), and the fraction of all
    `n_filters` first-layer filters (dead ones included) that match any planted motif."""
    ids = [p.matrix_id for p in planted]
    cols = [next(j for j, t in enumerate(result.targets) if t.matrix_id == mid) for mid in ids]
    hits = result.q_values[:, cols] < q_threshold if len(result.queries) else np.zeros((0, len(ids)), bool)
    recovered = {p.name: bool(hits[:, k].any()) for k, p in enumerate(planted)}
    return recovered, float(hits.any(axis=1).sum() / max(n_filters, 1))


def family_matched(matches: list[MotifMatch], family_substring: str, q_threshold: float = 0.05) -> bool:
    """True when some query's significant best match belongs to a TF family containing the text."""
    return any(m.q_value < q_threshold and family_substring.lower() in m.family.lower() for m in matches)


def family_rank(result: TomtomResult, family_substring: str, q_threshold: float = 0.05) -> int | None:
    """1-based rank of the first query whose best match belongs to a TF family containing the text at
    q < `q_threshold` (queries in their given order, e.g. modisco patterns by seqlet count); None if none."""
    for rank, match in enumerate(result.best_matches(), start=1):
        if match.q_value < q_threshold and family_substring.lower() in match.family.lower():
            return rank
    return None
