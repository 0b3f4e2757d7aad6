"""Training denoisers on (noisy, clean) map pairs with the shared fit loop."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file
from torch import nn

from sciml.errors import ConfigError, InputError
from sciml.files import atomic_path
from sciml.hic.baselines import balance
from sciml.hic.bincorrect import BinCorrector, ChromosomeDataset, bin_features, factor_loss, oracle_log_factor
from sciml.hic.cool import read_matrix
from sciml.hic.dataset import read_truth, split_chromosomes, thinned_name
from sciml.hic.denoise import BIN_CORRECTOR_DIR, build_model, denoise_chromosome
from sciml.hic.losses import masked_mse, rank1_penalised_mse
from sciml.hic.patches import PatchDataset, encode_counts
from sciml.hic.tracks import N_TRACKS, bin_tracks
from sciml.train.checkpoint import MODEL_CONFIG, read_model_config, save_model_dir
from sciml.train.fit import FitConfig, FitResult, fit


@dataclass
class DenoiserSettings:
    """What a denoiser sees: patch geometry and architecture.

    patch_size : side of the square patches (divisible by 4 for the U-Net).
    stride : grid stride of training patches.
    band_bins : the distance band around the diagonal the model is trained and applied within.
    arch : 'unet' or 'hicplus'; model_kwargs go to its constructor.
    bin_tracks : also feed the per-bin context tracks (`sciml.hic.tracks`) as 2 x N_TRACKS channels
        (U-Net only; its `in_channels` is set accordingly).
    rank1_penalty : weight of the penalty on the residual's per-bin factor
        (`sciml.hic.losses.rank1_penalised_mse`); 0 = plain masked MSE.
    reverse_average : inference only (training ignores it): average the denoised map with the
        denoised bin-reversed map (`sciml.hic.denoise.denoise_matrix`), also when the per-bin
        corrector's inputs are made.
    """

    patch_size: int = 64
    stride: int = 32
    band_bins: int = 200
    arch: str = "unet"
    model_kwargs: dict = field(default_factory=dict)
    bin_tracks: bool = False
    rank1_penalty: float = 0.0
    reverse_average: bool = False

    def input_channels(self) -> int:
        """Channels of a patch: counts, distance (+ row and column tracks)."""
        return 2 + (2 * N_TRACKS if self.bin_tracks else 0)


@dataclass
class MapPair:
    """One training example: model input and target maps on the same bins.

    noisy : (N, N) ICE-balanced low-depth map in counts units; clean : (N, N) target, same units;
    valid : (N,) bins usable in the loss.
    """

    noisy: np.ndarray
    clean: np.ndarray
    valid: np.ndarray


def balanced_pair(low: np.ndarray, truth_balanced: np.ndarray, truth_valid: np.ndarray,
                  path: str | os.PathLike[str] = "<matrix>") -> MapPair:
    """ICE-balance the low-depth counts and scale the bias-free truth to the same total."""
    noisy, _ = balance(low, path=path)
    keep = np.outer(truth_valid, truth_valid)
    clean = truth_balanced * keep
    clean = clean * (noisy[keep].sum() / max(clean.sum(), 1e-300))
    return MapPair(noisy, clean, truth_valid)


def simulated_pairs(split_dir: str | os.PathLike[str], depths: Sequence[int]) -> list[MapPair]:
    """(balanced thinned, bias-free truth) pairs for every chromosome and depth of a simulated split."""
    split_dir = Path(split_dir)
    pairs = []
    for chrom in split_chromosomes(split_dir):
        truth = read_truth(split_dir, chrom)
        for d in depths:
            path = split_dir / thinned_name(d)
            pairs.append(balanced_pair(read_matrix(path, chrom), truth.balanced, truth.valid, path))
    return pairs


def patch_dataset(pairs: Sequence[MapPair], settings: DenoiserSettings) -> PatchDataset:
    """Band patches of encoded (log1p) maps for `fit` (with the noisy maps' bin tracks if asked).

    The tracks use the bins ICE kept (non-zero rows of the balanced map), as `denoise_matrix` does.
    """
    tracks = ([bin_tracks(p.noisy, p.noisy.sum(axis=1) > 0, settings.band_bins) for p in pairs]
              if settings.bin_tracks else None)
    return PatchDataset([encode_counts(p.noisy) for p in pairs], [encode_counts(p.clean) for p in pairs],
                        [p.valid for p in pairs], settings.patch_size, settings.stride, settings.band_bins, tracks)


def train_denoiser(
    train_pairs: Sequence[MapPair], val_pairs: Sequence[MapPair], settings: DenoiserSettings,
    fit_config: FitConfig, out_dir: str | os.PathLike[str], work_dir: str | os.PathLike[str] | None = None,
    init_from: nn.Module | None = None, resume: bool = False,
) -> tuple[nn.Module, FitResult]:
    """Train (or fine-tune `init_from`) a denoiser and save it to `out_dir` (model.safetensors + config.json).

    `work_dir` keeps fit's checkpoint and metrics.csv (for resume).
    """
    if settings.bin_tracks:
        settings = replace(settings, model_kwargs=settings.model_kwargs | {"in_channels": settings.input_channels()})
    model = init_from if init_from is not None else build_model(settings.arch, **settings.model_kwargs)
    loss = partial(rank1_penalised_mse, penalty=settings.rank1_penalty) if settings.rank1_penalty else masked_mse
    result = fit(model, patch_dataset(train_pairs, settings), loss, fit_config,
                 val_set=patch_dataset(val_pairs, settings), out_dir=work_dir, resume=resume)
    config = asdict(settings) | {"fit": asdict(fit_config), "best_epoch": result.best_epoch}
    save_model_dir(out_dir, model.cpu(), config,
                   metrics={"best_val_loss": result.best_value, "epochs_run": result.epochs_run})
    return model, result


@dataclass
class CorrectorExample:
    """One chromosome for the per-bin corrector: features (F, N), target factor (N,), valid (N,) bool."""

    features: np.ndarray
    target: np.ndarray
    valid: np.ndarray


def corrector_examples(pairs: Sequence[MapPair], model: nn.Module, config: dict,
                       target_band: int | None = None) -> list[CorrectorExample]:
    """Denoise each pair's noisy map with the patch model; target = the per-bin factor between that
    output and the bias-free truth (`oracle_log_factor`) on bins valid in both, fitted on the pixels
    within `target_band` of the diagonal (default: the model's band; the factor is always applied
    within the model's band)."""
    band = config["band_bins"]
    target_band = band if target_band is None else target_band
    if not 1 <= target_band <= band:
        raise ConfigError("hic.bin_corrector.target_band_bins", f"must be in 1..{band} (the model's band), got {target_band}")
    examples = []
    for pair in pairs:
        denoised = denoise_chromosome(model, config, pair.noisy)
        kept = pair.noisy.sum(axis=1) > 0
        scored = kept & pair.valid
        target = oracle_log_factor(denoised, pair.clean, scored, target_band)
        examples.append(CorrectorExample(bin_features(pair.noisy, denoised, kept, band), target, scored))
    return examples


EXAMPLES_FILE = "examples.safetensors"
# beside the examples: the config.json of the denoiser whose outputs they are
EXAMPLES_DENOISER = "denoiser.json"


def save_corrector_examples(path: str | os.PathLike[str], examples: Sequence[CorrectorExample]) -> Path:
    """Write corrector examples to one safetensors file, atomically (tensors `features.k`, `target.k`,
    `valid.k` for example k), so that several corrector seeds share one denoising pass."""
    tensors = {}
    for k, e in enumerate(examples):
        tensors |= {f"features.{k}": np.ascontiguousarray(e.features), f"target.{k}": np.ascontiguousarray(e.target),
                    f"valid.{k}": np.ascontiguousarray(e.valid)}
    with atomic_path(path) as staged:
        save_file(tensors, str(staged))
    return Path(path)


def load_corrector_examples(path: str | os.PathLike[str]) -> list[CorrectorExample]:
    """Read the examples `save_corrector_examples` wrote (same order, dtypes and values)."""
    try:
        tensors = load_file(str(path))
    except (OSError, SafetensorError) as exc:
        raise InputError(path, f"cannot read corrector examples: {exc}") from None
    n = sum(key.startswith("features.") for key in tensors)
    try:
        return [CorrectorExample(tensors[f"features.{k}"], tensors[f"target.{k}"], tensors[f"valid.{k}"])
                for k in range(n)]
    except KeyError as exc:
        raise InputError(path, f"not a corrector examples file (missing tensor {exc})") from None


def train_bin_corrector(
    train: Sequence[CorrectorExample], val: Sequence[CorrectorExample], fit_config: FitConfig,
    out_dir: str | os.PathLike[str], model_kwargs: dict | None = None,
    work_dir: str | os.PathLike[str] | None = None, target_band: int | None = None,
) -> tuple[nn.Module, FitResult]:
    """Train one `BinCorrector` (initial weights from torch's global generator: the caller seeds it) and
    save it to `out_dir` (model.safetensors + config.json: model_kwargs, fit settings, best epoch and
    loss, the `target_band` the examples' targets were fitted within, recorded only).
    `attach_correctors` puts one or more beside a denoiser."""
    model_kwargs = dict(model_kwargs or {})
    corrector = BinCorrector(**model_kwargs)

    def dataset(items: Sequence[CorrectorExample]) -> ChromosomeDataset:
        return ChromosomeDataset([e.features for e in items], [e.target for e in items], [e.valid for e in items])

    result = fit(corrector, dataset(train), factor_loss, fit_config, val_set=dataset(val), out_dir=work_dir)
    config = {"model_kwargs": model_kwargs, "fit": asdict(fit_config), "target_band": target_band,
              "best_epoch": result.best_epoch, "best_val_loss": result.best_value}
    save_model_dir(out_dir, corrector.cpu(), config,
                   metrics={"best_val_loss": result.best_value, "epochs_run": result.epochs_run})
    return corrector, result


def attach_correctors(model_dir: str | os.PathLike[str], corrector_dirs: Sequence[str | os.PathLike[str]],
                      out_dir: str | os.PathLike[str]) -> Path:
    """Write `out_dir` = the patch model of `model_dir` + the correctors as `bin_corrector/<k>/`, atomically.

    Its config.json gains `bin_corrector` = {model_kwargs, members: [{dir, each corrector's config}]};
    `sciml.hic.denoise.load_denoiser` loads them all and averages their per-bin log factors.
    """
    if not corrector_dirs:
        raise ConfigError("hic.bin_corrector.seeds", "at least one corrector is needed")
    config = read_model_config(model_dir)
    members = [{"dir": f"{BIN_CORRECTOR_DIR}/{k}"} | read_model_config(d) for k, d in enumerate(corrector_dirs)]
    config["bin_corrector"] = {"model_kwargs": members[0]["model_kwargs"], "members": members}
    with atomic_path(out_dir) as staged:
        shutil.copytree(model_dir, staged)
        for member, source in zip(members, corrector_dirs, strict=True):
            shutil.copytree(source, staged / member["dir"])
        (staged / MODEL_CONFIG).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    return Path(out_dir)
