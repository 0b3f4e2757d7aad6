import pytest
import torch

from sciml.crystals.generate import generate
from sciml.crystals.models import load_model, save_potential
from sciml.crystals.training import train_potential
from sciml.train import FitConfig


@pytest.fixture(scope="module")
def tiny_metals():
    structures = generate("metals", 24, seed=11, max_atoms=4)
    return structures[:18], structures[18:]


def _train(kind, train, val, tmp_path, seed=0):
    hyper = ({"hidden": 16, "num_interactions": 1, "l_max": 1, "angular_channels": 4} if kind == "invariant"
             else {"l_max": 1, "channels": 4, "num_layers": 1, "radial_hidden": 8})
    config = FitConfig(max_epochs=6, batch_size=6, lr=5e-3, patience=6, seed=seed, device="cpu")
    return train_potential(kind, train, val, cutoff=4.0, hyper=hyper, fit_config=config, energy_weight=10.0,
                           out_dir=tmp_path)


@pytest.mark.parametrize("kind", ["invariant", "equivariant"])
def test_training_lowers_validation_force_error_and_round_trips(kind, tiny_metals, tmp_path):
    train, val = tiny_metals
    trained = _train(kind, train, val, tmp_path / "work")
    history = trained.result.history
    assert history[-1]["val_force_mae_mev_per_A"] < history[0]["val_force_mae_mev_per_A"]
    assert (tmp_path / "work" / "metrics.csv").is_file()
    assert trained.config["kind"] == kind and trained.config["elements"] == trained.potential.elements
    from sciml.crystals.graphs import atoms_to_graph, collate

    batch = collate([atoms_to_graph(a, 4.0) for a in val])
    before = trained.potential(batch)
    save_potential(tmp_path / "model", trained.potential, trained.config, {"n_train": len(train)})
    after = load_model(tmp_path / "model")(batch)
    torch.testing.assert_close(after.energy, before.energy)
    torch.testing.assert_close(after.forces, before.forces)


def test_same_seed_same_model(tiny_metals, tmp_path):
    train, val = tiny_metals
    a = _train("invariant", train[:12], val[:2], tmp_path / "a")
    b = _train("invariant", train[:12], val[:2], tmp_path / "b")
    for (name, x), (_, y) in zip(a.potential.state_dict().items(), b.potential.state_dict().items(), strict=True):
        assert torch.equal(x, y), name


def test_validation_elements_must_be_in_training_set(tiny_metals, tmp_path):
    from sciml.errors import ConfigError

    train, val = tiny_metals
    only_one = [a for a in train if len(set(a.get_chemical_symbols())) == 1][:2]
    symbols = set(only_one[0].get_chemical_symbols()) | set(only_one[1].get_chemical_symbols())
    foreign = [a for a in val + train if set(a.get_chemical_symbols()) - symbols]
    with pytest.raises(ConfigError, match="never occur"):
        _train("invariant", only_one, foreign[:1], tmp_path)
