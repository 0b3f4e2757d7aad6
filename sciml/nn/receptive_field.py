"""Receptive field of a stack of convolution / pooling layers."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class LayerGeometry:
    """Kernel size, stride and dilation of one layer along one axis.

    Attributes:
        kernel_size: kernel width along the axis.
        stride: stride along the axis.
        dilation: dilation along the axis.
    """

    kernel_size: int
    stride: int = 1
    dilation: int = 1


def receptive_field(layers: list[LayerGeometry]) -> int:
    """Receptive field (in input samples) of a chain of layers.

    `r_0 = 1; r_k = r_{k-1} + (kernel_k - 1) * dilation_k * jump_{k-1}; jump_k = jump_{k-1} * stride_k`.
    Residual branches in parallel with the main path do not enlarge it; pass the main path.

    Args:
        layers: the layers of the main path, input first.

    Returns:
        The number of input samples one output sample depends on.

    Examples:
        >>> receptive_field([LayerGeometry(3), LayerGeometry(3, dilation=2)])
        7
    """
    field_size, jump = 1, 1
    for layer in layers:
        field_size += (layer.kernel_size - 1) * layer.dilation * jump
        jump *= layer.stride
    return field_size


def _first(value: int | tuple[int, ...]) -> int:
    return value if isinstance(value, int) else value[0]


def module_geometry(module: torch.nn.Module) -> list[LayerGeometry]:
    """Geometry of every conv / pooling layer of `module`, in registration order (first axis).

    Valid for networks whose layers act in sequence (plain or residual stacks, where the
    skip connections are identities or 1-wide convolutions).

    Args:
        module: the network.

    Returns:
        One `LayerGeometry` per `Conv1d/2d/3d`, `MaxPool1d/2d` and `AvgPool1d/2d` layer.
    """
    layers: list[LayerGeometry] = []
    for sub in module.modules():
        if isinstance(sub, torch.nn.Conv1d | torch.nn.Conv2d | torch.nn.Conv3d):
            layers.append(LayerGeometry(_first(sub.kernel_size), _first(sub.stride), _first(sub.dilation)))
        elif isinstance(sub, torch.nn.MaxPool1d | torch.nn.MaxPool2d | torch.nn.AvgPool1d | torch.nn.AvgPool2d):
            stride = sub.stride if sub.stride is not None else sub.kernel_size
            dilation = getattr(sub, "dilation", 1)
            layers.append(LayerGeometry(_first(sub.kernel_size), _first(stride), _first(dilation)))
    return layers


def module_receptive_field(module: torch.nn.Module) -> int:
    """Receptive field of `module` in input samples (see `module_geometry` for the assumptions).

    Args:
        module: the network.

    Returns:
        `receptive_field(module_geometry(module))`.
    """
    return receptive_field(module_geometry(module))
