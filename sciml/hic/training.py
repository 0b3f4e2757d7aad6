"""Training denoisers on (noisy, clean) map pairs with the shared fit loop."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from sciml.errors import ConfigError, InputError
from sciml.files import atomic_path
from sciml.hic.band import BandMatrix, band_to_dense
from sciml.hic.baselines import balance
from sciml.hic.bincorrect import BinCorrector, ChromosomeDataset, bin_features, factor_loss, oracle_log_factor
from sciml.hic.dataset import read_truth, split_chromosomes, thinned_name
from sciml.hic.denoise import band_width, denoise_chromosome
from sciml.hic.inputs import input_bands
from sciml.hic.io import read_matrix
from sciml.hic.losses import masked_mse, rank1_penalised_mse
from sciml.hic.models import CORRECTOR_KIND, DENOISER_KIND, Denoiser, build_net
from sciml.hic.patches import PatchDataset, encode_counts
from sciml.hic.settings import DeepHiCTrainSettings, DenoiserSettings
from sciml.hic.tracks import bin_tracks
from sciml.models import save_model
from sciml.train.fit import FitConfig, FitResult, fit


@dataclass
class MapPair:
    """One training example: model input and target maps on the same bins.

    Attributes:
        noisy: ICE-balanced low-depth map in counts units; (N, N).
        clean: the target, same units; (N, N).
        valid: bins usable in the loss; (N,) bool.
        resolution_bp: bin size of the maps (None: the training run's `resolution_bp`).
    """

    noisy: np.ndarray
    clean: np.ndarray
    valid: np.ndarray
    resolution_bp: int | None = None


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


def pairs_training_range(pairs: Sequence[MapPair], resolution_bp: int | None, band: int) -> dict[str, list[float]]:
    """[min, max] of `sciml.hic.cooldenoise.MapStats` over the training inputs (balanced maps keep the
    raw maps' zeros and totals, so the statistics are those of the raw inputs); a pair's own
    `resolution_bp` overrides `resolution_bp`."""
    from sciml.hic.band import BandMatrix
    from sciml.hic.cooldenoise import map_stats, training_range

    return training_range([map_stats(BandMatrix.from_dense(p.noisy, p.noisy.sum(axis=1) > 0, band),
                                     p.resolution_bp or resolution_bp, band) for p in pairs])


def patch_dataset(pairs: Sequence[MapPair], settings: DenoiserSettings) -> PatchDataset:
    """Band patches of encoded (log1p) maps for `fit`: the channels `settings` asks for
    (`sciml.hic.inputs.input_bands`: baseline, extra maps, depth; the noisy maps' bin tracks).

    The tracks use the bins ICE kept (non-zero rows of the balanced map), as `denoise_matrix` does.
    """
    kept = [p.noisy.sum(axis=1) > 0 for p in pairs]
    tracks = ([bin_tracks(p.noisy, k, settings.band_bins) for p, k in zip(pairs, kept, strict=True)]
              if settings.bin_tracks else None)
    if settings.baseline == "ice" and not settings.depth_channel:
        firsts, extra, depth = [encode_counts(p.noisy) for p in pairs], None, None
    else:
        width = band_width(settings.patch_size, settings.band_bins)
        bands = [input_bands(BandMatrix.from_dense(p.noisy, k, width), settings) for p, k in zip(pairs, kept,
                                                                                                  strict=True)]
        zeros = [np.zeros_like(p.noisy, dtype=np.float32) for p in pairs]
        firsts = [band_to_dense(b.first, z).astype(np.float32) for b, z in zip(bands, zeros, strict=True)]
        extra = ([[band_to_dense(m, z).astype(np.float32) for m in b.extra] for b, z in zip(bands, zeros, strict=True)]
                 if settings.baseline != "ice" else None)
        depth = [b.depth for b in bands] if settings.depth_channel else None
    return PatchDataset(firsts, [encode_counts(p.clean) for p in pairs], [p.valid for p in pairs],
                        settings.patch_size, settings.stride, settings.band_bins, tracks, extra, depth)


def train_denoiser(
    train_pairs: Sequence[MapPair], val_pairs: Sequence[MapPair], settings: DenoiserSettings,
    fit_config: FitConfig, out_dir: str | os.PathLike[str], work_dir: str | os.PathLike[str] | None = None,
    init_from: Denoiser | None = None, resume: bool = False, resolution_bp: int | None = None,
) -> tuple[Denoiser, FitResult]:
    """Train (or fine-tune `init_from`'s patch network) a denoiser and save it to `out_dir` (kind `hic.denoiser`).

    Args:
        train_pairs: training (noisy, clean) maps.
        val_pairs: validation maps (early stopping, best epoch).
        settings: patch geometry and architecture (ignored for the architecture when `init_from` is given).
        fit_config: the engine's settings.
        out_dir: the model folder to write.
        work_dir: where `fit` keeps its checkpoint and metrics.csv (for resume).
        init_from: a denoiser to fine-tune (its correctors are not carried over).
        resume: resume from `work_dir`'s checkpoint.
        resolution_bp: bin size of the training maps (pairs with their own `resolution_bp` keep it);
            with it the model folder records its training range (`extra.training_range`: resolution, contacts per bin, band sparsity of the inputs),
            which `sciml hic denoise` checks a user's map against.

    Returns:
        The trained denoiser (without correctors) and the fit result.
    """
    if settings.arch == "unet":
        settings = replace(settings, model_kwargs=replace(settings.model_kwargs, in_channels=settings.input_channels()))
    net = init_from.net if init_from is not None else build_net(settings.arch, **asdict(settings.model_kwargs))
    loss = partial(rank1_penalised_mse, penalty=settings.rank1_penalty) if settings.rank1_penalty else masked_mse
    result = fit(net, patch_dataset(train_pairs, settings), loss, fit_config,
                 val_set=patch_dataset(val_pairs, settings), out_dir=work_dir, resume=resume)
    denoiser = Denoiser(net.cpu(), settings)
    extra: dict = {"training": {"fit": asdict(fit_config), "best_epoch": result.best_epoch}}
    if resolution_bp is not None or all(p.resolution_bp for p in train_pairs):
        extra["training_range"] = pairs_training_range(train_pairs, resolution_bp, settings.band_bins)
    save_model(out_dir, denoiser, kind=DENOISER_KIND, settings=settings, extra=extra,
               metrics={"best_val_loss": result.best_value, "epochs_run": result.epochs_run})
    return denoiser, result


def train_deephic(
    train_pairs: Sequence[MapPair], val_pairs: Sequence[MapPair], settings: DeepHiCTrainSettings,
    fit_config: FitConfig, out_dir: str | os.PathLike[str], work_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
) -> tuple[Denoiser, FitResult]:
    """Train the DeepHiC-style GAN (`sciml.hic.deephic`) with the shared fit loop and save its generator
    to `out_dir` as a `hic.denoiser` folder (arch 'deephic'), which `sciml.load_model`, `evaluate-real`
    and `sciml hic denoise` use like any denoiser.

    Both networks are one module for `fit` (`DeepHiCGAN`), so its checkpoint holds both, their optimiser
    state and the RNG states (resume is bit-identical on CPU); the epoch is chosen by the generator's
    masked MSE on `val_pairs` (the loss in eval mode). Initial weights come from torch's global
    generator: the caller seeds it.

    Args:
        train_pairs: training (noisy, clean) maps.
        val_pairs: validation maps (early stopping, best epoch).
        settings: patch geometry, generator and discriminator sizes, loss weights.
        fit_config: the engine's settings.
        out_dir: the model folder to write.
        work_dir: where `fit` keeps its checkpoint and metrics.csv (for resume).
        resume: resume from `work_dir`'s checkpoint.

    Returns:
        The generator as a `Denoiser` and the fit result. The folder's `extra` records the training
        range (as `train_denoiser`'s, when every pair has its `resolution_bp`), the fit, the loss weights, and the discriminator's mean
        probabilities and the generator loss terms on the validation patches (`discriminator_scores`).
    """
    from torch.utils.data import DataLoader

    from sciml.hic.deephic import (
        DeepHiCDiscriminator,
        DeepHiCGAN,
        adversarial_loss,
        discriminator_scores,
    )

    denoiser_settings = settings.denoiser
    gan = DeepHiCGAN(build_net("deephic", **asdict(denoiser_settings.model_kwargs)),
                     DeepHiCDiscriminator(settings.discriminator_channels))
    val_set = patch_dataset(val_pairs, denoiser_settings)
    result = fit(gan, patch_dataset(train_pairs, denoiser_settings), partial(adversarial_loss, weights=settings.loss),
                 fit_config, val_set=val_set, out_dir=work_dir, resume=resume)
    scores = discriminator_scores(gan, DataLoader(val_set, batch_size=fit_config.batch_size), settings.loss,
                                  next(gan.parameters()).device)
    denoiser = Denoiser(gan.generator.cpu(), denoiser_settings)
    extra = {"training": {"fit": asdict(fit_config), "best_epoch": result.best_epoch, "loss": asdict(settings.loss),
                          "discriminator_channels": settings.discriminator_channels, "validation": scores}}
    if all(p.resolution_bp for p in train_pairs):
        extra["training_range"] = pairs_training_range(train_pairs, None, denoiser_settings.band_bins)
    save_model(out_dir, denoiser, kind=DENOISER_KIND, settings=denoiser_settings, extra=extra,
               metrics={"best_val_loss": result.best_value, "epochs_run": result.epochs_run})
    return denoiser, result


@dataclass
class CorrectorExample:
    """One chromosome for the per-bin corrector: features (F, N), target factor (N,), valid (N,) bool."""

    features: np.ndarray
    target: np.ndarray
    valid: np.ndarray


def corrector_examples(pairs: Sequence[MapPair], denoiser: Denoiser,
                       target_band: int | None = None) -> list[CorrectorExample]:
    """The per-bin corrector's examples: each pair's noisy map denoised by `denoiser`'s patch network.

    The target is the per-bin factor between that output and the bias-free truth
    (`oracle_log_factor`) on bins valid in both, fitted on the pixels within `target_band` of the
    diagonal (default: the model's band; the factor is always applied within the model's band).

    Raises:
        ConfigError: `target_band` outside 1..the model's band.
    """
    band = denoiser.settings.band_bins
    target_band = band if target_band is None else target_band
    if not 1 <= target_band <= band:
        raise ConfigError("hic.bin_corrector.target_band_bins", f"must be in 1..{band} (the model's band), got {target_band}")
    examples = []
    for pair in pairs:
        denoised = denoise_chromosome(denoiser.net, denoiser.settings, pair.noisy)
        kept = pair.noisy.sum(axis=1) > 0
        scored = kept & pair.valid
        target = oracle_log_factor(denoised, pair.clean, scored, target_band)
        examples.append(CorrectorExample(bin_features(pair.noisy, denoised, kept, band), target, scored))
    return examples


EXAMPLES_FILE = "examples.safetensors"
# beside the examples: the settings of the denoiser whose outputs they are
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
) -> tuple[BinCorrector, FitResult]:
    """Train one `BinCorrector` and save it to `out_dir` (kind `hic.bin_corrector`).

    Initial weights come from torch's global generator: the caller seeds it. The folder's `extra`
    records the fit settings, best epoch and loss and the `target_band` the examples' targets were
    fitted within. `attach_correctors` joins one or more to a denoiser.
    """
    model_kwargs = dict(model_kwargs or {})
    corrector = BinCorrector(**model_kwargs)

    def dataset(items: Sequence[CorrectorExample]) -> ChromosomeDataset:
        return ChromosomeDataset([e.features for e in items], [e.target for e in items], [e.valid for e in items])

    result = fit(corrector, dataset(train), factor_loss, fit_config, val_set=dataset(val), out_dir=work_dir)
    extra = {"fit": asdict(fit_config), "target_band": target_band, "best_epoch": result.best_epoch,
             "best_val_loss": result.best_value}
    save_model(out_dir, corrector.cpu(), kind=CORRECTOR_KIND, settings={"model_kwargs": model_kwargs}, extra=extra,
               metrics={"best_val_loss": result.best_value, "epochs_run": result.epochs_run})
    return corrector, result


def attach_correctors(model_dir: str | os.PathLike[str], corrector_dirs: Sequence[str | os.PathLike[str]],
                      out_dir: str | os.PathLike[str]) -> Path:
    """Write `out_dir`: the denoiser of `model_dir` with the correctors of `corrector_dirs` as its ensemble.

    One `hic.denoiser` folder; its `extra.correctors` records the members' `model_kwargs` and
    training records. `sciml.load_model` returns a `Denoiser` that averages their per-bin log factors.

    Raises:
        ConfigError: no corrector given, or correctors of different architectures.
    """
    from sciml.models import load_model, read_model_config

    if not corrector_dirs:
        raise ConfigError("hic.bin_corrector.seeds", "at least one corrector is needed")
    base = load_model(model_dir)
    configs = [read_model_config(d) for d in corrector_dirs]
    kwargs = configs[0].settings["model_kwargs"]
    if any(c.settings["model_kwargs"] != kwargs for c in configs):
        raise ConfigError("hic.bin_corrector.model_kwargs", "the correctors of one ensemble must share their architecture")
    correctors = [load_model(d) for d in corrector_dirs]
    denoiser = Denoiser(base.net, base.settings, correctors)
    extra = dict(base.model_config.extra) | {"correctors": {"model_kwargs": kwargs,
                                                            "members": [c.extra for c in configs]}}
    metrics_file = Path(model_dir) / "metrics.json"
    metrics = json.loads(metrics_file.read_text()) if metrics_file.is_file() else None
    return save_model(out_dir, denoiser, kind=DENOISER_KIND, settings=base.settings, extra=extra, metrics=metrics)
