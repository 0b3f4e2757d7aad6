"""Synthetic sequences with planted motifs: ground truth for motif recovery and motif grammar.

- `planted_motif_set`: after Koo & Eddy 2019 (PLoS Comput Biol 15:e1007560) — uniform random
  background, 1..5 motif instances sampled from the PWMs at random non-overlapping positions on
  a random strand; multi-label targets say which TFs are present. Koo & Eddy drew the number of
  instances with probabilities 0.50, 0.25, 0.17, 0.05, 0.03 for 1..5 (`KOO_EDDY_COUNT_WEIGHTS`).
- `grammar_set`: positives carry motif A followed by motif B on the same strand with a fixed
  gap; negatives carry the same motifs at other gaps, in the other order, on opposite strands,
  or alone, so only the arrangement separates the classes.
"""

from __future__ import annotations

import numpy as np

from sciml.errors import ConfigError

# P(1..5 motif instances per sequence) in Koo & Eddy's generator (their cumulative 0, .5, .25, .17, .05, .03)
KOO_EDDY_COUNT_WEIGHTS = (0.50, 0.25, 0.17, 0.05, 0.03)


def sample_instance(ppm: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One motif instance sampled column-wise from `ppm (4, W)`; returns base indices `(W,)`."""
    cumulative = np.cumsum(ppm, axis=0)
    draws = rng.random(ppm.shape[1])
    return np.minimum((draws[None, :] > cumulative).sum(axis=0), 3)


def consensus_indices(ppm: np.ndarray) -> np.ndarray:
    """Most probable base at each column of `ppm (4, W)`, as indices `(W,)`."""
    return ppm.argmax(axis=0)


def reverse_complement_indices(idx: np.ndarray) -> np.ndarray:
    """Reverse complement of base indices (A,C,G,T = 0..3)."""
    return (3 - idx)[::-1]


def indices_to_one_hot(idx: np.ndarray) -> np.ndarray:
    """Base indices `(N, L)` -> one-hot `(N, 4, L)` float32."""
    return np.eye(4, dtype=np.float32)[idx].transpose(0, 2, 1).copy()


def _place(widths: list[int], length: int, rng: np.random.Generator, tries: int = 100) -> list[int] | None:
    """Random non-overlapping start positions for motifs of these widths, or None if none found."""
    for _ in range(tries):
        starts = [int(rng.integers(0, length - w + 1)) for w in widths]
        spans = sorted(zip(starts, widths, strict=True))
        if all(s1 + w1 <= s2 for (s1, w1), (s2, _) in zip(spans, spans[1:], strict=False)):
            return starts
    return None


def planted_motif_set(
    ppms: list[np.ndarray], n: int, length: int = 200, min_motifs: int = 1, max_motifs: int = 5,
    seed: int = 0, count_weights: tuple[float, ...] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sequences with `min_motifs..max_motifs` planted motif instances, TFs drawn uniformly.

    Args:
        ppms: the motifs' position probability matrices, (4, W) each.
        n: sequences generated.
        length: sequence length in bp.
        min_motifs: fewest planted instances per sequence.
        max_motifs: most planted instances per sequence.
        seed: random seed.
        count_weights: relative probabilities of each instance count `min_motifs..max_motifs`;
            None draws the count uniformly.

    Returns:
        The one-hot sequences and the labels (1 where a TF was planted).

    Shapes:
        X: (n, 4, length) float32 one-hot.
        y: (n, len(ppms)) float32.
    """
    if not 1 <= min_motifs <= max_motifs:
        raise ConfigError("enhancers.synthetic.motifs_per_sequence", f"need 1 <= min <= max, got {min_motifs}..{max_motifs}")
    if max_motifs * max(p.shape[1] for p in ppms) > length:
        raise ConfigError("enhancers.synthetic.length", f"{length} bp cannot hold {max_motifs} motifs")
    counts = np.arange(min_motifs, max_motifs + 1)
    if count_weights is not None:
        weights = np.asarray(count_weights, dtype=np.float64)
        if len(weights) != len(counts) or (weights < 0).any() or weights.sum() <= 0:
            raise ConfigError("enhancers.synthetic.count_weights",
                              f"need {len(counts)} non-negative weights for {min_motifs}..{max_motifs} motifs, "
                              f"got {list(count_weights)}")
        weights = weights / weights.sum()
    rng = np.random.default_rng(seed)
    seqs = rng.integers(0, 4, size=(n, length))
    y = np.zeros((n, len(ppms)), dtype=np.float32)
    for i in range(n):
        k = int(rng.integers(min_motifs, max_motifs + 1)) if count_weights is None else int(rng.choice(counts, p=weights))
        chosen = rng.integers(0, len(ppms), size=k)
        starts = _place([ppms[c].shape[1] for c in chosen], length, rng)
        if starts is None:
            continue
        for c, s in zip(chosen, starts, strict=True):
            inst = sample_instance(ppms[c], rng)
            if rng.random() < 0.5:
                inst = reverse_complement_indices(inst)
            seqs[i, s:s + len(inst)] = inst
            y[i, c] = 1.0
    return indices_to_one_hot(seqs), y


def grammar_set(
    ppm_a: np.ndarray, ppm_b: np.ndarray, n: int, gap: int, length: int = 200, max_gap: int = 30,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Motif-grammar task: positive only for A then B (same strand) separated by `gap` bp.

    Half the sequences are positives. Negatives split evenly into: A..B at another gap in
    [0, max_gap] (at least 3 bp from `gap`), B..A at `gap` (swapped order), A and B on opposite
    strands at `gap`, and A or B alone. Strand of the whole pair is random (A..B on the reverse
    strand reads as rc(B)..rc(A) on the forward one).

    Returns X (n, 4, length) float32, y (n, 1) float32, and the decoy kind of each sequence
    (0 positive, 1 other gap, 2 swapped order, 3 opposite strands, 4 single motif).
    """
    if not 0 <= gap <= max_gap:
        raise ConfigError("enhancers.grammar.gap", f"must be within 0..{max_gap}, got {gap}")
    wa, wb = ppm_a.shape[1], ppm_b.shape[1]
    if wa + wb + max_gap + 2 > length:
        raise ConfigError("enhancers.grammar.max_gap", f"A + gap + B does not fit in {length} bp")
    rng = np.random.default_rng(seed)
    seqs = rng.integers(0, 4, size=(n, length))
    kinds = np.where(rng.random(n) < 0.5, 0, rng.integers(1, 5, size=n))
    other_gaps = np.array([g for g in range(max_gap + 1) if abs(g - gap) >= 3])
    for i, kind in enumerate(kinds):
        a, b = sample_instance(ppm_a, rng), sample_instance(ppm_b, rng)
        if kind == 4:
            inst = a if rng.random() < 0.5 else b
            if rng.random() < 0.5:
                inst = reverse_complement_indices(inst)
            s = int(rng.integers(0, length - len(inst) + 1))
            seqs[i, s:s + len(inst)] = inst
            continue
        g = int(rng.choice(other_gaps)) if kind == 1 else gap
        first, second = (b, a) if kind == 2 else (a, b)
        if kind == 3:
            second = reverse_complement_indices(second)
        pair = np.concatenate([first, rng.integers(0, 4, size=g), second])
        if rng.random() < 0.5:
            pair = reverse_complement_indices(pair)
        s = int(rng.integers(0, length - len(pair) + 1))
        seqs[i, s:s + len(pair)] = pair
    y = (kinds == 0).astype(np.float32)[:, None]
    return indices_to_one_hot(seqs), y, kinds


def split_indices(n: int, fractions: tuple[float, float, float], seed: int) -> tuple[np.ndarray, ...]:
    """Random train/valid/test index split with the given fractions (summing to 1)."""
    if abs(sum(fractions) - 1) > 1e-6 or min(fractions) <= 0:
        raise ConfigError("enhancers.split", f"fractions must be positive and sum to 1, got {fractions}")
    order = np.random.default_rng(seed).permutation(n)
    a = int(round(fractions[0] * n))
    b = a + int(round(fractions[1] * n))
    return order[:a], order[a:b], order[b:]
