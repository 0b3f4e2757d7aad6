"""Whole-chromosome denoising: overlapping band patches, blended, symmetric; model (re)loading."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from sciml.hic.bincorrect import BinCorrector, apply_log_factor, predict_log_factor
from sciml.hic.hicplus import HiCPlus
from sciml.hic.patches import band_positions, decode_counts, distance_channel, encode_counts, in_band, pad_to
from sciml.hic.tracks import bin_tracks, pad_tracks, track_channels
from sciml.hic.unet import ResidualUNet
from sciml.train.checkpoint import load_weights, read_model_config

ARCHITECTURES: dict[str, type[nn.Module]] = {"unet": ResidualUNet, "hicplus": HiCPlus}


def build_model(arch: str, **kwargs: Any) -> nn.Module:
    """Instantiate a denoiser by name ('unet' or 'hicplus') with its keyword arguments."""
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown denoiser architecture {arch!r} (known: {', '.join(ARCHITECTURES)})")
    return ARCHITECTURES[arch](**kwargs)


def load_model(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> tuple[nn.Module, dict]:
    """Load a saved denoiser directory; returns (model in eval mode, its config dict)."""
    from sciml.errors import InputError

    config = read_model_config(path)
    for key in ("arch", "model_kwargs", "patch_size", "band_bins"):
        if key not in config:
            raise InputError(path, f"config.json lacks '{key}': not a sciml hic denoiser")
    model = build_model(config["arch"], **config["model_kwargs"])
    load_weights(model, path, device)
    return model.eval(), config


BIN_CORRECTOR_DIR = "bin_corrector"


@dataclass
class Denoiser:
    """A saved denoiser: the patch model, its config and, if trained, its chromosome-level `BinCorrector`s
    (an ensemble: their per-bin log factors are averaged)."""

    model: nn.Module
    config: dict
    correctors: Sequence[nn.Module] = ()

    def __call__(self, balanced: np.ndarray, device: str | torch.device = "cpu") -> np.ndarray:
        """Denoise one ICE-balanced chromosome (N, N) -> (N, N) (then apply the per-bin correction)."""
        return denoise_chromosome(self.model, self.config, balanced, device, self.correctors)


def corrector_dirs(path: str | os.PathLike[str], config: dict) -> list[Path]:
    """The corrector folders of a model folder whose config.json is `config`: the `members` listed
    under its `bin_corrector` entry (an ensemble, session 11), or the single `bin_corrector/` of older
    folders; [] without a corrector."""
    if "bin_corrector" not in config:
        return []
    members = config["bin_corrector"].get("members")
    if members is None:
        return [Path(path) / BIN_CORRECTOR_DIR]
    return [Path(path) / member["dir"] for member in members]


def load_corrector(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> BinCorrector:
    """Load one saved `BinCorrector` folder (model.safetensors + config.json with `model_kwargs`)."""
    corrector = BinCorrector(**read_model_config(path)["model_kwargs"])
    load_weights(corrector, path, device)
    return corrector.eval()


def load_denoiser(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> Denoiser:
    """`load_model` plus the model folder's per-bin correctors when it has any (`corrector_dirs`)."""
    model, config = load_model(path, device)
    return Denoiser(model, config, [load_corrector(sub, device) for sub in corrector_dirs(path, config)])


def denoise_chromosome(model: nn.Module, config: dict, balanced: np.ndarray, device: str | torch.device = "cpu",
                       correctors: Sequence[nn.Module] = (), batch_size: int = 16) -> np.ndarray:
    """Denoise one ICE-balanced chromosome (N, N) with a model and its config; with `correctors`, multiply
    the denoised band by `exp(c_i + c_j)` (on the log1p scale), c (N,) = the mean of their per-bin log
    factors (an ensemble of correctors trained with different seeds)."""
    band = config["band_bins"]
    out = denoise_matrix(model, balanced, config["patch_size"], band, batch_size=batch_size, device=device,
                         use_tracks=config.get("bin_tracks", False),
                         reverse_average=config.get("reverse_average", False))
    if not correctors:
        return out
    valid = balanced.sum(axis=1) > 0
    factor = np.mean([predict_log_factor(c, balanced, out, valid, band, device) for c in correctors], axis=0)
    return apply_log_factor(out, factor, valid, band)


def _blend_window(size: int) -> np.ndarray:
    """Separable triangular weights (size, size), highest at the centre, never zero."""
    ramp = np.minimum(np.arange(1, size + 1), np.arange(size, 0, -1)).astype(np.float64)
    return np.outer(ramp, ramp)


def _patch_input(encoded: np.ndarray, tracks: np.ndarray | None, i0: int, j0: int, size: int, band: int
                 ) -> np.ndarray:
    """Model input (C, size, size) of the patch at (i0, j0): counts, distance (, tracks)."""
    x = np.stack([encoded[i0:i0 + size, j0:j0 + size], distance_channel(i0, j0, size, band)])
    return x if tracks is None else np.concatenate([x, track_channels(tracks, i0, j0, size)])


@torch.no_grad()
def denoise_matrix(
    model: nn.Module, counts: np.ndarray, patch_size: int, band_bins: int, stride: int | None = None,
    batch_size: int = 16, device: str | torch.device = "cpu", use_tracks: bool = False,
    valid: np.ndarray | None = None, reverse_average: bool = False,
) -> np.ndarray:
    """Denoise one chromosome's count map within `band_bins` of the diagonal.

    Parameters
    ----------
    counts : (N, N) symmetric non-negative counts (any N, also N < patch_size).
    stride : patch grid stride (default 3/4 of the patch: neighbouring patches overlap by a quarter).
    use_tracks : feed the per-bin context tracks (`sciml.hic.tracks.bin_tracks`) as extra channels
        (for models trained with them, config `bin_tracks`).
    valid : (N,) bool usable bins for the tracks (default: bins with any contact).
    reverse_average : also denoise the chromosome with its bin order reversed (both axes flipped: a
        symmetry of Hi-C maps), flip back and average the two on the log1p scale (test-time
        augmentation; twice the cost).

    Returns
    -------
    (N, N) float64 symmetric map of denoised counts; pixels beyond the band keep the input counts.
    """
    if reverse_average:
        kwargs = dict(patch_size=patch_size, band_bins=band_bins, stride=stride, batch_size=batch_size, device=device,
                      use_tracks=use_tracks)
        forward = denoise_matrix(model, counts, valid=valid, **kwargs)
        flipped = denoise_matrix(model, np.ascontiguousarray(counts[::-1, ::-1]),
                                 valid=None if valid is None else np.asarray(valid)[::-1], **kwargs)[::-1, ::-1]
        return np.expm1((np.log1p(forward) + np.log1p(flipped)) / 2)
    n = counts.shape[0]
    size = patch_size
    stride = stride or max(3 * size // 4, 1)
    encoded = pad_to(encode_counts(counts), size)
    positions = band_positions(n, size, stride, band_bins)
    window = _blend_window(size)
    tracks = None
    if use_tracks:
        usable = counts.sum(axis=1) > 0 if valid is None else np.asarray(valid, dtype=bool)
        tracks = pad_tracks(bin_tracks(counts, usable, band_bins), size)
    total = np.zeros(encoded.shape, dtype=np.float64)
    weight = np.zeros(encoded.shape, dtype=np.float64)
    model.eval().to(device)
    for start in tqdm(range(0, len(positions), batch_size), desc="patches", unit="batch", disable=None):
        chunk = positions[start:start + batch_size]
        x = np.stack([_patch_input(encoded, tracks, i0, j0, size, band_bins)
                      for i0, j0 in chunk])
        pred = model(torch.from_numpy(x).to(device))[:, 0].float().cpu().numpy()
        for (i0, j0), p in zip(chunk, pred, strict=True):
            w = window * in_band(i0, j0, size, band_bins, n)
            total[i0:i0 + size, j0:j0 + size] += w * p
            weight[i0:i0 + size, j0:j0 + size] += w
    total, weight = total[:n, :n], weight[:n, :n]
    # Patches lie on or above the diagonal; mirror the upper triangle (averaging the two halves of
    # diagonal patches) so the result is exactly symmetric.
    upper = np.triu(total + total.T) / np.maximum(np.triu(weight + weight.T), 1e-12)
    covered = np.triu(weight + weight.T) > 0
    out = np.where(covered, decode_counts(upper), np.triu(counts))
    return np.triu(out) + np.triu(out, 1).T
