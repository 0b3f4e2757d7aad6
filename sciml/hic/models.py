"""Hi-C model folders: the `Denoiser` module (a patch network + its per-bin corrector ensemble) and
the standalone per-bin corrector, registered with `sciml.models`.

Kinds:
    - `hic.denoiser`: `settings` = `DenoiserSettings` (architecture: the U-Net, HiCPlus or the DeepHiC
      generator; patch geometry, tracks, reverse averaging); `extra` = `correctors` (how many members,
      their `model_kwargs` and each member's training record) and `training` (the fit settings, best
      epoch; for the DeepHiC GAN also its loss weights and the discriminator's validation scores).
    - `hic.bin_corrector`: `settings` = the `BinCorrector`'s `model_kwargs`; `extra` = its training record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import torch
from torch import nn

from sciml.hic.bincorrect import BinCorrector
from sciml.hic.deephic import DeepHiCGenerator
from sciml.hic.denoise import denoise_chromosome
from sciml.hic.hicplus import HiCPlus
from sciml.hic.settings import DeepHiCSettings, DenoiserSettings, HiCPlusSettings
from sciml.hic.unet import ResidualUNet
from sciml.models import register_model
from sciml.settings import from_dict

ARCHITECTURES: dict[str, type[nn.Module]] = {"unet": ResidualUNet, "hicplus": HiCPlus, "deephic": DeepHiCGenerator}
#: arch -> the settings class its model folders are read with
SETTINGS_CLASSES: dict[str, type[DenoiserSettings]] = {"unet": DenoiserSettings, "hicplus": HiCPlusSettings,
                                                       "deephic": DeepHiCSettings}
DENOISER_KIND = "hic.denoiser"
CORRECTOR_KIND = "hic.bin_corrector"


def build_net(arch: str, **kwargs: Any) -> nn.Module:
    """Instantiate a patch network by name ('unet', 'hicplus' or 'deephic') with its keyword arguments.

    Raises:
        ValueError: an unknown architecture.
    """
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown denoiser architecture {arch!r} (known: {', '.join(ARCHITECTURES)})")
    return ARCHITECTURES[arch](**kwargs)


class Denoiser(nn.Module):
    """A trained Hi-C denoiser: the patch network and, if trained, its per-bin `BinCorrector` ensemble.

    `forward` is the patch network's; `denoise` handles a whole ICE-balanced chromosome (band
    patches, blending, reverse averaging, then the correctors' mean per-bin log factor).

    Args:
        net: the patch network (`ResidualUNet`, `HiCPlus` or `DeepHiCGenerator`).
        settings: its patch geometry and inference options.
        correctors: per-bin correctors whose log factors are averaged.

    Shapes:
        forward: x (B, C, P, P) patches -> (B, 1, P, P) denoised log1p counts.
    """

    def __init__(self, net: nn.Module, settings: DenoiserSettings, correctors: Sequence[nn.Module] = ()) -> None:
        super().__init__()
        self.net = net
        self.correctors = nn.ModuleList(correctors)
        self.settings = settings

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def denoise(self, balanced: np.ndarray, device: str | torch.device | None = None) -> np.ndarray:
        """Denoise one ICE-balanced chromosome.

        Args:
            balanced: the ICE-balanced map (counts units).
            device: where to run (default: where the module is).

        Shapes:
            balanced: (N, N) -> (N, N) float64 symmetric.
        """
        if device is None:
            device = next(self.parameters()).device
        return denoise_chromosome(self.net, self.settings, balanced, device, list(self.correctors))


@register_model(DENOISER_KIND)
def _build_denoiser(settings: dict[str, Any], extra: dict[str, Any]) -> Denoiser:
    settings_class = SETTINGS_CLASSES.get(settings.get("arch", "unet"), DenoiserSettings)
    denoiser = from_dict(settings_class, settings, prefix="settings")
    net = build_net(denoiser.arch, **asdict(denoiser.model_kwargs))
    correctors = extra.get("correctors") or {}
    members = [BinCorrector(**correctors["model_kwargs"]) for _ in correctors.get("members", [])]
    return Denoiser(net, denoiser, members)


@register_model(CORRECTOR_KIND)
def _build_corrector(settings: dict[str, Any], extra: dict[str, Any]) -> BinCorrector:
    return BinCorrector(**settings["model_kwargs"])


def load_denoiser(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> Denoiser:
    """`sciml.load_model` of a `hic.denoiser` folder.

    Raises:
        InputError: not a model folder, or a model of another kind.
    """
    from sciml.errors import InputError
    from sciml.models import load_model

    model = load_model(path, device)
    if not isinstance(model, Denoiser):
        raise InputError(path, f"a '{model.model_config.kind}' model, not a Hi-C denoiser ({DENOISER_KIND})")
    return model
