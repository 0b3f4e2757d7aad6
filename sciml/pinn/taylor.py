"""Taylor-mode derivatives of a PINN along one coordinate: u, du/dx_d, ..., d^n u/dx_d^n in one forward pass.

Nested reverse-mode autograd (`derivative(u, x, 0, 0, 0, 0)`) builds each derivative's graph on top
of the previous one, so its cost grows about threefold per order (the fourth derivative of the
Kuramoto–Sivashinsky equation costs tens of forward passes). Taylor mode instead propagates the
derivatives of every layer's values along one input direction forward through the network: a
linear layer maps each of the n + 1 streams with the same weights, an activation composes them by
Faà di Bruno's formula (partial Bell polynomials), so the cost is about n + 1 matrix products and
O(n^2) elementwise products per layer. The streams stay ordinary autograd tensors (differentiable
in the weights and in x), so mixed derivatives such as u_xt still come from `derivative`.

A problem asks for it with `PDE(..., taylor={0: 4})`: the residual receives u with the streams
attached and `derivative(u, x, 0, ..., 0)` (up to 4 times) reads them instead of differentiating.
Supported networks: `MLP` with tanh or sin activations (with or without adaptive slopes, periodic
embedding and Fourier features); an `output_transform` is differentiated by nested autograd on the
transform alone (a few elementwise operations) with the network's streams as a Taylor polynomial.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from sciml.errors import ConfigError
from sciml.pinn.network import MLP, AdaptiveSlope, Sine

Streams = list[torch.Tensor]
TAYLOR_ATTRIBUTE = "_pinn_taylor"  # read by `sciml.pinn.pde.derivative`


def compose(f_derivatives: Streams, z: Streams) -> Streams:
    """Derivatives of f(z(s)) along s from those of z and of f at z(s): Faà di Bruno's formula.

    h_0 = f(z_0), h_n = sum_{k=1}^n f^(k)(z_0) B_{n,k}(z_1, ..., z_{n-k+1}) with B the partial Bell
    polynomials (recursion B_{n,k} = sum_i C(n-1, i-1) z_i B_{n-i,k-1}).

    Args:
        f_derivatives: f^(k)(z_0) for k = 0..n.
        z: d^k z / ds^k for k = 0..n.

    Returns:
        d^k f(z) / ds^k for k = 0..n.

    Shapes:
        every tensor: the same shape (or broadcastable), e.g. (N, width).
    """
    n = len(z) - 1
    bell: dict[tuple[int, int], torch.Tensor] = {}
    out = [f_derivatives[0]]
    for m in range(1, n + 1):
        total = None
        for k in range(1, m + 1):
            if k == 1:
                b = z[m]
            else:
                b = sum(_times(math.comb(m - 1, i - 1), z[i] * bell[(m - i, k - 1)]) for i in range(1, m - k + 2))
            bell[(m, k)] = b  # type: ignore[assignment]
            term = f_derivatives[k] * b
            total = term if total is None else total + term
        out.append(total)  # type: ignore[arg-type]
    return out


def _times(c: int, t: torch.Tensor) -> torch.Tensor:
    return t if c == 1 else c * t


def _tanh_polynomials(order: int) -> list[np.ndarray]:
    """Coefficients (lowest first) of P_k with tanh^(k)(z) = P_k(tanh z): P_0 = y, P_{k+1} = (1 - y^2) P_k'."""
    polys = [np.array([0.0, 1.0])]
    for _ in range(order):
        polys.append(np.polynomial.polynomial.polymul([1.0, 0.0, -1.0], np.polynomial.polynomial.polyder(polys[-1])))
    return polys


def _horner(coefficients: np.ndarray, y: torch.Tensor) -> torch.Tensor:
    out = torch.full_like(y, float(coefficients[-1]))
    for c in coefficients[-2::-1]:
        out = out * y + float(c)
    return out


def activation_derivatives(activation: nn.Module, z0: torch.Tensor, order: int) -> Streams:
    """act^(k)(z0) for k = 0..order, for tanh and sin.

    Raises:
        ConfigError: another activation.
    """
    if isinstance(activation, nn.Tanh):
        y = torch.tanh(z0)
        return [y] + [_horner(p, y) for p in _tanh_polynomials(order)[1:]]
    if isinstance(activation, Sine):
        return _sine_derivatives(z0, order, phase=0.0)
    raise ConfigError("network.activation", f"Taylor-mode derivatives support tanh and sin, not {type(activation).__name__}")


def _sine_derivatives(z0: torch.Tensor, order: int, phase: float) -> Streams:
    """d^k/dz^k sin(z + phase) = sin(z + phase + k pi / 2), k = 0..order (cos: phase pi / 2)."""
    s, c = torch.sin(z0 + phase), torch.cos(z0 + phase)
    return [(s, c, -s, -c)[k % 4] for k in range(order + 1)]


def _linear(layer: nn.Linear, z: Streams) -> Streams:
    """All streams through one linear layer (one matrix product); the bias enters stream 0 only."""
    n = len(z[0])
    mapped = torch.cat(z) @ layer.weight.T.to(z[0].dtype)
    out = list(mapped.split(n))
    out[0] = out[0] + layer.bias.to(z[0].dtype)
    return out


def _features(net: MLP, x: torch.Tensor, dim: int, order: int) -> Streams:
    """The network's input features (`MLP.features`) and their derivatives along coordinate `dim`."""
    dtype, n = x.dtype, len(x)
    slope = torch.zeros(1, len(net.plain_dims), dtype=dtype, device=x.device)
    if dim in net.plain_dims:
        slope[0, net.plain_dims.index(dim)] = 2.0 / (net.upper[dim] - net.lower[dim]).to(dtype)
    streams = [net.embedding(x)]
    for k in range(1, order + 1):
        parts = [(slope if k == 1 else torch.zeros_like(slope)).expand(n, -1)]
        if net.periodic_dims:  # d^k/dx^k cos(w x) = w^k cos(w x + k pi / 2), and the same for sin
            harmonics, periods = net.harmonics.to(dtype), net.periods.to(dtype)
            omega = 2.0 * math.pi * harmonics[None, :] / periods[:, None]  # (P, H)
            mask = torch.tensor([p == dim for p in net.periodic_dims], dtype=dtype, device=x.device)[:, None]
            omega = (omega * mask).flatten()  # zero for the other periodic coordinates
            angle = (2.0 * math.pi * x[:, net.periodic_dims, None] / periods[None, :, None] * harmonics).flatten(1)
            parts += [omega**k * torch.cos(angle + k * math.pi / 2), omega**k * torch.sin(angle + k * math.pi / 2)]
        streams.append(torch.cat(parts, dim=1))
    if not net.fourier_b.shape[1]:
        return streams
    projected = [2.0 * math.pi * s @ net.fourier_b.to(dtype) for s in streams]
    cos = compose(_sine_derivatives(projected[0], order, math.pi / 2), projected)
    sin = compose(_sine_derivatives(projected[0], order, 0.0), projected)
    return [torch.cat([c, s], dim=1) for c, s in zip(cos, sin, strict=True)]


def mlp_taylor(net: MLP, x: torch.Tensor, dim: int, order: int) -> Streams:
    """The MLP's output and its first `order` derivatives along input coordinate `dim`.

    Args:
        net: the network (tanh or sin activations).
        x: points.
        dim: the coordinate to differentiate in.
        order: the highest derivative.

    Returns:
        [u, du/dx_dim, ..., d^order u / dx_dim^order].

    Shapes:
        x: (N, d) -> each stream (N, out_dim).

    Raises:
        ConfigError: an unsupported activation, or `dim` / `order` out of range.
    """
    if not 0 <= dim < net.lower.numel() or order < 1:
        raise ConfigError("taylor", f"need a coordinate in [0, {net.lower.numel()}) and order >= 1, got {dim}, {order}")
    z = _features(net, x, dim, order)
    for layer in net.body:
        if isinstance(layer, nn.Linear):
            z = _linear(layer, z)
        elif isinstance(layer, AdaptiveSlope):
            scale = layer.n * layer.slope.to(x.dtype)
            z = [scale * s for s in z]
            z = compose(activation_derivatives(layer.activation, z[0], order), z)
        else:
            z = compose(activation_derivatives(layer, z[0], order), z)
    return z


def transform_taylor(transform: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor,
                     raw: Streams, dim: int) -> Streams:
    """Derivatives of `transform(x, raw(x))` along `dim` from the network's streams `raw`.

    The transform is evaluated at x + s e_dim with raw replaced by its Taylor polynomial in s and
    differentiated in s at s = 0 by nested autograd (cheap: only the transform's own operations).

    Shapes:
        x: (N, d); raw: streams (N, k) -> streams (N, k').
    """
    order = len(raw) - 1
    s = torch.zeros(len(x), 1, dtype=x.dtype, device=x.device, requires_grad=True)
    step = torch.zeros(1, x.shape[1], dtype=x.dtype, device=x.device)
    step[0, dim] = 1.0
    poly = raw[order]
    for k in range(order - 1, -1, -1):
        poly = raw[k] + s / (k + 1) * poly
    value = transform(x + s * step, poly)
    streams = [value]
    for _ in range(order):
        columns = []
        for j in range(value.shape[1]):
            last = streams[-1][:, j]
            g = torch.autograd.grad(last.sum(), s, create_graph=True, allow_unused=True)[0] if last.requires_grad else None
            columns.append(torch.zeros_like(s) if g is None else g)
        streams.append(torch.cat(columns, dim=1))
    return streams


def taylor_fields(model: nn.Module, x: torch.Tensor, taylor: dict[int, int]) -> torch.Tensor:
    """The PINN's output u at x with its Taylor streams attached for `derivative` to read.

    Args:
        model: a `sciml.pinn.models.PINN` (one field, no symmetry, no gauge).
        x: points (requiring grad, so that other derivatives still come from autograd).
        taylor: coordinate -> highest derivative order, e.g. {0: 4}.

    Returns:
        u, equal to `model(x)`, carrying the streams of every coordinate in `taylor`.

    Shapes:
        x: (N, d) -> u: (N, 1).

    Raises:
        ConfigError: a model with several fields, an exact symmetry or a gauge, or an unsupported network.
    """
    if model.symmetry is not None or model.gauge_fields or model.net.body[-1].out_features != 1:
        raise ConfigError("taylor", "Taylor-mode derivatives need a one-field PINN without symmetry or gauge")
    jets: dict[int, tuple[torch.Tensor, Streams]] = {}
    u = None
    for dim, order in taylor.items():
        streams = mlp_taylor(model.net, x, dim, order)
        if model.output_transform is not None:
            streams = transform_taylor(model.output_transform, x, streams, dim)
        u = streams[0] if u is None else u
        jets[dim] = (x, streams[1:])  # without u itself: no reference cycle through the attribute
    setattr(u, TAYLOR_ATTRIBUTE, jets)
    return u
