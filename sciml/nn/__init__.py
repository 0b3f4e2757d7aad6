"""Reusable layers: dilated / depthwise-separable conv blocks (1D and 2D), SE, receptive fields."""

from sciml.nn.conv import DepthwiseSeparableConv, DilatedResidualBlock, SqueezeExcitation
from sciml.nn.receptive_field import LayerGeometry, module_geometry, module_receptive_field, receptive_field

__all__ = [
    "DepthwiseSeparableConv",
    "DilatedResidualBlock",
    "LayerGeometry",
    "SqueezeExcitation",
    "module_geometry",
    "module_receptive_field",
    "receptive_field",
]
