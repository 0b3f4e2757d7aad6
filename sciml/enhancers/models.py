"""Motif CNNs: an interpretable shallow net and a dilated residual variant for motif grammar.

Both start with the same first layer, whose filters act as position weight matrices:
`Conv1d(4, F, ~19)` -> batch norm -> exponential or ReLU activation -> max pooling -> dropout.
The pool size trades whole motifs (large pools leave deeper layers too little spatial detail to
assemble parts, so the first layer must learn complete motifs, Koo & Eddy 2019) against partial
ones that deeper layers assemble. Dropout on the pooled filter output (`first_dropout`) pushes
spare filters to become extra copies of motifs instead of staying random (docs/enhancers.md).
With `strand_shared`, each filter also scans the reverse strand with its reverse complement and
keeps the stronger activation (reverse-complement parameter sharing, Shrikumar et al. 2017), so
one filter detects a motif on both strands and has no reason to blend the two orientations into
a palindrome; the strand of each hit is lost, so it suits motif detection, not strand grammar.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Literal

import torch
from torch import nn

from sciml.errors import ConfigError, InputError
from sciml.nn.conv import DilatedResidualBlock
from sciml.nn.receptive_field import module_receptive_field


class Exponential(nn.Module):
    """Exponential activation of Koo & Ploenzke (2021); input clamped at 20 to stay finite in float32."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.exp(x.clamp(max=20.0))


@dataclass
class MotifCNNConfig:
    """Architecture of a motif CNN (all plain values: stored in the model's config.json).

    kind : "motif" (shallow conv stack) or "dilated" (dilated residual stack covering the input).
    first_dropout : dropout on the pooled first-layer (motif filter) output; None = dropout / 2.
    strand_shared : filters also scan the reverse strand (reverse-complement weights), max of both.
    seq_length : input length L the dense head is sized for.
    n_tasks : output logits (one per task).
    """

    kind: Literal["motif", "dilated"] = "motif"
    seq_length: int = 200
    n_tasks: int = 1
    n_filters: int = 32
    filter_size: int = 19
    activation: Literal["exp", "relu"] = "relu"
    pool_size: int = 4
    conv_channels: int = 64
    conv_size: int = 5
    pool2_size: int = 5
    hidden: int = 128
    dropout: float = 0.2
    first_dropout: float | None = None
    strand_shared: bool = False
    tasks: list[str] = field(default_factory=lambda: ["label"])

    def __post_init__(self) -> None:
        if self.kind not in ("motif", "dilated"):
            raise ConfigError("model.kind", f"must be 'motif' or 'dilated', got {self.kind!r}")
        if self.activation not in ("exp", "relu"):
            raise ConfigError("model.activation", f"must be 'exp' or 'relu', got {self.activation!r}")
        if len(self.tasks) != self.n_tasks:
            raise ConfigError("model.tasks", f"{len(self.tasks)} task names for {self.n_tasks} tasks")
        for key in ("dropout", "first_dropout"):
            value = getattr(self, key)
            if value is not None and not 0 <= value < 1:
                raise ConfigError(f"model.{key}", f"must be in [0, 1), got {value}")
        for key in ("seq_length", "n_filters", "filter_size", "pool_size", "conv_channels", "hidden"):
            if getattr(self, key) < 1:
                raise ConfigError(f"model.{key}", f"must be >= 1, got {getattr(self, key)}")
        if self.seq_length // self.pool_size // self.pool2_size < 1:
            raise ConfigError("model.pool_size", f"pooling {self.pool_size}x{self.pool2_size} leaves nothing "
                              f"of a {self.seq_length} bp input")


class MotifCNN(nn.Module):
    """First-layer motif filters, then a conv stack (shallow or dilated residual) and a dense head.

    Shapes: x (N, 4, L) one-hot -> logits (N, T).
    """

    def __init__(self, config: MotifCNNConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.conv1 = nn.Conv1d(4, c.n_filters, c.filter_size, padding=c.filter_size // 2)
        self.bn1 = nn.BatchNorm1d(c.n_filters)
        self.act1 = Exponential() if c.activation == "exp" else nn.ReLU()
        self.pool1 = nn.MaxPool1d(c.pool_size)
        first_dropout = c.dropout / 2 if c.first_dropout is None else c.first_dropout
        layers: list[nn.Module] = [nn.Dropout(first_dropout),
                                   nn.Conv1d(c.n_filters, c.conv_channels, c.conv_size, padding=c.conv_size // 2),
                                   nn.BatchNorm1d(c.conv_channels), nn.ReLU()]
        if c.kind == "dilated":
            pooled = c.seq_length // c.pool_size
            dilation = 1
            while module_receptive_field(nn.Sequential(*layers)) < pooled and dilation <= pooled:
                layers.append(DilatedResidualBlock(c.conv_channels, 3, dilation, dim=1, dropout=c.dropout / 2))
                dilation *= 2
        layers += [nn.MaxPool1d(c.pool2_size), nn.Dropout(c.dropout)]
        self.stack = nn.Sequential(*layers)
        flat = c.conv_channels * (c.seq_length // c.pool_size // c.pool2_size)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(flat, c.hidden), nn.BatchNorm1d(c.hidden), nn.ReLU(),
                                  nn.Dropout(c.dropout), nn.Linear(c.hidden, c.n_tasks))

    def strand_activations(self, x: torch.Tensor) -> torch.Tensor:
        """Motif-filter activations per strand: (N, 4, L) -> (N, S, F, L).

        S = 1, or 2 with `strand_shared` (index 1: the filter's reverse complement, i.e. the
        filter read on the reverse strand, aligned to the same window as index 0).
        """
        z = self.conv1(x)
        if not self.config.strand_shared:
            return self.act1(self.bn1(z))[:, None]
        z_rc = nn.functional.conv1d(x, self.conv1.weight.flip(1, 2), self.conv1.bias, padding=self.conv1.padding)
        n = len(x)
        both = self.act1(self.bn1(torch.cat([z, z_rc])))  # one batch norm over both strands
        return torch.stack([both[:n], both[n:]], dim=1)

    def first_layer(self, x: torch.Tensor) -> torch.Tensor:
        """Activations of the motif filters before pooling (the stronger strand): (N, 4, L) -> (N, F, L)."""
        return self.strand_activations(x).amax(dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.stack(self.pool1(self.first_layer(x))))

    def receptive_field(self) -> int:
        """Receptive field in bp of the conv stack feeding the dense head (sciml.nn calculator)."""
        return module_receptive_field(nn.Sequential(self.conv1, self.pool1, self.stack))


def build_model(config: MotifCNNConfig | dict) -> MotifCNN:
    """A MotifCNN from its config (dataclass or the dict stored in config.json)."""
    if isinstance(config, dict):
        known = set(MotifCNNConfig.__dataclass_fields__)
        unknown = sorted(set(config) - known)
        if unknown:
            raise ConfigError("model", f"unknown keys {unknown}")
        config = MotifCNNConfig(**config)
    return MotifCNN(config)


def model_config_dict(model: MotifCNN) -> dict:
    """The architecture part of a saved model's config.json."""
    return {"architecture": asdict(model.config)}


def load_model(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> MotifCNN:
    """Load a model directory written by `save_model_dir` (model.safetensors + config.json), in eval mode."""
    from sciml.train.checkpoint import load_weights, read_model_config

    config = read_model_config(path)
    if "architecture" not in config:
        raise InputError(path, "config.json has no 'architecture' section: not an enhancers model")
    model = build_model(config["architecture"])
    load_weights(model, path, device)
    return model.eval()
