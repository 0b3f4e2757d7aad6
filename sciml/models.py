"""Model folders: one format for every trained model, one loader.

A model folder holds

- `model.safetensors`: the weights (every tensor of the module's `state_dict`, buffers included);
- `config.json`: `kind` (the registry key, `<domain>.<name>`), `format_version`, `settings` (what
  rebuilds the architecture) and `extra` (declared non-tensor state: a temperature, the
  preprocessing a user's data must go through, the training data's range);
- `metrics.json` (optional): the model's evaluation.

`load_model(folder)` reads `kind`, imports the domain's `models` module (which registers its kinds
with `register_model`), rebuilds the module from `settings` and `extra`, and loads the weights
strictly. It always returns an `nn.Module`. Nothing is pickled.

Examples:
    >>> import torch
    >>> @register_model("demo.linear")
    ... def _build(settings, extra):
    ...     return torch.nn.Linear(settings["n_in"], settings["n_out"])
    >>> net = torch.nn.Linear(3, 2)
    >>> folder = save_model(tmp / "linear", net, kind="demo.linear", settings={"n_in": 3, "n_out": 2})  # doctest: +SKIP
    >>> load_model(folder)  # doctest: +SKIP
    Linear(in_features=3, out_features=2, bias=True)
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_model as _load_weights
from safetensors.torch import save_model as _save_weights

from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.settings import to_dict

FORMAT_VERSION = 1
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"

#: kind -> function(settings, extra) returning the (untrained) module of that kind.
Builder = Callable[[dict[str, Any], dict[str, Any]], torch.nn.Module]
_BUILDERS: dict[str, Builder] = {}

__all__ = [
    "CONFIG_FILE",
    "FORMAT_VERSION",
    "METRICS_FILE",
    "WEIGHTS_FILE",
    "ModelConfig",
    "load_model",
    "read_model_config",
    "register_model",
    "save_model",
]


@dataclass(frozen=True)
class ModelConfig:
    """The parsed `config.json` of a model folder.

    Attributes:
        kind: registry key, `<domain>.<name>` (e.g. `ecg.beatnet`).
        format_version: version of the folder layout; `FORMAT_VERSION` when written.
        settings: what rebuilds the architecture (a settings dataclass as a mapping).
        extra: declared non-tensor state used at inference (temperature, preprocessing, ...).
    """

    kind: str
    format_version: int
    settings: dict[str, Any]
    extra: dict[str, Any]


def register_model(kind: str) -> Callable[[Builder], Builder]:
    """Decorator registering a builder `function(settings, extra) -> nn.Module` under `kind`.

    Args:
        kind: `<domain>.<name>`; the domain part names the `sciml.<domain>.models` module that
            `load_model` imports to find the builder.

    Returns:
        A decorator that registers the builder and returns it unchanged.

    Raises:
        ValueError: `kind` has no `<domain>.` prefix.
    """
    if "." not in kind:
        raise ValueError(f"model kind must be '<domain>.<name>', got {kind!r}")

    def decorate(build: Builder) -> Builder:
        _BUILDERS[kind] = build
        return build

    return decorate


def save_model(
    directory: str | os.PathLike[str],
    model: torch.nn.Module,
    *,
    kind: str,
    settings: Any,
    extra: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
) -> Path:
    """Write a model folder atomically (a partial folder is never left behind).

    Args:
        directory: the folder to create or replace.
        model: the trained module; all of its `state_dict` goes to `model.safetensors`.
        kind: registry key of the builder that rebuilds `model`.
        settings: architecture settings (a dataclass or a mapping of JSON values).
        extra: declared non-tensor state used at inference.
        metrics: the model's evaluation, written to `metrics.json`.

    Returns:
        The folder path.
    """
    document = {
        "kind": kind,
        "format_version": FORMAT_VERSION,
        "settings": to_dict(settings),
        "extra": to_dict(dict(extra or {})),
    }
    with atomic_path(directory) as staged:
        staged.mkdir()
        _save_weights(model, str(staged / WEIGHTS_FILE))
        (staged / CONFIG_FILE).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        if metrics is not None:
            (staged / METRICS_FILE).write_text(json.dumps(to_dict(dict(metrics)), indent=2, sort_keys=True) + "\n")
    return Path(directory)


def read_model_config(directory: str | os.PathLike[str]) -> ModelConfig:
    """Parse and check a model folder's `config.json`.

    Args:
        directory: the model folder.

    Returns:
        Its kind, format version, settings and extra state.

    Raises:
        InputError: the folder is not a model folder, the JSON is malformed, a required key is
            missing, or the format version is not this sciml's.
    """
    path = Path(directory) / CONFIG_FILE
    if not path.is_file():
        raise InputError(directory, f"not a sciml model folder ({CONFIG_FILE} missing)")
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc}") from None
    missing = [k for k in ("kind", "format_version", "settings") if k not in document]
    if missing:
        raise InputError(path, f"not a sciml model config (missing {missing})")
    if document["format_version"] != FORMAT_VERSION:
        raise InputError(
            path, f"model folder format {document['format_version']} is not supported (this sciml reads "
            f"format {FORMAT_VERSION}); retrain the model with this version"
        )
    return ModelConfig(document["kind"], document["format_version"], document["settings"], document.get("extra", {}))


def _builder(kind: str, path: Path) -> Builder:
    if kind not in _BUILDERS:
        domain = kind.split(".", 1)[0]
        try:
            importlib.import_module(f"sciml.{domain}.models")
        except ModuleNotFoundError:
            pass
    if kind not in _BUILDERS:
        raise InputError(path, f"unknown model kind '{kind}' (known: {', '.join(sorted(_BUILDERS)) or 'none'})")
    return _BUILDERS[kind]


def load_model(directory: str | os.PathLike[str], device: str | torch.device = "cpu") -> torch.nn.Module:
    """Rebuild a saved model and load its weights.

    Args:
        directory: a folder written by `save_model`.
        device: where to put the model (`"cpu"`, `"cuda"`, a `torch.device`).

    Returns:
        The module in eval mode on `device`; its `config.json` is at `model.model_config`.

    Raises:
        InputError: not a model folder, an unknown kind, or weights that do not fit the rebuilt
            architecture (names the file and the mismatching tensors).
    """
    directory = Path(directory)
    config = read_model_config(directory)
    model = _builder(config.kind, directory / CONFIG_FILE)(config.settings, config.extra)
    weights = directory / WEIGHTS_FILE
    if not weights.is_file():
        raise InputError(directory, f"not a sciml model folder ({WEIGHTS_FILE} missing)")
    try:
        missing, unexpected = _load_weights(model, str(weights), strict=False, device=str(device))
    except RuntimeError as exc:  # shape mismatches surface here
        raise InputError(weights, f"weights do not fit a '{config.kind}' model: {exc}") from None
    except SafetensorError as exc:
        raise InputError(weights, f"not a readable safetensors file: {exc}") from None
    if missing or unexpected:
        raise InputError(weights, f"weights do not fit a '{config.kind}' model: missing {missing}, "
                         f"unexpected {unexpected}")
    model.model_config = config  # type: ignore[assignment]
    return model.to(device).eval()
