import json

import pytest
import torch

from sciml.errors import InputError
from sciml.models import FORMAT_VERSION, load_model, read_model_config, register_model, save_model


class Scaled(torch.nn.Module):
    def __init__(self, n_in: int, n_out: int, temperature: float) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(n_in, n_out)
        self.register_buffer("shift", torch.zeros(n_out))
        self.temperature = temperature

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.linear(x) + self.shift) / self.temperature


@register_model("test.scaled")
def _build(settings, extra):
    return Scaled(settings["n_in"], settings["n_out"], extra["temperature"])


def test_round_trip_returns_the_same_module(tmp_path):
    torch.manual_seed(0)
    model = Scaled(3, 2, temperature=1.5)
    model.shift += 0.25
    folder = save_model(tmp_path / "m", model, kind="test.scaled", settings={"n_in": 3, "n_out": 2},
                        extra={"temperature": 1.5}, metrics={"acc": 0.9})
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "metrics.json", "model.safetensors"]
    loaded = load_model(folder)
    x = torch.randn(4, 3)
    assert isinstance(loaded, torch.nn.Module) and not loaded.training
    assert torch.equal(loaded(x), model(x))
    assert loaded.model_config.kind == "test.scaled" and loaded.model_config.format_version == FORMAT_VERSION


def test_bad_folders_are_named(tmp_path):
    with pytest.raises(InputError, match="config.json missing"):
        load_model(tmp_path)
    folder = save_model(tmp_path / "m", Scaled(3, 2, 1.0), kind="test.scaled", settings={"n_in": 3, "n_out": 2},
                        extra={"temperature": 1.0})
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "kind": "test.nope"}))
    with pytest.raises(InputError, match="unknown model kind 'test.nope'"):
        load_model(folder)
    (folder / "config.json").write_text(json.dumps({**config, "format_version": 0}))
    with pytest.raises(InputError, match="format 0 is not supported"):
        read_model_config(folder)
    (folder / "config.json").write_text(json.dumps({**config, "settings": {"n_in": 4, "n_out": 2}}))
    with pytest.raises(InputError, match="weights do not fit a 'test.scaled' model"):
        load_model(folder)


def test_kind_needs_a_domain():
    with pytest.raises(ValueError, match="<domain>.<name>"):
        register_model("plain")


def test_corrupt_weights_are_named(tmp_path):
    folder = save_model(tmp_path / "m", Scaled(3, 2, 1.0), kind="test.scaled", settings={"n_in": 3, "n_out": 2},
                        extra={"temperature": 1.0})
    (folder / "model.safetensors").write_bytes(b"\x00" * 7)
    with pytest.raises(InputError, match="model.safetensors.*not a readable safetensors file"):
        load_model(folder)
