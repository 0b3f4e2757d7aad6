"""Structured pruning of a `BeatNet`: whole channels and hidden units are removed, leaving a smaller dense network.

Three groups of a `BeatNet` are pruned at one ratio, each by its own ranking (`channel_importance`):

- the channels of the residual stack (the stem's output, which every block reads and adds to, and the pooling
  reads): one ranking for the whole stack;
- the channels inside each residual block (between its two convolutions): one ranking per block;
- the hidden units of the embedding the linear head reads.

A channel's importance sums, over every layer that writes or reads it, that layer's weight on it, each layer's
scores scaled to mean 1 so that no layer dominates by its units: the BatchNorm scale |gamma| where the channel
is normalised (a convolution followed by BatchNorm is scale-free, so its filter norm says nothing; Liu et al.
2017, network slimming), otherwise the L1 norm of the filter writing it or of the weights reading it (Li et al.
2017). A channel no layer writes or reads scores 0, and removing it leaves the function unchanged.
The pruned network is an ordinary `BeatNet` whose `BeatNetConfig` holds the kept widths
(`stack_channels`, `block_channels`, `hidden`), so it saves and loads through `sciml.models` and quantizes
like any other; it is then fine-tuned with the distillation loss (`sciml.ecg.pipeline.prune_student`).

Example:
    >>> student = load_model("results/ecg/student")  # doctest: +SKIP
    >>> smaller = prune_beatnet(student, 0.5)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
from torch import nn

from sciml.ecg.models import BeatNet
from sciml.ecg.settings import check_pruning_ratio
from sciml.nn.conv import DepthwiseSeparableConv, SqueezeExcitation


@dataclass(frozen=True)
class ChannelImportance:
    """Importance scores of the prunable channels of a `BeatNet` (higher = kept first).

    Attributes:
        stack: (C,) channels of the residual stack.
        blocks: one (M_b,) tensor per residual block: the channels between its convolutions.
        hidden: (H,) hidden units of the embedding.
    """

    stack: torch.Tensor
    blocks: tuple[torch.Tensor, ...]
    hidden: torch.Tensor


def _dense_weight(conv: nn.Module) -> torch.Tensor:
    """The (out, in, k) kernel of a Conv1d or of a `DepthwiseSeparableConv` multiplied out."""
    if isinstance(conv, nn.Conv1d):
        return conv.weight
    return conv.pointwise.weight[:, :, 0, None] * conv.depthwise.weight[:, 0, None, :].transpose(0, 1)


def _scaled(score: torch.Tensor) -> torch.Tensor:
    """`score` divided by its mean (all zeros stay zeros)."""
    mean = score.mean()
    return score / mean if mean > 0 else score


def _parts(block: nn.Module) -> tuple[list[nn.BatchNorm1d], list[nn.Module], SqueezeExcitation | None]:
    """(the two BatchNorms, the two convolutions, the squeeze-excitation gate or None) of a residual block."""
    norms = [m for m in block.branch if isinstance(m, nn.BatchNorm1d)]
    convs = [m for m in block.branch if isinstance(m, nn.Conv1d | DepthwiseSeparableConv)]
    se = next((m for m in block.branch if isinstance(m, SqueezeExcitation)), None)
    return norms, convs, se


@torch.no_grad()
def channel_importance(model: BeatNet) -> ChannelImportance:
    """Importance of each prunable channel of `model` (see the module docstring for the criterion).

    Shapes:
        stack: (C,); blocks: (M_b,) each; hidden: (H,).
    """
    c = model.config.stack_width
    stack = [model.stem[1].weight.abs()]  # the stem's BatchNorm writes the stack
    blocks = []
    for block in model.blocks:
        (norm_in, norm_mid), (_, conv_out), _ = _parts(block)
        kernel = _dense_weight(conv_out).abs()  # (C, M, k)
        stack += [norm_in.weight.abs(), kernel.sum(dim=(1, 2))]  # read by the block; written by its last conv
        blocks.append(_scaled(norm_mid.weight.abs()) + _scaled(kernel.sum(dim=(0, 2))))
    embedding, head = model.embedding[0], model.head
    stack.append(embedding.weight[:, :c].abs().sum(dim=0) + embedding.weight[:, c:2 * c].abs().sum(dim=0))
    hidden = (_scaled(embedding.weight.abs().sum(dim=1) + embedding.bias.abs())
              + _scaled(head.weight.abs().sum(dim=0)))
    return ChannelImportance(stack=sum(_scaled(s) for s in stack), blocks=tuple(blocks), hidden=hidden)


def _kept(score: torch.Tensor, keep: int) -> torch.Tensor:
    """Indices (ascending) of the `keep` highest scores; ties keep the first."""
    return torch.argsort(score, descending=True, stable=True)[:keep].sort().values


def kept_width(width: int, ratio: float) -> int:
    """Channels kept of `width` when `ratio` of them are removed: `round(width * (1 - ratio))`, at least 1."""
    return max(1, int(round(width * (1.0 - ratio))))


def _copy_norm(src: nn.BatchNorm1d, dst: nn.BatchNorm1d, idx: torch.Tensor) -> None:
    for name in ("weight", "bias", "running_mean", "running_var"):
        getattr(dst, name).copy_(getattr(src, name)[idx])
    dst.num_batches_tracked.copy_(src.num_batches_tracked)


def _copy_conv(src: nn.Module, dst: nn.Module, out_idx: torch.Tensor, in_idx: torch.Tensor) -> None:
    if isinstance(src, nn.Conv1d):
        dst.weight.copy_(src.weight[out_idx][:, in_idx])
        bias = src.bias
    else:
        dst.depthwise.weight.copy_(src.depthwise.weight[in_idx])
        dst.pointwise.weight.copy_(src.pointwise.weight[out_idx][:, in_idx])
        bias, dst = src.pointwise.bias, dst.pointwise
    if bias is not None:
        dst.bias.copy_(bias[out_idx])


def _copy_linear(src: nn.Linear, dst: nn.Linear, out_idx: torch.Tensor, in_idx: torch.Tensor) -> None:
    dst.weight.copy_(src.weight[out_idx][:, in_idx])
    dst.bias.copy_(src.bias[out_idx])


@torch.no_grad()
def prune_beatnet(model: BeatNet, ratio: float) -> BeatNet:
    """A smaller dense `BeatNet`: `ratio` of the channels of each group of `model` removed, by `channel_importance`.

    The stack, each block's inner channels and the embedding's hidden units keep `round(n * (1 - ratio))` (at
    least 1) of their `n` channels; the kept weights, BatchNorm statistics, RR scaling, temperature and
    preprocessing are copied. `model` is not changed.

    Args:
        model: a trained `BeatNet` (teacher or student, plain or separable convolutions).
        ratio: fraction of the channels removed, in (0, 1).

    Returns:
        The pruned `BeatNet` in eval mode; its config holds the kept widths.

    Raises:
        ConfigError: `ratio` is not in (0, 1) (key `ratio`).

    Shapes:
        The pruned model maps waves (N, in_channels, window), rr (N, n_rr) -> logits (N, n_classes), as `model`.
    """
    check_pruning_ratio(ratio)
    scores = channel_importance(model)
    stack = _kept(scores.stack, kept_width(len(scores.stack), ratio))
    inner = [_kept(s, kept_width(len(s), ratio)) for s in scores.blocks]
    hidden = _kept(scores.hidden, kept_width(len(scores.hidden), ratio))
    config = replace(model.config, stack_channels=len(stack), block_channels=tuple(len(i) for i in inner),
                     hidden=len(hidden))
    pruned = BeatNet(config).eval()

    _copy_conv(model.stem[0], pruned.stem[0], stack, torch.arange(config.in_channels))
    _copy_norm(model.stem[1], pruned.stem[1], stack)
    for old, new, idx in zip(model.blocks, pruned.blocks, inner, strict=True):
        (old_in, old_mid), (old_first, old_second), old_se = _parts(old)
        (new_in, new_mid), (new_first, new_second), new_se = _parts(new)
        _copy_norm(old_in, new_in, stack)
        _copy_conv(old_first, new_first, idx, stack)
        _copy_norm(old_mid, new_mid, idx)
        _copy_conv(old_second, new_second, stack, idx)
        if old_se is not None and new_se is not None:  # its bottleneck follows the stack's width
            squeeze, excite = old_se.gate[0], old_se.gate[2]
            units = _kept(_scaled(squeeze.weight.abs().sum(dim=1) + squeeze.bias.abs())
                          + _scaled(excite.weight.abs().sum(dim=0)), new_se.gate[0].out_features)
            _copy_linear(squeeze, new_se.gate[0], units, stack)
            _copy_linear(excite, new_se.gate[2], stack, units)
    pruned.rr_net.load_state_dict(model.rr_net.state_dict())
    c = model.config.stack_width
    n_rr_hidden = model.embedding[0].in_features - 2 * c
    columns = torch.cat([stack, c + stack, 2 * c + torch.arange(n_rr_hidden)])
    _copy_linear(model.embedding[0], pruned.embedding[0], hidden, columns)
    _copy_linear(model.head, pruned.head, torch.arange(config.n_classes), hidden)
    for name in ("rr_mean", "rr_std", "rr_used"):
        getattr(pruned, name).copy_(getattr(model, name))
    pruned.temperature, pruned.preprocessing = model.temperature, model.preprocessing
    return pruned
