"""Motif grammar by in-silico probing: insert motif pairs at every spacing, order and orientation
into dinucleotide-shuffled backgrounds and read the model's predicted activity (tangermeme's
`space` experiment).

`probe_spacing` reads the predicted probability of each pair (the synthetic grammar set, whose rule
is known). `motif_spacing` measures what a real model's spacing preference is made of: the
interaction of two motifs on the logit scale, (pair) - (first alone) - (second alone) +
(background) per background sequence, beside the same interaction for shuffled-motif controls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from sciml.enhancers.evaluate import predict_proba, predict_values
from sciml.errors import ConfigError


@dataclass
class ProbeResult:
    """Mean predicted probability per gap (bp between the end of the first motif and the
    start of the second) for A then B (`ab`) and B then A (`ba`), and for the background alone."""

    gaps: np.ndarray
    ab: np.ndarray
    ba: np.ndarray
    background: float

    @property
    def best_gap(self) -> int:
        """Gap with the highest activity over both orders."""
        order = self.ab if self.ab.max() >= self.ba.max() else self.ba
        return int(self.gaps[int(order.argmax())])

    @property
    def a_before_b(self) -> bool:
        """True when A then B reaches a higher activity than B then A."""
        return bool(self.ab.max() > self.ba.max())


def shuffled_backgrounds(X: np.ndarray, n: int, seed: int) -> np.ndarray:
    """`n` dinucleotide shuffles (tangermeme) of sequences drawn from `X (N, 4, L)` -> (n, 4, L)."""
    from tangermeme.ersatz import dinucleotide_shuffle

    rng = np.random.default_rng(seed)
    picks = rng.choice(len(X), size=n, replace=len(X) < n)
    shuffled = dinucleotide_shuffle(torch.as_tensor(X[picks], dtype=torch.float32), n=1, random_state=seed)
    return shuffled[:, 0].numpy().astype(np.float32)


def _insert(backgrounds: np.ndarray, motif: np.ndarray, start: int) -> np.ndarray:
    out = backgrounds.copy()
    out[:, :, start:start + motif.shape[1]] = motif[None]
    return out


def probe_spacing(model: torch.nn.Module, backgrounds: np.ndarray, motif_a: np.ndarray, motif_b: np.ndarray,
                  max_gap: int, target: int = 0) -> ProbeResult:
    """Activity of A..B and B..A pairs at gaps 0..max_gap, centred in each background.

    Args:
        model: a trained classifier.
        backgrounds: sequences the motif pairs are inserted into.
        motif_a: first motif instance (e.g. a consensus sequence), inserted as given (forward strand).
        motif_b: second motif instance.
        max_gap: largest gap probed, in bp.
        target: the output task probed.

    Returns:
        Mean predicted probability per gap and order, and the backgrounds' own mean.

    Shapes:
        backgrounds: (N, 4, L) one-hot.
        motif_a, motif_b: (4, W) one-hot.
    """
    L = backgrounds.shape[2]
    gaps = np.arange(max_gap + 1)
    base = float(predict_proba(model, backgrounds)[:, target].mean())
    ab, ba = np.zeros(len(gaps)), np.zeros(len(gaps))
    for k, gap in enumerate(gaps):
        for first, second, store in ((motif_a, motif_b, ab), (motif_b, motif_a, ba)):
            span = first.shape[1] + gap + second.shape[1]
            s = (L - span) // 2
            probes = _insert(_insert(backgrounds, first, s), second, s + first.shape[1] + gap)
            store[k] = predict_proba(model, probes)[:, target].mean()
    return ProbeResult(gaps, ab, ba, base)


def consensus_one_hot(ppm: np.ndarray) -> np.ndarray:
    """Consensus of `ppm (4, W)` as one-hot (4, W) float32."""
    return np.eye(4, dtype=np.float32)[ppm.argmax(axis=0)].T.copy()


#: The arrangements of motifs A and B a strand-averaged model tells apart, as (first motif, its strand,
#: second motif, its strand); each stands for its reverse complement too (A+ B+ is B- A-, A+ B- is
#: B+ A-, A- B+ is B- A+, B+ A+ is A- B-).
ARRANGEMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("A", "+", "B", "+"),  # tandem, A upstream
    ("B", "+", "A", "+"),  # tandem, B upstream
    ("A", "+", "B", "-"),  # convergent: A -> <- B
    ("A", "-", "B", "+"),  # divergent: <- A B ->
)


def arrangement_label(arrangement: tuple[str, str, str, str], a: str = "A", b: str = "B") -> str:
    """`"A+ B-"`-style label of an arrangement, with the motifs named `a` and `b`."""
    first, s1, second, s2 = arrangement
    names = {"A": a, "B": b}
    return f"{names[first]}{s1} {names[second]}{s2}"


@dataclass
class SpacingResult:
    """Interaction of two motifs by gap and arrangement, with shuffled-motif controls (logit scale).

    Attributes:
        gaps: the gaps probed, bp between the end of the first motif and the start of the second.
        interaction: mean over backgrounds of pair - first alone - second alone + background
            (0 = the two motifs add up; > 0 = the pair predicts more than the sum of its parts).
        interaction_se: standard error of that mean over the backgrounds.
        control: the same interaction with one motif replaced by a position-shuffled copy of itself
            (same bases, no motif), one column per control.
        pair: mean logit with both motifs inserted.
        effect_a: mean logit change of motif A alone (over its positions and strands).
        effect_b: mean logit change of motif B alone.
        background: mean logit of the backgrounds.

    Shapes:
        gaps: (G,); interaction, interaction_se, pair: (4, G) in `ARRANGEMENTS` order;
        control: (4, G, C).
    """

    gaps: np.ndarray
    interaction: np.ndarray
    interaction_se: np.ndarray
    control: np.ndarray
    pair: np.ndarray
    effect_a: float
    effect_b: float
    background: float

    def control_band(self, coverage: float = 0.95) -> tuple[float, float]:
        """Central `coverage` interval of the control interactions (over arrangements, gaps, controls)."""
        tail = (1 - coverage) / 2
        low, high = np.quantile(self.control, [tail, 1 - tail])
        return float(low), float(high)

    def summary(self, a: str = "A", b: str = "B") -> dict[str, object]:
        """The preferred arrangement and gap, and whether they stand out from the controls.

        - `cooperative`: the best interaction minus two standard errors is above both the
          controls' 95 % band and every control at the same gap (junction effects at short gaps);
        - `spacing_specific`: cooperative, and the best arrangement's peak above its own median
          over gaps exceeds every control curve's peak above its median (a preferred gap, not a
          gap-independent synergy);
        - `sub_additive`: the mean interaction over all arrangements and gaps is below the
          controls' band (nearby motifs count for less than the two apart);
        - `additive_from_bp`: the smallest gap from which no arrangement is more than two
          standard errors below the controls' band (null when the last gap still is).
        """
        k, g = np.unravel_index(int(np.argmax(self.interaction)), self.interaction.shape)
        low, high = self.control_band()
        best, best_se = float(self.interaction[k, g]), float(self.interaction_se[k, g])
        cooperative = best - 2 * best_se > max(high, float(self.control[:, g].max()))
        peak = float(self.interaction[k].max() - np.median(self.interaction[k]))
        control_peak = float((self.control.max(axis=1) - np.median(self.control, axis=1)).max())
        below = (self.interaction + 2 * self.interaction_se < low).any(axis=0)  # (G,)
        if not below.any():
            additive_from: int | None = int(self.gaps[0])
        elif below[-1]:
            additive_from = None
        else:
            additive_from = int(self.gaps[int(np.flatnonzero(below).max()) + 1])
        return {
            "best_arrangement": arrangement_label(ARRANGEMENTS[k], a, b),
            "best_gap_bp": int(self.gaps[g]),
            "best_interaction": best,
            "best_interaction_se": best_se,
            "mean_interaction": float(self.interaction.mean()),
            "control_low": low,
            "control_high": high,
            "peak_over_median": peak,
            "control_peak_over_median": control_peak,
            "cooperative": bool(cooperative),
            "spacing_specific": bool(cooperative and peak > control_peak),
            "sub_additive": bool(self.interaction.mean() < low),
            "additive_from_bp": additive_from,
            "effect_a": self.effect_a,
            "effect_b": self.effect_b,
            "arrangements": {
                arrangement_label(arr, a, b): {
                    "best_gap_bp": int(self.gaps[int(self.interaction[i].argmax())]),
                    "max_interaction": float(self.interaction[i].max()),
                    "mean_interaction": float(self.interaction[i].mean()),
                } for i, arr in enumerate(ARRANGEMENTS)},
        }


def _oriented(motif: np.ndarray, strand: str) -> np.ndarray:
    return motif if strand == "+" else motif[::-1, ::-1].copy()


def _position_shuffles(motif: np.ndarray, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    """`n` copies of `motif (4, W)` with their positions permuted (differing from it where possible)."""
    out = []
    for _ in range(n):
        for _ in range(20):
            shuffled = motif[:, rng.permutation(motif.shape[1])]
            if not np.array_equal(shuffled, motif):
                break
        out.append(shuffled)
    return out


def _probe_set(backgrounds: np.ndarray, variants: list[tuple[tuple, tuple]], strands: tuple[str, str],
               starts: tuple[int, int]) -> tuple[list[np.ndarray], list[tuple[int, int, int]]]:
    """The distinct probes of one arrangement and gap, and for each variant (a pair of motif
    instances `(name, copy, (4, W))`) the indices of its pair, first-alone and second-alone probes."""
    probes: list[np.ndarray] = []
    index: dict[tuple, int] = {}

    def probe(key: tuple, *parts: tuple[np.ndarray, int]) -> int:
        if key not in index:
            index[key] = len(probes)
            seqs = backgrounds
            for motif, start in parts:
                seqs = _insert(seqs, motif, start)
            probes.append(seqs)
        return index[key]

    rows = []
    for (n1, k1, m1), (n2, k2, m2) in variants:
        m1, m2 = _oriented(m1, strands[0]), _oriented(m2, strands[1])
        rows.append((probe(("pair", n1, k1, n2, k2), (m1, starts[0]), (m2, starts[1])),
                     probe((n1, k1), (m1, starts[0])), probe((n2, k2), (m2, starts[1]))))
    return probes, rows


def motif_spacing(model: torch.nn.Module, backgrounds: np.ndarray, motif_a: np.ndarray, motif_b: np.ndarray,
                  max_gap: int, n_controls: int = 1, seed: int = 0, target: int = 0,
                  batch_size: int = 256) -> SpacingResult:
    """Interaction of motifs A and B at gaps 0..max_gap in the four arrangements, beside controls.

    Each arrangement (`ARRANGEMENTS`: both orders on one strand, convergent, divergent) is
    centred in every background; the model's strand-averaged logit of the pair, of each motif
    alone at its position in the pair, and of the background give one interaction per background
    (pair - first - second + background). The controls repeat this with A, then B, replaced by
    `n_controls` position-shuffled copies each: what inserting the same bases without the motif
    does at each gap (junction words, composition, pooling edges).

    Args:
        model: a trained model with logit (or value) outputs.
        backgrounds: sequences the motifs are inserted into (e.g. dinucleotide shuffles,
            `shuffled_backgrounds`).
        motif_a: first motif instance (e.g. a pattern's consensus, `consensus_one_hot`).
        motif_b: second motif instance (may be A again: homotypic spacing).
        max_gap: largest gap probed, in bp.
        n_controls: position-shuffled copies of each motif (2 x n_controls control curves).
        seed: seed of the position shuffles.
        target: the model output probed.
        batch_size: sequences per forward pass.

    Returns:
        Interactions, their standard errors and the controls per arrangement and gap.

    Raises:
        ConfigError: the two motifs at `max_gap` do not fit in the backgrounds, or `n_controls` < 1.

    Shapes:
        backgrounds: (N, 4, L) one-hot; motif_a: (4, Wa); motif_b: (4, Wb).
    """
    L = backgrounds.shape[2]
    if motif_a.shape[1] + motif_b.shape[1] + max_gap > L:
        raise ConfigError("max_gap", f"motifs of {motif_a.shape[1]} and {motif_b.shape[1]} bp {max_gap} bp apart "
                          f"do not fit in {L} bp")
    if n_controls < 1:
        raise ConfigError("n_controls", f"must be >= 1, got {n_controls}")
    rng = np.random.default_rng(seed)
    motifs = {"A": motif_a, "B": motif_b}
    shuffles = {"A": _position_shuffles(motif_a, n_controls, rng), "B": _position_shuffles(motif_b, n_controls, rng)}
    n = len(backgrounds)

    def logits(probes: list[np.ndarray]) -> np.ndarray:
        out = predict_values(model, np.concatenate(probes), batch_size)[:, target]
        return out.reshape(len(probes), n)

    base = logits([backgrounds])[0]
    gaps = np.arange(max_gap + 1)
    interaction = np.zeros((len(ARRANGEMENTS), len(gaps)))
    se, pair = np.zeros_like(interaction), np.zeros_like(interaction)
    control = np.zeros((len(ARRANGEMENTS), len(gaps), 2 * n_controls))
    single = {"A": [], "B": []}
    for i, (first, s1, second, s2) in enumerate(ARRANGEMENTS):
        for j, gap in enumerate(gaps):
            w1 = motifs[first].shape[1]
            start1 = (L - (w1 + gap + motifs[second].shape[1])) // 2
            start2 = start1 + w1 + gap
            # variants: the real pair, then each control (one motif replaced by a shuffled copy)
            variants = [((first, -1, motifs[first]), (second, -1, motifs[second]))]
            for name in ("A", "B"):
                for k, copy in enumerate(shuffles[name]):
                    variants.append(((name, k, copy) if first == name else (first, -1, motifs[first]),
                                     (name, k, copy) if second == name else (second, -1, motifs[second])))
            probes, rows = _probe_set(backgrounds, variants, (s1, s2), (start1, start2))
            z = logits(probes)
            per_background = np.stack([z[p] - z[f] - z[t] + base for p, f, t in rows])  # (variants, N)
            interaction[i, j] = per_background[0].mean()
            se[i, j] = per_background[0].std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
            control[i, j] = per_background[1:].mean(axis=1)
            pair[i, j] = z[rows[0][0]].mean()
            single[first].append(float((z[rows[0][1]] - base).mean()))
            single[second].append(float((z[rows[0][2]] - base).mean()))
    return SpacingResult(gaps, interaction, se, control, pair, float(np.mean(single["A"])),
                         float(np.mean(single["B"])), float(base.mean()))
