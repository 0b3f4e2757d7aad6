import json

import pytest

from sciml.crystals.models import build_potential, load_model, network_settings
from sciml.crystals.settings import EquivariantSettings
from sciml.errors import ConfigError, InputError


def test_unknown_model_kind_and_bad_settings():
    with pytest.raises(ConfigError, match="unknown model"):
        build_potential("transformer", ["Cu"], [0.0], 1.0, 4.0, 10.0, {})
    with pytest.raises(ConfigError, match="crystals.invariant.depth"):
        build_potential("invariant", ["Cu"], [0.0], 1.0, 4.0, 10.0, {"depth": 3})


def test_network_settings_take_the_settings_defaults():
    assert network_settings("equivariant", {"l_max": 2}) == EquivariantSettings(l_max=2)
    assert network_settings("equivariant", None) == EquivariantSettings()


def test_load_model_rejects_foreign_directories(tmp_path):
    with pytest.raises(InputError, match="config.json missing"):
        load_model(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"kind": "crystals.invariant"}))
    with pytest.raises(InputError, match="not a sciml model config"):
        load_model(tmp_path)


def test_top_level_load_model_returns_the_potential(tmp_path, cu_alloy):
    import torch

    import sciml
    from sciml.crystals.graphs import atoms_to_graph
    from sciml.crystals.models import save_potential
    from sciml.crystals.potential import Potential

    torch.manual_seed(0)
    network = EquivariantSettings(channels=2, num_layers=1, radial_hidden=4)
    potential = build_potential("equivariant", ["Au", "Cu"], [-3.0, -3.5], 0.5, 4.0, 20.0, network).eval()
    save_potential(tmp_path / "m", potential, "equivariant", network, 20.0)
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["kind"] == "crystals.equivariant" and config["extra"]["elements"] == ["Au", "Cu"]
    loaded = sciml.load_model(tmp_path / "m")
    assert isinstance(loaded, Potential) and not loaded.training
    graph = atoms_to_graph(cu_alloy, 4.0)
    torch.testing.assert_close(loaded(graph).energy, potential(graph).energy)
