"""Motif CNNs: an interpretable shallow net and a dilated residual variant for motif grammar.

Both start with the same first layer, whose filters act as position weight matrices:
`Conv1d(4, F, ~19)` -> batch norm -> exponential or ReLU activation -> max pooling -> dropout.
The pool size trades whole motifs (large pools leave deeper layers too little spatial detail to
assemble parts, so the first layer must learn complete motifs, Koo & Eddy 2019) against partial
ones that deeper layers assemble. Dropout on the pooled filter output (`first_dropout`) pushes
spare filters to become extra copies of motifs instead of staying random.
With `strand_shared`, each filter also scans the reverse strand with its reverse complement and
keeps the stronger activation (reverse-complement parameter sharing, Shrikumar et al. 2017), so
one filter detects a motif on both strands and has no reason to blend the two orientations into
a palindrome; the strand of each hit is lost, so it suits motif detection, not strand grammar.
With `conjoined`, the output itself is the mean over both strands (Zhou et al. 2021), so the
model is reverse-complement invariant in training as well as in prediction.

Model folders (`sciml.models`): `enhancers.motif_cnn` (a `MotifCNN`), `enhancers.motif_cnn_ensemble`
(a `MotifCNNEnsemble`: the mean of seed replicates), `enhancers.kmer_logistic`,
`enhancers.gkm_svm` and `enhancers.enhancer_classifier` (the iEnhancer job's CNN plus the sequence
model it predicts with). `sciml.load_model(folder)` returns the module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from torch import nn

from sciml.enhancers.gkm import GkmSVM
from sciml.enhancers.kmers import KmerLogistic
from sciml.enhancers.sequences import reverse_complement_batch
from sciml.enhancers.settings import MotifCNNSettings
from sciml.errors import ConfigError
from sciml.models import register_model, save_model
from sciml.nn.conv import DilatedResidualBlock
from sciml.nn.receptive_field import module_receptive_field
from sciml.settings import from_dict


class Exponential(nn.Module):
    """Exponential activation of Koo & Ploenzke (2021); input clamped at 20 to stay finite in float32."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.exp(x.clamp(max=20.0))


@dataclass(frozen=True)
class MotifCNNConfig(MotifCNNSettings):
    """Everything that rebuilds a motif CNN: its architecture settings plus the data's shape.

    Attributes:
        seq_length: input length L the dense head is sized for.
        n_tasks: output logits (one per task).
        tasks: task names, one per output.
        objective: "binary" (outputs are logits) or "regression" (outputs are values).
    """

    seq_length: int = 200
    n_tasks: int = 1
    tasks: tuple[str, ...] = ("label",)
    objective: Literal["binary", "regression"] = "binary"

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.tasks) != self.n_tasks:
            raise ConfigError("model.tasks", f"{len(self.tasks)} task names for {self.n_tasks} tasks")
        if self.objective not in ("binary", "regression"):
            raise ConfigError("model.objective", f"must be 'binary' or 'regression', got {self.objective!r}")
        if self.seq_length < 1:
            raise ConfigError("model.seq_length", f"must be >= 1, got {self.seq_length}")
        if self.seq_length // self.pool_size // self.pool2_size < 1:
            raise ConfigError("model.pool_size", f"pooling {self.pool_size}x{self.pool2_size} leaves nothing "
                              f"of a {self.seq_length} bp input")

    @classmethod
    def for_data(cls, settings: MotifCNNSettings, seq_length: int, tasks: list[str] | tuple[str, ...],
                 objective: str = "binary") -> MotifCNNConfig:
        """The architecture `settings` sized for `seq_length` bp inputs, the given tasks and objective."""
        values = {f.name: getattr(settings, f.name) for f in fields(MotifCNNSettings)}
        return cls(**values, seq_length=seq_length, n_tasks=len(tasks), tasks=tuple(tasks),
                   objective=objective)  # type: ignore[arg-type]


def _interleave(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Rows a0, b0, a1, b1, ...: (N, ...) twice -> (2N, ...).

    Interleaving (not concatenating) keeps any split of a batch into halves aligned: DeepLIFT
    (tangermeme) passes sequences and references as one batch [X; R] and pairs the two halves
    of every activation, which a doubled batch [X; R; rc X; rc R] would mismatch.
    """
    return torch.stack([a, b], dim=1).flatten(0, 1)


class MotifCNN(nn.Module):
    """First-layer motif filters, then a conv stack (shallow or dilated residual) and a dense head.

    Args:
        config: the architecture and the data shape.

    Shapes:
        x: (N, 4, L) one-hot -> logits or values (N, T).
    """

    def __init__(self, config: MotifCNNConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.conv1 = nn.Conv1d(4, c.n_filters, c.filter_size, padding=c.filter_size // 2)
        self.bn1 = nn.BatchNorm1d(c.n_filters)
        self.act1 = Exponential() if c.activation == "exp" else nn.ReLU()
        self.strand_max = nn.ReLU()  # the max over strands (strand_shared), see first_layer
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
        self.global_norm = nn.BatchNorm1d(c.n_filters) if c.global_pool else None
        if c.global_pool:
            flat += c.n_filters
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(flat, c.hidden), nn.BatchNorm1d(c.hidden), nn.ReLU(),
                                  nn.Dropout(c.dropout), nn.Linear(c.hidden, c.n_tasks))

    def strand_activations(self, x: torch.Tensor) -> torch.Tensor:
        """Motif-filter activations per strand: (N, 4, L) -> (N, S, F, L).

        S = 1, or 2 with `strand_shared` (index 1: the filter's reverse complement, i.e. the
        filter read on the reverse strand, aligned to the same window as index 0). The two
        strands are joined along the length axis, not the batch: one batch norm sees both
        strands, and every row of the batch stays one input, as DeepLIFT's pairing of the
        sequence and reference halves of a batch requires.
        """
        z = self.conv1(x)
        if not self.config.strand_shared:
            return self.act1(self.bn1(z))[:, None]
        z_rc = nn.functional.conv1d(x, self.conv1.weight.flip(1, 2), self.conv1.bias, padding=self.conv1.padding)
        both = self.act1(self.bn1(torch.cat([z, z_rc], dim=2)))  # (N, F, 2L)
        return torch.stack(both.chunk(2, dim=2), dim=1)

    def first_layer(self, x: torch.Tensor) -> torch.Tensor:
        """Activations of the motif filters before pooling (the stronger strand): (N, 4, L) -> (N, F, L).

        The strand maximum is written max(a, b) = b + relu(a - b) through the module
        `strand_max`, so DeepLIFT applies its rescale rule to it and attributions of a
        `strand_shared` model sum to the output difference from the reference.
        """
        acts = self.strand_activations(x)
        if acts.shape[1] == 1:
            return acts[:, 0]
        return acts[:, 1] + self.strand_max(acts[:, 0] - acts[:, 1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.config.conjoined:  # mean of both strands' outputs, one pass over the doubled batch
            both = self.strand_forward(_interleave(x, reverse_complement_batch(x)))
            return both.unflatten(0, (len(x), 2)).mean(1)
        return self.strand_forward(x)

    def strand_forward(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs for the given strand only: (N, 4, L) -> (N, T) (= `forward` unless `conjoined`)."""
        activations = self.first_layer(x)
        features = self.stack(self.pool1(activations)).flatten(1)
        if self.global_norm is not None:  # mean activation of each motif filter over the sequence
            features = torch.cat([features, self.global_norm(activations.mean(dim=2))], dim=1)
        return self.head(features)

    def receptive_field(self) -> int:
        """Receptive field in bp of the conv stack feeding the dense head (sciml.nn calculator)."""
        return module_receptive_field(nn.Sequential(self.conv1, self.pool1, self.stack))


class MotifCNNEnsemble(nn.Module):
    """Motif CNNs of one architecture trained from different seeds; the output is the mean of
    their outputs (logits or values), so it predicts, is explained (DeepLIFT/SHAP, ISM) and is
    probed like one motif CNN.

    Args:
        members: the trained motif CNNs (same `config`).

    Shapes:
        x: (N, 4, L) one-hot -> (N, T) mean logits or values.
    """

    def __init__(self, members: list[MotifCNN]) -> None:
        super().__init__()
        if not members or any(m.config != members[0].config for m in members):
            raise ConfigError("n_models", "an ensemble needs at least one member, all of one config")
        self.members = nn.ModuleList(members)

    @property
    def config(self) -> MotifCNNConfig:
        """The members' config (input length, tasks, objective)."""
        return self.members[0].config

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([m(x) for m in self.members]).mean(0)


def build_model(config: MotifCNNConfig | Mapping[str, Any]) -> MotifCNN:
    """A MotifCNN from its config (dataclass or the mapping stored in a model folder's config.json)."""
    if not isinstance(config, MotifCNNConfig):
        config = from_dict(MotifCNNConfig, config, prefix="model")
    return MotifCNN(config)


class EnhancerClassifier(nn.Module):
    """The iEnhancer job's saved model: the CNN plus the sequence model it predicts with.

    `predictor` chooses the output: "cnn" (the CNN, averaged over both strands), "kmer" (the
    k-mer logistic regression), "gkm" (the gapped k-mer SVM) or "ensemble" (mean of the CNN's
    and the k-mer regression's probabilities).

    Args:
        cnn: the motif CNN (always present; fitted on every sequence).
        predictor: "cnn", "kmer", "gkm" or "ensemble".
        kmer: the k-mer logistic regression ("kmer", "ensemble").
        gkm: the gapped k-mer SVM ("gkm").

    Shapes:
        x: (N, 4, L) one-hot -> (N, 1) enhancer probability.
    """

    def __init__(self, cnn: MotifCNN, predictor: str = "cnn", kmer: KmerLogistic | None = None,
                 gkm: GkmSVM | None = None) -> None:
        super().__init__()
        if predictor not in ("cnn", "kmer", "gkm", "ensemble"):
            raise ConfigError("predictor", f"must be cnn, kmer, gkm or ensemble, got {predictor!r}")
        if predictor in ("kmer", "ensemble") and kmer is None:
            raise ConfigError("predictor", f"predictor {predictor!r} needs a k-mer model")
        if predictor == "gkm" and gkm is None:
            raise ConfigError("predictor", "predictor 'gkm' needs a gkm-SVM")
        self.cnn, self.kmer, self.gkm, self.predictor = cnn, kmer, gkm, predictor

    @property
    def config(self) -> MotifCNNConfig:
        """The CNN's config (input length and task names of the whole classifier)."""
        return self.cnn.config

    def predict_proba(self, X: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Enhancer probability `(N, 1)` of one-hot `X (N, 4, L)`."""
        from sciml.enhancers.evaluate import predict_proba

        if self.predictor == "gkm":
            return self.gkm.predict_proba(X)[:, None]
        if self.predictor == "kmer":
            return self.kmer.predict_proba(X)[:, None]
        probs = predict_proba(self.cnn, X, batch_size=batch_size)
        if self.predictor == "ensemble":
            probs = (probs + self.kmer.predict_proba(X)[:, None]) / 2
        return probs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.as_tensor(self.predict_proba(x.detach().cpu().numpy()), device=x.device)

    def model_settings(self) -> dict[str, Any]:
        """What rebuilds this classifier (the `settings` of its model folder)."""
        return {"predictor": self.predictor, "cnn": self.cnn.config,
                "kmer": None if self.kmer is None else {"ks": list(self.kmer.ks)},
                "gkm": None if self.gkm is None else {"word": self.gkm.word, "informative": self.gkm.informative}}


MOTIF_CNN = "enhancers.motif_cnn"
MOTIF_CNN_ENSEMBLE = "enhancers.motif_cnn_ensemble"
KMER_LOGISTIC = "enhancers.kmer_logistic"
GKM_SVM = "enhancers.gkm_svm"
ENHANCER_CLASSIFIER = "enhancers.enhancer_classifier"


@register_model(MOTIF_CNN)
def _build_motif_cnn(settings: dict[str, Any], extra: dict[str, Any]) -> MotifCNN:
    return build_model(settings)


@register_model(MOTIF_CNN_ENSEMBLE)
def _build_ensemble(settings: dict[str, Any], extra: dict[str, Any]) -> MotifCNNEnsemble:
    return MotifCNNEnsemble([build_model(settings["cnn"]) for _ in range(settings["n_members"])])


@register_model(KMER_LOGISTIC)
def _build_kmer(settings: dict[str, Any], extra: dict[str, Any]) -> KmerLogistic:
    return KmerLogistic(tuple(settings["ks"]))


@register_model(GKM_SVM)
def _build_gkm(settings: dict[str, Any], extra: dict[str, Any]) -> GkmSVM:
    return GkmSVM(settings["word"], settings["informative"], **extra.get("gkm", {}))


@register_model(ENHANCER_CLASSIFIER)
def _build_classifier(settings: dict[str, Any], extra: dict[str, Any]) -> EnhancerClassifier:
    kmer = None if settings.get("kmer") is None else _build_kmer(settings["kmer"], extra)
    gkm = None if settings.get("gkm") is None else _build_gkm(settings["gkm"], extra)
    return EnhancerClassifier(build_model(settings["cnn"]), settings["predictor"], kmer, gkm)


def save_motif_cnn(directory: str | os.PathLike[str], model: MotifCNN | MotifCNNEnsemble,
                   metrics: Mapping[str, Any] | None = None) -> Path:
    """Write a motif CNN (kind `enhancers.motif_cnn`) or an ensemble of them
    (`enhancers.motif_cnn_ensemble`) as a model folder; `sciml.load_model` reads it back."""
    if isinstance(model, MotifCNNEnsemble):
        return save_model(directory, model, kind=MOTIF_CNN_ENSEMBLE, metrics=metrics,
                          settings={"cnn": model.config, "n_members": len(model.members)})
    return save_model(directory, model, kind=MOTIF_CNN, settings=model.config, metrics=metrics)


def save_classifier(directory: str | os.PathLike[str], model: EnhancerClassifier,
                    metrics: Mapping[str, Any] | None = None) -> Path:
    """Write an `EnhancerClassifier` as a model folder (kind `enhancers.enhancer_classifier`)."""
    extra: dict[str, Any] = {"length_policy": "centre crop / N pad"}
    if model.gkm is not None:
        extra["gkm"] = {"C": model.gkm.C, "inner_accuracy": model.gkm.inner_accuracy}
    return save_model(directory, model, kind=ENHANCER_CLASSIFIER, settings=model.model_settings(), extra=extra,
                      metrics=metrics)
