"""1D CNN heartbeat classifiers: a dilated residual teacher and a depthwise-separable (MobileNet-style) student."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from sciml.ecg.aami import CLASSES
from sciml.ecg.beats import RR_FEATURES
from sciml.nn.conv import DepthwiseSeparableConv, DilatedResidualBlock
from sciml.nn.receptive_field import module_receptive_field

#: Standardised RR features are clipped to +-RR_CLIP (long pauses, detector misses).
RR_CLIP = 6.0


@dataclass
class BeatNetConfig:
    """Architecture of a `BeatNet` (stored in the model's config.json).

    width : channels of the residual stack before the width multiplier.
    dilations : one residual block per entry, with that dilation.
    stem_stride : stride of the first convolution (2 halves the cost of every block).
    separable : depthwise-separable convolutions (the MobileNet-style variant).
    width_multiplier : scales `width` (MobileNet's alpha).
    squeeze_excitation : SE gate in each block.
    """

    in_channels: int = 2
    window: int = 144
    n_rr: int = len(RR_FEATURES)
    width: int = 24
    dilations: list[int] = field(default_factory=lambda: [1, 2, 4, 8])
    kernel_size: int = 5
    stem_stride: int = 2
    separable: bool = False
    width_multiplier: float = 1.0
    squeeze_excitation: bool = False
    dropout: float = 0.1
    hidden: int = 64
    n_classes: int = len(CLASSES)

    @property
    def channels(self) -> int:
        return max(int(round(self.width * self.width_multiplier)), 4)

    def to_dict(self) -> dict:
        return asdict(self)


class BeatNet(nn.Module):
    """Beat classifier on a waveform window plus RR-interval features.

    Shapes: waves (N, in_channels, window), rr (N, n_rr) -> logits (N, n_classes).
    The RR features are standardised with buffers `rr_mean`, `rr_std` set from the training beats.
    """

    def __init__(self, config: BeatNetConfig) -> None:
        super().__init__()
        self.config = config
        c = config.channels
        if config.separable:
            self.stem = nn.Sequential(DepthwiseSeparableConv(config.in_channels, c, 7, stride=config.stem_stride),
                                      nn.BatchNorm1d(c), nn.GELU())
        else:
            self.stem = nn.Sequential(nn.Conv1d(config.in_channels, c, 7, stride=config.stem_stride, padding=3, bias=False),
                                      nn.BatchNorm1d(c), nn.GELU())
        self.blocks = nn.Sequential(*[
            DilatedResidualBlock(c, config.kernel_size, d, dim=1, separable=config.separable,
                                 squeeze_excitation=config.squeeze_excitation, dropout=config.dropout)
            for d in config.dilations
        ])
        self.rr_net = nn.Sequential(nn.Linear(config.n_rr, 16), nn.GELU())
        self.embedding = nn.Sequential(nn.Linear(2 * c + 16, config.hidden), nn.GELU(), nn.Dropout(config.dropout))
        self.head = nn.Linear(config.hidden, config.n_classes)
        self.register_buffer("rr_mean", torch.zeros(config.n_rr))
        self.register_buffer("rr_std", torch.ones(config.n_rr))

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
        rr_h = self.rr_net(((rr - self.rr_mean) / self.rr_std).clamp(-RR_CLIP, RR_CLIP))
        return self.embedding(torch.cat([pooled, rr_h], dim=1))

    def forward(self, waves: torch.Tensor, rr: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(waves, rr))

    def receptive_field(self) -> int:
        """Receptive field of the convolution stack in samples (via `sciml.nn.module_receptive_field`)."""
        return module_receptive_field(nn.Sequential(self.stem, self.blocks))


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
