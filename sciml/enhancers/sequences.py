"""DNA sequences as arrays: one-hot encoding, the length policy, reverse complement, GC content.

Policy:

- One-hot order A, C, G, T on axis 1: `X (N, 4, L)` float32. `N` encodes as 0.25 in every
  channel (a uniform base), so it adds the mean of a filter's weights and no positional signal.
- Unequal lengths: with a target `length`, longer sequences are centre-cropped (the extra base
  of an odd difference is dropped from the right end) and shorter ones are padded with `N` on
  both ends (the extra `N` of an odd difference goes to the right end).
"""

from __future__ import annotations

import numpy as np
import torch

ALPHABET = "ACGT"
# Lookup from byte to one-hot row; N -> uniform 0.25.
_LUT = np.zeros((256, 4), dtype=np.float32)
for _i, _base in enumerate(ALPHABET):
    _LUT[ord(_base), _i] = 1.0
_LUT[ord("N")] = 0.25
_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


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

    Args:
        sequences: uppercase ACGTN strings.
        length: crop/pad every sequence to this length; None = all must have equal length.

    Returns:
        The one-hot array in A, C, G, T order; N -> 0.25 per channel.

    Raises:
        ValueError: unequal lengths with `length` None.

    Shapes:
        X: (N, 4, L) float32.
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


def gc_fraction(seq: str) -> float:
    """Fraction of G or C among the non-N bases of `seq` (0.0 when all N)."""
    seq = seq.upper()
    called = len(seq) - seq.count("N")
    return (seq.count("G") + seq.count("C")) / called if called else 0.0


def reverse_complement_batch(x: torch.Tensor) -> torch.Tensor:
    """Reverse complement of one-hot sequences (N, 4, L) in A, C, G, T order (flip both axes)."""
    return x.flip(1).flip(2)


def random_shift(x: torch.Tensor, max_shift: int) -> torch.Tensor:
    """Move each one-hot sequence by a random offset in `[-max_shift, max_shift]` bp, filling the
    vacated positions with N (0.25 per channel); offsets drawn from torch's global RNG.

    Shapes:
        x: (N, 4, L) -> (N, 4, L).
    """
    if max_shift == 0:
        return x
    n, channels, length = x.shape
    offsets = torch.randint(-max_shift, max_shift + 1, (n, 1))
    padded = torch.nn.functional.pad(x, (max_shift, max_shift), value=0.25)
    index = (torch.arange(length)[None, :] + max_shift - offsets).to(x.device)  # (N, L)
    return padded.gather(2, index[:, None, :].expand(n, channels, length))


def strand_groups(sequences: list[str]) -> np.ndarray:
    """Group number of each sequence: sequences equal up to reverse complement share a group.

    Flanks shared by every sequence (MPRA adaptors, a constant prefix and suffix) are ignored, so
    an element assayed in both orientations between the same adaptors forms one group.

    Returns:
        `(N,)` int group numbers 0..G-1.
    """
    import os.path

    prefix = len(os.path.commonprefix(sequences)) if len(sequences) > 1 else 0
    suffix = len(os.path.commonprefix([s[::-1] for s in sequences])) if len(sequences) > 1 else 0
    cores = [s[prefix:len(s) - suffix] if len(s) > prefix + suffix else s for s in sequences]
    _, groups = np.unique([min(c, reverse_complement(c)) for c in cores], return_inverse=True)
    return groups.reshape(-1)
