"""Training pairs from real maps, with targets that share no reads with the input.

A real library A is thinned to a fraction f (`sciml.hic.sample.binomial_thin` of its upper
triangle); the input is ICE(thinned A). Its targets are
  - the complement, A minus the kept reads: counting noise independent of the input's, so the
    least-squares fit to it is the expected map (noise2noise, Lehtinen et al. 2018), and
  - every other library B of the same condition at full depth (the library-to-library differences
    users face),
each ICE-balanced with its own weights and scaled to the input's total (counts units), masked to the
bins valid in both. Fractions are drawn log-uniformly, so depth varies over orders of magnitude.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence

import numpy as np

from sciml.errors import ConfigError, InputError
from sciml.hic.baselines import balance
from sciml.hic.simulate import thin
from sciml.hic.training import MapPair

log = logging.getLogger("sciml.hic")


def log_uniform_fractions(low: float, high: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` thinning fractions drawn log-uniformly in [low, high].

    Raises:
        ConfigError: not 0 < low <= high <= 1.

    Shapes:
        returns (n,) float64.
    """
    if not 0 < low <= high <= 1:
        raise ConfigError("fraction_range", f"must satisfy 0 < low <= high <= 1, got [{low}, {high}]")
    return np.exp(rng.uniform(np.log(low), np.log(high), size=n))


def independent_pair(kept: np.ndarray, target: np.ndarray, path: str | os.PathLike[str] = "<matrix>") -> MapPair:
    """(ICE of the kept reads, ICE of an independent target scaled to the same total) on the bins valid in both.

    Shapes:
        kept, target: (N, N) raw counts on the same bins.
    """
    noisy, noisy_valid = balance(kept, path=path)
    clean, clean_valid = balance(target, path=path)
    valid = noisy_valid & clean_valid
    keep = np.outer(valid, valid)
    clean = clean * keep
    clean = clean * (noisy[keep].sum() / max(clean.sum(), 1e-300))
    return MapPair(noisy, clean, valid)


def thinned_pairs(counts: np.ndarray, others: Mapping[str, np.ndarray], fractions: Sequence[float],
                  rng: np.random.Generator, path: str | os.PathLike[str] = "<matrix>") -> list[MapPair]:
    """Pairs of one real map: for each fraction, its thinned copy against its complement and against
    every map of `others` (other libraries of the same condition, full depth).

    Args:
        counts: the library's raw integer counts.
        others: name -> another library's raw counts on the same bins.
        fractions: thinning fractions, one thinned copy each.
        rng: the thinning's generator.
        path: for messages.

    Returns:
        (1 + len(others)) pairs per fraction, in fraction order (complement first); a fraction whose
        thinned copy (or a target) ICE cannot balance is left out with a warning.

    Shapes:
        counts, others: (N, N).
    """
    counts = np.asarray(counts).astype(np.int64)
    pairs = []
    for f in fractions:
        kept = thin(counts, float(f), rng)
        try:
            made = [independent_pair(kept, counts - kept, path)]
            made += [independent_pair(kept, other, path) for other in others.values()]
        except InputError:  # a map so sparse that ICE masks every bin: nothing to learn from
            log.warning("%s: a copy thinned to %.4g cannot be balanced; left out", path, f)
            continue
        pairs += made
    return pairs


def replicate_pairs(libraries: Mapping[str, np.ndarray], fractions_per_library: Mapping[str, Sequence[float]],
                    rng: np.random.Generator, path: str | os.PathLike[str] = "<matrix>") -> list[MapPair]:
    """`thinned_pairs` of every library of one condition against its complement and the other libraries.

    Shapes:
        libraries: name -> (N, N) raw counts on the same bins.
    """
    pairs = []
    for name, counts in libraries.items():
        others = {k: v for k, v in libraries.items() if k != name}
        pairs += thinned_pairs(counts, others, fractions_per_library[name], rng, path)
    return pairs


def informative(pairs: Sequence[MapPair], min_valid: int) -> list[MapPair]:
    """The pairs with at least `min_valid` bins valid in input and target (drops empty regions)."""
    return [p for p in pairs if int(p.valid.sum()) >= min_valid]
