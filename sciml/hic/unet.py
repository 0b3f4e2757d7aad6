"""Residual U-Net denoiser for Hi-C patches: depthwise-separable residual blocks with GroupNorm."""

from __future__ import annotations

import torch
from torch import nn

from sciml.nn.conv import DilatedResidualBlock


class ResidualUNet(nn.Module):
    """U-Net whose output is a correction added to the noisy log-count channel.

    Each level holds `blocks` `DilatedResidualBlock(dim=2, separable=True, norm="group")`; levels are
    joined by strided 2x2 convolutions (down) and transposed convolutions (up) with concatenated skips.

    With `gate`, the correction (head plus per-bin head) is multiplied by a per-pixel gate
    sigmoid(g(features)) in (0, 1) before it is added (g zero-initialised: 0.5 at the start); the
    head starts at zero, so an untrained network returns its first input channel (the baseline)
    exactly, and the gate learns where the correction is to be trusted.

    Shapes: x (B, C, P, P) = [log1p(baseline), distance channel, ...] -> (B, 1, P, P) denoised
    log1p(counts), with P divisible by 2**depth.
    """

    def __init__(self, in_channels: int = 2, channels: int = 24, depth: int = 2, blocks: int = 1,
                 kernel_size: int = 3, bin_head: bool = False, gate: bool = False) -> None:
        super().__init__()
        if channels % 8 and channels > 8:
            # sciml.nn's GroupNorm uses min(8, C) groups, which must divide C
            raise ValueError(f"channels must be <= 8 or a multiple of 8, got {channels}")
        self.depth = depth

        def stage(width: int, dilations: tuple[int, ...]) -> nn.Sequential:
            return nn.Sequential(*[
                DilatedResidualBlock(width, kernel_size, dilation=d, dim=2, separable=True, norm="group")
                for _ in range(blocks) for d in dilations
            ])

        widths = [channels * 2**level for level in range(depth + 1)]
        self.stem = nn.Conv2d(in_channels, channels, 3, padding=1)
        self.encoders = nn.ModuleList([stage(w, (1,)) for w in widths[:-1]])
        self.downs = nn.ModuleList([nn.Conv2d(w, 2 * w, 2, stride=2) for w in widths[:-1]])
        self.bottleneck = stage(widths[-1], (1, 2))
        self.ups = nn.ModuleList([nn.ConvTranspose2d(2 * w, w, 2, stride=2) for w in reversed(widths[:-1])])
        self.merges = nn.ModuleList([nn.Conv2d(2 * w, w, 1) for w in reversed(widths[:-1])])
        self.decoders = nn.ModuleList([stage(w, (1,)) for w in reversed(widths[:-1])])
        self.head = nn.Sequential(nn.GroupNorm(min(8, channels), channels), nn.GELU(), nn.Conv2d(channels, 1, 1))
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)
        # Optional per-bin head: a log correction c_i + c_j (rank-1 in count space) from features
        # pooled along each row and column of the patch, for the per-bin factor ICE leaves.
        self.bin_head = None
        if bin_head:
            self.bin_head = nn.Sequential(nn.Conv1d(channels, channels, 5, padding=2), nn.GELU(),
                                          nn.Conv1d(channels, 1, 1))
            nn.init.zeros_(self.bin_head[-1].weight)
            nn.init.zeros_(self.bin_head[-1].bias)
        self.gate = None
        if gate:
            self.gate = nn.Conv2d(channels, 1, 1)
            nn.init.zeros_(self.gate.weight)
            nn.init.zeros_(self.gate.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.stem(x)
        skips = []
        for encoder, down in zip(self.encoders, self.downs, strict=True):
            h = encoder(h)
            skips.append(h)
            h = down(h)
        h = self.bottleneck(h)
        for up, merge, decoder, skip in zip(self.ups, self.merges, self.decoders, reversed(skips), strict=True):
            h = decoder(merge(torch.cat([up(h), skip], dim=1)))
        correction = self.head(h)
        if self.bin_head is not None:
            rows = self.bin_head(h.mean(dim=3))  # (B, 1, P): one value per row bin
            cols = self.bin_head(h.mean(dim=2))  # (B, 1, P): one value per column bin
            correction = correction + rows[..., :, None] + cols[..., None, :]
        if self.gate is not None:
            correction = torch.sigmoid(self.gate(h)) * correction
        return x[:, :1] + correction

