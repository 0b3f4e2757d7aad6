"""Reusable convolution blocks for 1D signals (sequences, ECG) and 2D maps (Hi-C), by `dim`."""

from __future__ import annotations

import math

import torch
from torch import nn

_CONV = {1: nn.Conv1d, 2: nn.Conv2d}
_BATCHNORM = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d}


def _check_dim(dim: int) -> None:
    if dim not in _CONV:
        raise ValueError(f"dim must be 1 or 2, got {dim}")


class SqueezeExcitation(nn.Module):
    """Channel attention (Hu et al. 2018): global pool -> bottleneck MLP -> sigmoid gates.

    Traceable by torch.fx (so it survives FX graph-mode quantization).

    Args:
        channels: feature channels C.
        reduction: bottleneck width is `channels // reduction` (at least 1).
        dim: 1 for sequences/signals, 2 for maps.

    Shapes:
        x: (N, C, L) for dim=1, (N, C, H, W) for dim=2.
        output: the shape of x, each channel scaled by its gate in (0, 1).
    """

    def __init__(self, channels: int, reduction: int = 4, dim: int = 1) -> None:
        super().__init__()
        _check_dim(dim)
        self.dim = dim
        hidden = max(channels // reduction, 1)
        self.gate = nn.Sequential(
            nn.Linear(channels, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, channels), nn.Sigmoid()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = self.gate(x.flatten(2).mean(dim=2))
        for _ in range(self.dim):
            gate = gate.unsqueeze(-1)
        return x * gate


class DepthwiseSeparableConv(nn.Module):
    """Depthwise conv (one filter per channel) followed by a pointwise 1-wide conv (MobileNet).

    Args:
        in_channels: input channels C_in.
        out_channels: output channels C_out.
        kernel_size: kernel width of the depthwise convolution (odd for "same" padding).
        dim: 1 for sequences/signals, 2 for maps.
        dilation: dilation of the depthwise convolution.
        stride: stride of the depthwise convolution.
        bias: a bias in the pointwise convolution.

    Shapes:
        x: (N, C_in, *spatial).
        output: (N, C_out, *spatial) with "same" padding at stride 1; spatial sizes divided by
            `stride` otherwise.
    """

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, dim: int = 1,
        dilation: int = 1, stride: int = 1, bias: bool = False,
    ) -> None:
        super().__init__()
        _check_dim(dim)
        conv = _CONV[dim]
        padding = dilation * (kernel_size - 1) // 2
        self.depthwise = conv(in_channels, in_channels, kernel_size, stride=stride, padding=padding,
                              dilation=dilation, groups=in_channels, bias=False)
        self.pointwise = conv(in_channels, out_channels, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


class DilatedResidualBlock(nn.Module):
    """Pre-activation residual block: norm -> act -> (separable) dilated conv, twice, plus skip.

    Args:
        channels: feature channels (kept).
        kernel_size: odd kernel width.
        dilation: dilation of both convolutions.
        dim: 1 for sequences/signals, 2 for maps.
        separable: depthwise-separable convolutions instead of full ones.
        norm: "batch" or "group" (GroupNorm, for small batches).
        inner_channels: channels between the two convolutions (default `channels`; fewer after
            structured pruning).
        squeeze_excitation: append an SE gate to the branch.
        dropout: dropout rate inside the branch.

    Shapes:
        x: (N, C, L) for dim=1, (N, C, H, W) for dim=2.
        inner: (N, inner_channels, ...) between the convolutions.
        output: the shape of x.

    Raises:
        ValueError: `dim` is not 1 or 2, `kernel_size` is even, or `norm` is unknown.
    """

    def __init__(
        self, channels: int, kernel_size: int = 3, dilation: int = 1, dim: int = 1,
        separable: bool = False, norm: str = "batch", squeeze_excitation: bool = False,
        dropout: float = 0.0, inner_channels: int | None = None,
    ) -> None:
        super().__init__()
        _check_dim(dim)
        inner = channels if inner_channels is None else inner_channels
        if kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd for 'same' padding, got {kernel_size}")

        def make_norm(width: int) -> nn.Module:
            if norm == "batch":
                return _BATCHNORM[dim](width)
            if norm == "group":  # up to 8 groups, always a divisor of the channel count
                return nn.GroupNorm(math.gcd(8, width), width)
            raise ValueError(f"norm must be 'batch' or 'group', got {norm!r}")

        def make_conv(c_in: int, c_out: int) -> nn.Module:
            if separable:
                return DepthwiseSeparableConv(c_in, c_out, kernel_size, dim=dim, dilation=dilation)
            return _CONV[dim](c_in, c_out, kernel_size, padding=dilation * (kernel_size - 1) // 2,
                              dilation=dilation, bias=False)

        layers: list[nn.Module] = [make_norm(channels), nn.GELU(), make_conv(channels, inner), make_norm(inner),
                                   nn.GELU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        layers.append(make_conv(inner, channels))
        if squeeze_excitation:
            layers.append(SqueezeExcitation(channels, dim=dim))
        self.branch = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.branch(x)
