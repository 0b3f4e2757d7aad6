"""The published enhancement protocol (DeepHiC, Hong et al. 2020; HiCARN, Hicks & Oluwadare 2022).

A 10 kb map is cut into 40 x 40 tiles on a 40-bin grid whose offset from the diagonal is within
2 Mb; the high-depth map (the thinned map's parent, as published) is clipped at 255 and the
low-depth input at 100, each divided by its clip value; SSIM and PSNR are computed per tile and
averaged. The scores are kept apart from the HiCRep SCC against independent targets: the
protocol's target contains the input's own reads.

A method's output (on the input's raw scale up to a global factor) is scaled to the input's total
over the kept bins, then put on the parent's depth (divided by the kept fraction) before it is
clipped at 255; the raw input is scored as published (clipped at 100).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sciml.hic.metrics import psnr, ssim, unit_scale

TILE_BINS = 40
MAX_DISTANCE_BP = 2_000_000
HR_CLIP = 255.0
LR_CLIP = 100.0


def diagonal_tiles(matrix: np.ndarray, max_offset_bins: int, size: int = TILE_BINS) -> np.ndarray:
    """Tiles (i, j) on a `size`-bin grid with |i - j| <= `max_offset_bins` (DeepHiC's `divide`, stride = size).

    Shapes:
        matrix: (N, N) -> (K, size, size); K = 0 when N < size.
    """
    n = matrix.shape[0]
    starts = range(0, n - size + 1, size)
    tiles = [matrix[i:i + size, j:j + size] for i in starts for j in starts if abs(i - j) <= max_offset_bins]
    return np.stack(tiles) if tiles else np.zeros((0, size, size))


def protocol_scores(raw_input: np.ndarray, outputs: Mapping[str, np.ndarray], parent: np.ndarray, frac: float,
                    resolution_bp: int, valid: np.ndarray) -> dict[str, float]:
    """SSIM and PSNR per tile of the published protocol, averaged over the tiles holding contacts.

    Args:
        raw_input: the thinned counts (scored as published: clipped at 100, divided by 100).
        outputs: method -> output on the input's raw scale up to a global factor (scaled to the input's
            total over kept bins, multiplied by 1 / `frac`, clipped at 255).
        parent: the unthinned counts (the target: clipped at 255).
        frac: the kept fraction of the thinning.
        resolution_bp: bin size (sets the 2 Mb bound in bins).
        valid: bins ICE keeps in the input; the others are zero in every map (the methods leave them empty).

    Returns:
        `protocol_ssim_<method>`, `protocol_psnr_<method>` (method `raw` for the input); NaN without a tile.

    Shapes:
        raw_input, outputs, parent: (N, N); valid: (N,) bool.
    """
    bound = MAX_DISTANCE_BP // resolution_bp
    keep = np.outer(valid, valid)
    target = diagonal_tiles(unit_scale(parent * keep, HR_CLIP), bound)
    occupied = target.any(axis=(1, 2))  # tiles of masked bins only are left out
    total = float((raw_input * keep).sum())

    def on_parent_depth(output: np.ndarray) -> np.ndarray:
        kept = output * keep
        return kept * (total / max(float(kept.sum()), 1e-300)) / frac

    scaled = {"raw": unit_scale(raw_input * keep, LR_CLIP)} | {m: unit_scale(on_parent_depth(o), HR_CLIP)
                                                                for m, o in outputs.items()}
    scores = {}
    for method, image in scaled.items():
        tiles = diagonal_tiles(image, bound)
        pairs = list(zip(tiles[occupied], target[occupied], strict=True))
        scores[f"protocol_ssim_{method}"] = float(np.mean([ssim(a, b) for a, b in pairs])) if pairs else float("nan")
        scores[f"protocol_psnr_{method}"] = float(np.mean([psnr(a, b) for a, b in pairs])) if pairs else float("nan")
    return scores
