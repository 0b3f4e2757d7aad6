"""1D CNN heartbeat classifiers: a dilated residual teacher and a compact student (half as wide, two blocks; optionally
depthwise-separable, MobileNet-style)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from sciml.ecg.aami import CLASSES
from sciml.ecg.beats import FEATURE_VERSION, RR_FEATURES, BeatSet
from sciml.ecg.settings import Network, Preprocessing
from sciml.errors import ConfigError, InputError
from sciml.models import load_model as _load_model
from sciml.models import register_model, save_model
from sciml.nn.conv import DilatedResidualBlock
from sciml.nn.receptive_field import module_receptive_field
from sciml.settings import from_dict, to_dict

#: Standardised RR features are clipped to +-RR_CLIP (long pauses, detector misses).
RR_CLIP = 6.0


@dataclass(frozen=True)
class BeatNetConfig(Network):
    """Architecture of a `BeatNet`: the `Network` choices plus the input and output sizes.

    Attributes:
        in_channels: waveform channels of a beat (2: the beat and the beat minus the local median beat; 4 with
            a second lead).
        window: samples of a beat window.
        n_rr: RR-interval features of a beat.
        n_classes: output classes (the AAMI classes).
        stack_channels: channels of the residual stack after structured pruning (`sciml.ecg.pruning`);
            null: `channels`.
        block_channels: channels between the two convolutions of each residual block after structured
            pruning, one per dilation; null: the stack's.
    """

    in_channels: int = 2
    window: int = 144
    n_rr: int = len(RR_FEATURES)
    n_classes: int = len(CLASSES)
    stack_channels: int | None = None
    block_channels: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.stack_channels is not None and self.stack_channels < 1:
            raise ConfigError("stack_channels", f"must be >= 1 or null, got {self.stack_channels}")
        if self.block_channels is not None and (len(self.block_channels) != len(self.dilations)
                                                or min(self.block_channels) < 1):
            raise ConfigError("block_channels", f"need one width >= 1 per dilation {list(self.dilations)}, "
                                                f"got {list(self.block_channels)}")

    @property
    def stack_width(self) -> int:
        """Channels of the residual stack: `stack_channels` when pruned, else `channels`."""
        return self.channels if self.stack_channels is None else self.stack_channels

    @property
    def block_widths(self) -> tuple[int, ...]:
        """Inner channels of each residual block: `block_channels` when pruned, else the stack's."""
        return self.block_channels or (self.stack_width,) * len(self.dilations)

    @classmethod
    def for_beats(cls, network: Network, beats: BeatSet) -> BeatNetConfig:
        """The architecture `network` sized for the inputs of `beats`."""
        return cls(**{f.name: getattr(network, f.name) for f in fields(Network)}, in_channels=beats.waves.shape[1],
                   window=beats.waves.shape[2], n_rr=beats.rr.shape[1])


class BeatNet(nn.Module):
    """Beat classifier on a waveform window plus RR-interval features.

    The RR features are standardised with buffers `rr_mean`, `rr_std` set from the training beats; those not
    named in `config.rr_features` are multiplied by zero (buffer `rr_used`), so the input keeps every column.
    A model loaded from a folder also carries `temperature` (its calibrated softmax temperature) and
    `preprocessing` (the `Preprocessing` a record must go through).

    Args:
        config: the architecture.

    Shapes:
        waves: (N, in_channels, window); rr: (N, n_rr) -> logits (N, n_classes).
    """

    temperature: float = 1.0
    preprocessing: Preprocessing = Preprocessing()

    def __init__(self, config: BeatNetConfig) -> None:
        super().__init__()
        self.config = config
        c = config.stack_width
        # a full convolution even in a separable network (as MobileNet's first layer): separable, its 2-4 input
        # channels would each get a single filter
        self.stem = nn.Sequential(nn.Conv1d(config.in_channels, c, 7, stride=config.stem_stride, padding=3, bias=False),
                                  nn.BatchNorm1d(c), nn.GELU())
        self.blocks = nn.Sequential(*[
            DilatedResidualBlock(c, config.kernel_size, d, dim=1, separable=config.separable,
                                 squeeze_excitation=config.squeeze_excitation, dropout=config.dropout, inner_channels=m)
            for d, m in zip(config.dilations, config.block_widths, strict=True)
        ])
        self.rr_net = nn.Sequential(nn.Linear(config.n_rr, 16), nn.GELU())
        self.embedding = nn.Sequential(nn.Linear(2 * c + 16, config.hidden), nn.GELU(), nn.Dropout(config.dropout))
        self.head = nn.Linear(config.hidden, config.n_classes)
        self.register_buffer("rr_mean", torch.zeros(config.n_rr))
        self.register_buffer("rr_std", torch.ones(config.n_rr))
        used = [name in config.rr_features for name in RR_FEATURES]
        if len(used) != config.n_rr:
            raise ConfigError("n_rr", f"beats carry {config.n_rr} RR features, this sciml computes {len(used)}")
        self.register_buffer("rr_used", torch.tensor(used, dtype=torch.float32))

    def set_rr_scaling(self, rr: np.ndarray, min_std: float = 0.05) -> None:
        """Standardise RR features with the mean and std of the training beats rr (N, n_rr).

        The std is floored at `min_std` (seconds or ratio): record-level features such as the
        average RR barely vary over few training records and would otherwise blow up.
        """
        self.rr_mean.copy_(torch.as_tensor(rr.mean(axis=0)))
        self.rr_std.copy_(torch.as_tensor(np.maximum(rr.std(axis=0), min_std)))

    def embed(self, waves: torch.Tensor, rr: torch.Tensor) -> torch.Tensor:
        """Penultimate features (N, hidden), the input of the linear `head`."""
        h = self.blocks(self.stem(waves))
        pooled = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        rr_h = self.rr_net(((rr - self.rr_mean) / self.rr_std).clamp(-RR_CLIP, RR_CLIP) * self.rr_used)
        return self.embedding(torch.cat([pooled, rr_h], dim=1))

    def forward(self, waves: torch.Tensor, rr: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(waves, rr))

    def receptive_field(self) -> int:
        """Receptive field of the convolution stack in samples (via `sciml.nn.module_receptive_field`)."""
        return module_receptive_field(nn.Sequential(self.stem, self.blocks))


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


#: Registry key of saved beat classifiers (`sciml.models`).
KIND = "ecg.beatnet"


def save_classifier(
    directory: str | os.PathLike[str],
    model: BeatNet,
    preprocessing: Preprocessing,
    *,
    temperature: float = 1.0,
    feature_version: int = FEATURE_VERSION,
    extra: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
) -> Path:
    """Write a beat classifier as a model folder (`sciml.models.save_model`, kind `ecg.beatnet`).

    Args:
        directory: the folder to create or replace (atomically).
        model: the trained classifier (moved to the CPU).
        preprocessing: how its training records were read; applied to a user's record at prediction.
        temperature: calibrated softmax temperature.
        feature_version: `sciml.ecg.beats.FEATURE_VERSION` of the beats it was trained on.
        extra: more declared state (role, loss, validation records, seed, ...).
        metrics: validation scores, written to `metrics.json`.

    Returns:
        The folder path.
    """
    model.cpu()
    model.temperature = float(temperature)
    model.preprocessing = preprocessing
    state = {**dict(extra or {}), "preprocessing": to_dict(preprocessing), "temperature": float(temperature),
             "feature_version": int(feature_version)}
    return save_model(directory, model, kind=KIND, settings=model.config, extra=state, metrics=metrics)


@register_model(KIND)
def build_beatnet(settings: dict[str, Any], extra: dict[str, Any]) -> BeatNet:
    """Rebuild a saved `BeatNet` (untrained) with its temperature and preprocessing attached.

    Raises:
        InputError: the model was trained on beats of another feature version than this sciml
            computes (its inputs would be misread), or its config is incomplete.
    """
    version = extra.get("feature_version")
    if version != FEATURE_VERSION:
        raise InputError("config.json", f"made with beat-feature version {version}, this sciml computes version "
                                        f"{FEATURE_VERSION}: rerun `sciml ecg preprocess` and retrain")
    try:
        model = BeatNet(from_dict(BeatNetConfig, settings, prefix="settings"))
        model.preprocessing = from_dict(Preprocessing, extra["preprocessing"], prefix="extra.preprocessing")
        model.temperature = float(extra["temperature"])
    except (KeyError, ConfigError) as exc:
        raise InputError("config.json", f"incomplete ECG model config: {exc}") from None
    return model


def load_model(directory: str | os.PathLike[str], device: str | torch.device = "cpu") -> BeatNet:
    """`sciml.load_model` of a beat classifier folder (a thin alias; checks the kind).

    Returns:
        The `BeatNet` in eval mode with `.temperature`, `.preprocessing` and `.model_config`.
    """
    model = _load_model(directory, device)
    if not isinstance(model, BeatNet):
        raise InputError(directory, f"not an ECG beat classifier (kind {model.model_config.kind!r})")
    return model
