"""`FitConfig.validate_every`: validation every k epochs (and after the last), the rest unchanged."""

import pytest
import torch
from torch.utils.data import TensorDataset

from sciml.errors import ConfigError
from sciml.train import FitConfig, fit, seed_everything


def _problem() -> tuple[torch.nn.Module, TensorDataset, TensorDataset]:
    seed_everything(0)
    x = torch.randn(96, 5)
    y = (x @ torch.tensor([1.0, -2.0, 0.5, 0.0, 3.0]) + 0.1 * torch.randn(96)).unsqueeze(1)
    model = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    return model, TensorDataset(x[:64], y[:64]), TensorDataset(x[64:], y[64:])


def _mse(model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    x, y = batch
    return torch.nn.functional.mse_loss(model(x), y)


def _counting(calls: list[int]):
    def evaluate(model, loader):
        calls.append(1)
        return {"val_mae": float(torch.cat([(model(x) - y).abs() for x, y in loader]).mean())}
    return evaluate


def test_validates_every_k_epochs_and_after_the_last(tmp_path):
    model, train, val = _problem()
    calls: list[int] = []
    config = FitConfig(max_epochs=7, batch_size=16, lr=1e-2, patience=100, seed=1, device="cpu", validate_every=3)
    result = fit(model, train, _mse, config, val_set=val, evaluate_fn=_counting(calls), out_dir=tmp_path)
    validated = [row["epoch"] for row in result.history if "val_loss" in row]
    assert validated == [3, 6, 7] and len(calls) == 3
    assert result.best_epoch in validated
    assert result.best_value == min(result.history[e - 1]["val_loss"] for e in validated)
    header = (tmp_path / "metrics.csv").read_text().splitlines()[0]
    assert "val_loss" in header and "val_mae" in header


def test_same_weights_as_every_epoch_validation_when_the_last_epoch_is_best():
    """Validation does not touch the RNG or the weights: both runs train identically."""
    states = []
    for every in (1, 4):
        model, train, val = _problem()
        config = FitConfig(max_epochs=8, batch_size=16, lr=1e-2, patience=100, seed=2, device="cpu",
                           validate_every=every)
        result = fit(model, train, _mse, config, val_set=val)
        assert result.best_epoch == 8  # a steadily improving fit: the last epoch is the best
        states.append(model.state_dict())
    for key, value in states[0].items():
        assert torch.equal(value, states[1][key]), key


def test_patience_counts_validations():
    model, train, val = _problem()
    config = FitConfig(max_epochs=60, batch_size=16, lr=0.5, patience=2, seed=0, device="cpu", validate_every=2)
    result = fit(model, train, _mse, config, val_set=val)
    validated = [row for row in result.history if "val_loss" in row]
    assert result.stopped_early and result.epochs_run < 60
    assert result.epochs_run % 2 == 0  # stops only after a validation
    assert validated[-1]["val_loss"] >= result.best_value and validated[-2]["val_loss"] >= result.best_value


def test_default_digest_unchanged_and_bad_value():
    assert FitConfig().digest() == FitConfig(validate_every=1).digest() != FitConfig(validate_every=2).digest()
    with pytest.raises(ConfigError, match="validate_every"):
        FitConfig(validate_every=0)
