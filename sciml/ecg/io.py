"""Saved beat classifiers: architecture, preprocessing and calibration beside safetensors weights."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from sciml.ecg.beats import FEATURE_VERSION, BeatSet
from sciml.ecg.models import BeatNet, BeatNetConfig
from sciml.ecg.records import DEFAULT_LEADS
from sciml.errors import InputError
from sciml.train.checkpoint import load_weights, read_model_config, save_model_dir

KIND = "sciml.ecg.BeatNet"


@dataclass
class Preprocessing:
    """How records were turned into model inputs; a record is processed the same way at prediction."""

    fs: float = 180.0
    before_s: float = 0.3
    after_s: float = 0.5
    leads: list[str] = field(default_factory=lambda: list(DEFAULT_LEADS))
    band_hz: list[float] = field(default_factory=lambda: [0.5, 40.0])
    max_flat_s: float = 2.0
    feature_version: int = FEATURE_VERSION


def require_current_features(source: str | os.PathLike[str], stored: dict[str, Any]) -> None:
    """Raise `InputError` naming `source` when its preprocessing settings `stored` (beat-set meta or a
    model's config) were made with another beat-feature version than this code computes."""
    version = stored.get("feature_version", 1)
    if version != FEATURE_VERSION:
        raise InputError(source, f"made with beat-feature version {version}, this sciml computes version "
                                 f"{FEATURE_VERSION}: rerun `sciml ecg preprocess` (and retrain)")


def load_current_beats(path: str | os.PathLike[str]) -> BeatSet:
    """`BeatSet.load` of a file written by `sciml ecg preprocess` with the current beat features."""
    beats = BeatSet.load(path)
    require_current_features(path, beats.meta)
    return beats


def save_classifier(
    directory: str | os.PathLike[str], model: BeatNet, preprocessing: Preprocessing, *,
    temperature: float = 1.0, extra: dict[str, Any] | None = None, metrics: dict[str, Any] | None = None,
) -> Path:
    """Write `model` (weights, architecture, preprocessing, softmax temperature) to `directory` atomically."""
    config = {"kind": KIND, "architecture": model.config.to_dict(), "preprocessing": asdict(preprocessing),
              "temperature": float(temperature), **(extra or {})}
    return save_model_dir(directory, model.cpu(), config, metrics)


def load_model(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> BeatNet:
    """Load a saved beat classifier in eval mode.

    The returned model carries `.preprocessing` (Preprocessing), `.temperature` (float) and
    `.saved_config` (the whole config.json).
    """
    config = read_model_config(path)
    if config.get("kind") != KIND:
        raise InputError(Path(path) / "config.json", f"not an ECG beat classifier (kind {config.get('kind')!r})")
    require_current_features(Path(path) / "config.json", config.get("preprocessing", {}))
    try:
        model = BeatNet(BeatNetConfig(**config["architecture"]))
        preprocessing = Preprocessing(**config["preprocessing"])
        temperature = float(config["temperature"])
    except (KeyError, TypeError) as exc:
        raise InputError(Path(path) / "config.json", f"incomplete model config: {exc}") from None
    load_weights(model, path, device)
    model.preprocessing = preprocessing
    model.temperature = temperature
    model.saved_config = config
    return model.eval()
