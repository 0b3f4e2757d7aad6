"""Compression: distillation into a small student, int8 post-training quantization, inference re-parametrisation,
size and latency."""

from __future__ import annotations

import contextlib
import copy
import os
import time
import warnings
from collections.abc import Iterator

import numpy as np
import torch
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.utils.data import TensorDataset

from sciml.ecg.beats import BeatSet, r_peak_index
from sciml.ecg.models import RR_CLIP, BeatNet
from sciml.ecg.settings import KnowledgeDistillation
from sciml.ecg.training import augment as augment_waves
from sciml.ecg.training import beat_dataset, fit_config, predict_logits, training_beats, val_macro_f1
from sciml.nn.conv import DepthwiseSeparableConv
from sciml.train.device import select_device
from sciml.train.fit import FitResult, fit
from sciml.train.losses import balanced_class_weights, distillation_loss


def distill(
    student: BeatNet,
    teacher: BeatNet,
    train: BeatSet,
    val: BeatSet,
    settings: KnowledgeDistillation,
    *,
    device: str = "auto",
    out_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
) -> FitResult:
    """Knowledge distillation (Hinton et al. 2015) of `teacher` into `student` with `sciml.train.fit`.

    The teacher is frozen in eval mode; each training batch's soft targets are computed on the same
    augmented waveforms the student sees; its logits of the validation beats are computed once. Early
    stopping on `settings.monitor`. The synthetic training beats of `settings.data` are added as in
    `train_beat_classifier`.

    Args:
        student: an initialised `BeatNet`, or a pruned one (`pruning.prune_beatnet`) to fine-tune.
        teacher: the trained teacher.
        train: labelled training beats.
        val: labelled validation beats (other records).
        settings: the run settings (`kd_temperature`, `kd_alpha`, ...).
        device: where to train.
        out_dir: checkpoint and `metrics.csv` folder.
        resume: continue from `out_dir`'s checkpoint when it matches this run.

    Returns:
        The `sciml.train.FitResult`.
    """
    config = fit_config(settings, device)
    temperature, alpha = settings.kd_temperature, settings.kd_alpha
    train = training_beats(train, settings.data, config.seed)
    target = select_device(device)
    teacher = teacher.eval().to(target)
    for p in teacher.parameters():
        p.requires_grad_(False)
    weight = balanced_class_weights(train.label, student.config.n_classes, power=settings.data.class_weight_power)
    student.set_rr_scaling(train.rr)
    r_index = r_peak_index(train)
    val_set = TensorDataset(*beat_dataset(val).tensors,
                            torch.as_tensor(predict_logits(teacher, val, device=target)))

    def loss_fn(net: torch.nn.Module, batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
        if not net.training:  # validation beats, with the teacher's logits
            waves, rr, label, soft = batch
            return distillation_loss(net(waves, rr), soft, label, temperature, alpha, weight.to(waves.device))
        waves, rr, label = batch
        waves = augment_waves(waves, settings.augmentation, r_index)
        with torch.no_grad():
            soft = teacher(waves, rr)
        return distillation_loss(net(waves, rr), soft, label, temperature, alpha, weight.to(waves.device))

    return fit(student, beat_dataset(train), loss_fn, config, val_set=val_set, evaluate_fn=val_macro_f1,
               out_dir=out_dir, resume=resume)


@contextlib.contextmanager
def _quantized_kernels_allowed() -> Iterator[None]:
    """Quantized CPU kernels have no 'deterministic' flag (they are deterministic on CPU, but torch
    warns once per call when `use_deterministic_algorithms` is on): switch the check off meanwhile."""
    enabled = torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(False)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(enabled, warn_only=warn_only)


class _Forward(torch.nn.Module):
    """Two-input wrapper so FX quantization traces `BeatNet.forward` with its RR standardisation."""

    def __init__(self, net: BeatNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, waves: torch.Tensor, rr: torch.Tensor) -> torch.Tensor:
        return self.net(waves, rr)


def quantize_int8(model: BeatNet, calibration: BeatSet, n_calibration: int = 2048, seed: int = 0) -> torch.nn.Module:
    """Static int8 post-training quantization (torch.ao FX graph mode, x86 backend) of a trained model.

    Observers are calibrated on `n_calibration` beats drawn (seeded) from `calibration`.
    Convolutions and linear layers (squeeze-excitation's included) become int8; GELU runs in
    float between them (dequantize -> op -> quantize).
    Returns a CPU module with the same call signature `(waves, rr) -> logits`.
    """
    import warnings

    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    float_model = _Forward(copy.deepcopy(model).cpu().eval())
    pick = np.sort(np.random.default_rng(seed).choice(len(calibration), min(n_calibration, len(calibration)),
                                                      replace=False))
    waves = torch.as_tensor(calibration.waves[pick])
    rr = torch.as_tensor(calibration.rr[pick])
    with warnings.catch_warnings(), _quantized_kernels_allowed():
        warnings.simplefilter("ignore", (DeprecationWarning, UserWarning))
        torch.backends.quantized.engine = "x86"
        prepared = prepare_fx(float_model, get_default_qconfig_mapping("x86"), example_inputs=(waves[:2], rr[:2]))
        with torch.no_grad():
            for start in range(0, len(waves), 256):
                prepared(waves[start:start + 256], rr[start:start + 256])
        return convert_fx(prepared)


def model_size_bytes(model: torch.nn.Module) -> int:
    """Bytes of all weights and buffers in the state dict (int8 tensors count 1 byte per element)."""
    total = 0
    for value in model.state_dict().values():
        if isinstance(value, torch.Tensor):
            total += value.numel() * value.element_size()
        elif isinstance(value, tuple):  # packed params of quantized modules: (weight, bias)
            total += sum(v.numel() * v.element_size() for v in value if isinstance(v, torch.Tensor))
    return total


@torch.no_grad()
def latencies_ms_per_beat(models: dict[str, torch.nn.Module], beats: BeatSet, batch_size: int,
                          repeats: int = 50) -> dict[str, float]:
    """Best-of-`repeats` CPU wall time per beat in ms of each `model(waves, rr)` at `batch_size`.

    The models run in turn within each repeat, so a burst of load from other processes hits all
    of them alike and their ratios stay fair; the minimum, not the median, because other processes
    only ever add time (the fastest repeat estimates the model's own cost, as `timeit` advises).
    """
    waves = torch.as_tensor(beats.waves[:batch_size])
    rr = torch.as_tensor(beats.rr[:batch_size])
    best = dict.fromkeys(models, float("inf"))
    with _quantized_kernels_allowed():
        for model in models.values():
            model.eval()(waves, rr)
        for _ in range(repeats):
            for name, model in models.items():
                start = time.perf_counter()
                model(waves, rr)
                best[name] = min(best[name], time.perf_counter() - start)
    return {name: seconds * 1e3 / len(waves) for name, seconds in best.items()}


def latency_ms_per_beat(model: torch.nn.Module, beats: BeatSet, batch_size: int, repeats: int = 50) -> float:
    """Best-of-`repeats` CPU wall time per beat in ms of one model (see `latencies_ms_per_beat`)."""
    return latencies_ms_per_beat({"model": model}, beats, batch_size, repeats)["model"]


def _dense_kernel(conv: torch.nn.Module) -> torch.nn.Conv1d:
    """A plain Conv1d computing the same as `conv` (a Conv1d or a `DepthwiseSeparableConv`).

    A separable pair multiplies out exactly: W[o, i, k] = pointwise[o, i] * depthwise[i, k].
    """
    if isinstance(conv, torch.nn.Conv1d):
        return copy.deepcopy(conv)
    dw, pw = conv.depthwise, conv.pointwise
    dense = torch.nn.Conv1d(dw.in_channels, pw.out_channels, dw.kernel_size[0], stride=dw.stride,
                            padding=dw.padding, dilation=dw.dilation, bias=pw.bias is not None)
    with torch.no_grad():
        dense.weight.copy_(pw.weight[:, :, 0, None] * dw.weight[:, 0, None, :].transpose(0, 1))
        if pw.bias is not None:
            dense.bias.copy_(pw.bias)
    return dense


def _fuse_sequence(layers: list[torch.nn.Module]) -> list[torch.nn.Module]:
    """Convolutions made dense and merged with a following BatchNorm; Dropout (identity in eval) removed."""
    out: list[torch.nn.Module] = []
    for layer in layers:
        if isinstance(layer, torch.nn.Dropout):
            continue
        if isinstance(layer, torch.nn.BatchNorm1d) and out and isinstance(out[-1], torch.nn.Conv1d):
            out[-1] = fuse_conv_bn_eval(out[-1].eval(), layer.eval())
        elif isinstance(layer, torch.nn.Conv1d | DepthwiseSeparableConv):
            out.append(_dense_kernel(layer))
        else:
            out.append(copy.deepcopy(layer))
    return out


class InferenceBeatNet(torch.nn.Module):
    """A `BeatNet` re-parametrised for CPU inference with fewer operations per forward (same outputs).

    BatchNorm after a convolution is folded into it, a depthwise-separable pair becomes one dense
    kernel, Dropout is dropped and the RR standardisation (and selection) is folded into the first RR layer
    (clipping moves to the raw features). Batch-1 latency on CPU is dominated by the per-operation
    overhead, not by arithmetic, so this is what a deployed model would run; parameters (size) and
    logits are those of the trained model. Shapes: waves (N, C, L), rr (N, F) -> logits (N, K).
    """

    def __init__(self, model: BeatNet) -> None:
        super().__init__()
        model = model.eval()
        self.stem = torch.nn.Sequential(*_fuse_sequence(list(model.stem)))
        self.branches = torch.nn.ModuleList(
            torch.nn.Sequential(*_fuse_sequence(list(block.branch))) for block in model.blocks)
        first, act = model.rr_net[0], model.rr_net[1]
        rr_layer = torch.nn.Linear(first.in_features, first.out_features)
        with torch.no_grad():
            scale = model.rr_used / model.rr_std
            rr_layer.weight.copy_(first.weight * scale)
            rr_layer.bias.copy_(first.bias - (first.weight * (model.rr_mean * scale)).sum(dim=1))
        self.rr_layer, self.rr_act = rr_layer, copy.deepcopy(act)
        self.register_buffer("rr_low", (model.rr_mean - RR_CLIP * model.rr_std).clone())
        self.register_buffer("rr_high", (model.rr_mean + RR_CLIP * model.rr_std).clone())
        self.embedding = torch.nn.Sequential(*_fuse_sequence(list(model.embedding)))
        self.head = copy.deepcopy(model.head)
        self.eval()

    def forward(self, waves: torch.Tensor, rr: torch.Tensor) -> torch.Tensor:
        h = self.stem(waves)
        for branch in self.branches:
            h = h + branch(h)
        pooled = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        rr_h = self.rr_act(self.rr_layer(torch.clamp(rr, self.rr_low, self.rr_high)))
        return self.head(self.embedding(torch.cat([pooled, rr_h], dim=1)))


@torch.no_grad()
def deployed_model(model: BeatNet) -> torch.jit.ScriptModule:
    """The CPU inference form of a float `BeatNet`: `InferenceBeatNet`, traced and frozen by TorchScript.

    Freezing inlines the weights and removes the Python dispatch of every module call, which is most of
    the batch-1 cost of these small networks; the logits are those of the trained model. TorchScript is
    deprecated in torch 2.13 (it still works); `torch.compile` is the successor but compiles for tens of
    seconds per model and batch size, more than this whole evaluation. Shapes: waves (N, C, L), rr (N, F)
    -> logits (N, K), any N.
    """
    fused = InferenceBeatNet(model)
    example = (torch.zeros(2, model.config.in_channels, model.config.window), torch.zeros(2, model.config.n_rr))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.jit.freeze(torch.jit.trace(fused, example))
