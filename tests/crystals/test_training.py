import pytest
import torch

from sciml.crystals.settings import TrainSettings
from sciml.crystals.synthetic import generate
from sciml.crystals.training import train_potential
from sciml.models import load_model
from sciml.settings import from_dict

TINY_INVARIANT = {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2}


def settings(epochs, batch_size=6, n_train=18, **values):
    """Settings training `epochs` epochs of `n_train` structures (the step budget of that many epochs)."""
    steps = epochs * -(-n_train // batch_size)
    base = {"steps": steps, "batch_size": batch_size, "validate_steps": None, "warmup_epochs": 0,
            "stress_weight": 0.0, "grad_clip_norm": 1e9, "invariant": TINY_INVARIANT}
    return from_dict(TrainSettings, {**base, **values})


@pytest.fixture(scope="module")
def tiny_metals():
    structures = generate("metals", 24, seed=11, max_atoms=4)
    return structures[:18], structures[18:]


def _train(kind, train, val, tmp_path, seed=0):
    network = ({"hidden": 16, "num_interactions": 1, "l_max": 1, "angular_channels": 4} if kind == "invariant"
               else {"l_max": 1, "channels": 4, "num_layers": 1, "radial_hidden": 8})
    config = settings(6, n_train=len(train), model=kind, lr=5e-3, seed=seed, cutoff=4.0, energy_weight=10.0,
                      **{kind: network})
    return train_potential(train, val, config, device="cpu", out_dir=tmp_path)


@pytest.mark.parametrize("kind", ["invariant", "equivariant"])
def test_training_lowers_validation_force_error_and_round_trips(kind, tiny_metals, tmp_path):
    train, val = tiny_metals
    trained = _train(kind, train, val, tmp_path / "work")
    history = trained.result.history
    assert history[-1]["val_force_mae_mev_per_A"] < history[0]["val_force_mae_mev_per_A"]
    assert (tmp_path / "work" / "metrics.csv").is_file()
    assert trained.settings.model == kind and trained.settings.n_train == len(train)
    from sciml.crystals.graphs import atoms_to_graph, collate

    batch = collate([atoms_to_graph(a, 4.0) for a in val])
    before = trained.potential(batch)
    trained.save(tmp_path / "model", {"n_train": len(train)})
    loaded = load_model(tmp_path / "model")
    assert loaded.model_config.kind == f"crystals.{kind}" and loaded.elements == trained.potential.elements
    after = loaded(batch)
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


def test_stress_loss_fits_the_stresses_of_a_batch(tiny_metals):
    """Gradient steps on the stress term alone bring the predicted stresses towards the labels."""
    from sciml.crystals.graphs import atoms_to_graph, collate
    from sciml.crystals.models import build_potential
    from sciml.crystals.training import energy_force_loss

    train, _ = tiny_metals
    batch = collate([atoms_to_graph(a, 4.0, stress=True) for a in train[:6]])
    elements = sorted({s for a in train for s in a.get_chemical_symbols()})
    torch.manual_seed(0)
    potential = build_potential("invariant", elements, [0.0] * len(elements), 0.5, 4.0, 10.0,
                                {"hidden": 16, "num_interactions": 1, "l_max": 1, "angular_channels": 4}).train()
    optimizer = torch.optim.Adam(potential.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        optimizer.zero_grad()
        loss = energy_force_loss(potential, batch, energy_weight=0.0, force_weight=0.0, stress_weight=1.0)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    assert losses[-1] < 0.2 * losses[0]


def test_warmup_epochs_start_below_the_learning_rate(tiny_metals):
    train, val = tiny_metals
    config = settings(3, lr=1e-2, cutoff=4.0, warmup_epochs=1)
    trained = train_potential(train, val, config, device="cpu")
    assert [row["lr"] for row in trained.result.history][:2] == pytest.approx([5e-3, 1e-2])


def test_stress_weight_needs_stress_labels(tiny_metals, tmp_path):
    from ase.calculators.singlepoint import SinglePointCalculator

    from sciml.errors import ConfigError

    train, val = tiny_metals
    stripped = train[3].copy()
    stripped.calc = SinglePointCalculator(stripped, energy=train[3].get_potential_energy(),
                                          forces=train[3].get_forces())
    config = settings(1, cutoff=4.0, stress_weight=1.0)
    with pytest.raises(ConfigError, match="index 3"):
        train_potential(train[:3] + [stripped] + train[4:], val, config, device="cpu")


def test_warmup_cosine_schedule():
    from sciml.crystals.training import warmup_cosine

    def learning_rates(warmup_epochs):
        optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-2)
        scheduler = warmup_cosine(optimizer, 10, warmup_epochs, 0.01)
        rates = []
        for _ in range(11):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        return rates

    rates = learning_rates(2)
    assert rates[:3] == pytest.approx([1e-2 / 3, 2e-2 / 3, 1e-2])
    assert rates[6] == pytest.approx(1e-4 + (1e-2 - 1e-4) * 0.5)  # half-way through the cosine
    assert rates[10] == pytest.approx(1e-4)
    assert all(rates[e] > rates[e + 1] for e in range(2, 10))
    assert learning_rates(0)[0] == 1e-2


def test_validation_errors_of_an_empty_loader_are_a_config_error(tiny_metals):
    from torch.utils.data import DataLoader

    from sciml.crystals.graphs import collate
    from sciml.crystals.models import build_potential
    from sciml.crystals.training import energy_force_errors
    from sciml.errors import ConfigError

    potential = build_potential("invariant", ["Cu"], [0.0], 1.0, 4.0, 10.0,
                                {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2})
    with pytest.raises(ConfigError, match="validation set is empty"):
        energy_force_errors(potential, DataLoader([], batch_size=4, collate_fn=collate))


def test_epochs_for_steps_gives_small_sets_as_many_updates():
    from sciml.crystals.training import epochs_for_steps
    from sciml.errors import ConfigError

    assert epochs_for_steps(3750, 1000, 8) == 30  # 125 batches per epoch
    assert epochs_for_steps(3750, 100, 8) == 289  # 13 batches per epoch
    assert epochs_for_steps(5, 100, 8) == 1
    with pytest.raises(ConfigError, match="steps"):
        epochs_for_steps(0, 100, 8)


def test_validation_interval_spaces_validations_by_steps():
    from sciml.crystals.training import validation_interval
    from sciml.errors import ConfigError

    assert validation_interval(125, 1000, 8) == 1  # 125 batches per epoch: every epoch
    assert validation_interval(125, 300, 8) == 3  # 38 batches per epoch
    assert validation_interval(125, 100, 8) == 10  # 13 batches per epoch
    assert validation_interval(1, 100, 8) == 1
    with pytest.raises(ConfigError, match="validate_steps"):
        validation_interval(0, 100, 8)


def test_stage_two_start():
    from sciml.crystals.training import stage_two_start
    from sciml.errors import ConfigError

    assert stage_two_start(30, 0.2) == 25  # epochs 25..30 are the last 20 %
    assert stage_two_start(30, 0.0) == 31  # no stage two
    with pytest.raises(ConfigError, match="stage_two_fraction"):
        stage_two_start(30, 1.0)
    with pytest.raises(ConfigError, match="stage_two_energy_weight"):
        TrainSettings(stage_two_fraction=0.2)


def test_stage_two_raises_the_energy_weight_of_the_final_epochs_only(tiny_metals):
    """Training losses agree with a plain run before stage two and differ in it; every validation loss
    is measured with the stage-two energy weight (one objective for choosing the best epoch)."""
    from torch.utils.data import DataLoader

    from sciml.crystals.graphs import atoms_to_graph, collate
    from sciml.crystals.training import energy_force_loss
    from sciml.train import mean_loss

    train, val = tiny_metals
    def run(**stage_two):
        config = settings(4, lr=5e-3, cutoff=4.0, energy_weight=10.0, **stage_two)
        return train_potential(train, val, config, device="cpu")

    plain = run()
    staged = run(stage_two_fraction=0.5, stage_two_energy_weight=100.0)
    train_losses = [[row["train_loss"] for row in t.result.history] for t in (plain, staged)]
    assert train_losses[0][:2] == train_losses[1][:2]  # epochs 1-2: weight 10 in both runs
    assert train_losses[0][2] != train_losses[1][2]  # epoch 3 starts stage two
    loader = DataLoader([atoms_to_graph(a, 4.0) for a in val], batch_size=6, collate_fn=collate)
    best = staged.result.history[staged.result.best_epoch - 1]["val_loss"]
    expected = mean_loss(staged.potential, loader, lambda m, b: energy_force_loss(m, b, 100.0, 1.0), torch.device("cpu"))
    assert best == pytest.approx(expected, rel=1e-5)


def test_fit_config_turns_the_step_budget_into_epochs():
    from sciml.crystals.training import fit_config

    config = fit_config(TrainSettings(), 1000, "cpu")  # the default run: 3,750 steps of 8 structures
    assert (config.max_epochs, config.patience, config.validate_every, config.lr) == (30, 30, 1, 0.01)
    assert config.grad_clip_norm == 10.0 and config.batch_size == 8
    assert fit_config(TrainSettings(steps=1200), 100, "cpu").validate_every == 10


def test_n_train_takes_the_first_structures(tiny_metals):
    from sciml.crystals.training import select_training
    from sciml.errors import ConfigError

    train, _ = tiny_metals
    assert select_training(train, 5) == train[:5] and select_training(train, None) == train
    with pytest.raises(ConfigError, match="19 training structures requested"):
        select_training(train, 19)
