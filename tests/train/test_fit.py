import os
import signal

import pytest
import torch
from torch.utils.data import TensorDataset

from sciml.errors import ConfigError, TrainingInterrupted
from sciml.train import FitConfig, fit, seed_everything


def _problem(rng_after: int = 0) -> tuple[torch.nn.Module, TensorDataset, TensorDataset]:
    """The same data and initial model every time; the global RNG is left seeded by `rng_after`."""
    seed_everything(0)
    x = torch.randn(96, 5)
    y = (x @ torch.tensor([1.0, -2.0, 0.5, 0.0, 3.0]) + 0.1 * torch.randn(96)).unsqueeze(1)
    model = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(16, 1))
    seed_everything(rng_after)
    return model, TensorDataset(x[:64], y[:64]), TensorDataset(x[64:], y[64:])


def _mse(model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    x, y = batch
    noisy = x + 0.01 * torch.randn_like(x)  # augmentation drawing from the global RNG
    return torch.nn.functional.mse_loss(model(noisy), y)


CONFIG = FitConfig(max_epochs=8, batch_size=16, lr=1e-2, patience=100, grad_clip_norm=1.0, seed=3, device="cpu")


def _scheduler(optimizer: torch.optim.Optimizer) -> torch.optim.lr_scheduler.LRScheduler:
    return torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)


def test_training_reduces_validation_loss(tmp_path):
    model, train, val = _problem()
    result = fit(model, train, _mse, CONFIG, val_set=val, out_dir=tmp_path)
    assert result.epochs_run == 8
    assert result.history[-1]["val_loss"] < 0.5 * result.history[0]["val_loss"]
    lines = (tmp_path / "metrics.csv").read_text().splitlines()
    assert lines[0].startswith("epoch,train_loss,val_loss") and len(lines) == 9


def test_resume_after_interruption_gives_identical_weights(tmp_path):
    model, train, val = _problem()
    fit(model, train, _mse, CONFIG, val_set=val, out_dir=tmp_path / "straight", scheduler_fn=_scheduler)
    reference = {k: v.clone() for k, v in model.state_dict().items()}

    model, train, val = _problem()
    calls = {"n": 0}

    def crashing_loss(m, batch):
        calls["n"] += 1
        if calls["n"] == 4 * 6 + 2:  # inside epoch 5 (4 training + 2 validation calls per epoch)
            raise RuntimeError("node died")
        return _mse(m, batch)

    with pytest.raises(RuntimeError, match="node died"):
        fit(model, train, crashing_loss, CONFIG, val_set=val, out_dir=tmp_path / "resumed", scheduler_fn=_scheduler)

    model, train, val = _problem(rng_after=99)  # a fresh process would not share RNG state either
    result = fit(model, train, _mse, CONFIG, val_set=val, out_dir=tmp_path / "resumed", resume=True,
                 scheduler_fn=_scheduler)
    assert result.epochs_run == 8
    for key, value in model.state_dict().items():
        assert torch.equal(value, reference[key]), key


class _RunningScaleLoss:
    """A loss with running state (like adaptive task weights): MSE scaled by a running mean of past losses."""

    def __init__(self, crash_at: int | None = None) -> None:
        self.running: torch.Tensor | None = None
        self.calls, self.crash_at = 0, crash_at

    def state_dict(self) -> dict[str, torch.Tensor | None]:
        return {"running": self.running}

    def load_state_dict(self, state: dict[str, torch.Tensor | None]) -> None:
        self.running = state["running"]

    def __call__(self, model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        self.calls += 1
        if self.calls == self.crash_at:
            raise RuntimeError("node died")
        loss = _mse(model, batch)
        if model.training:
            value = loss.detach()
            self.running = value if self.running is None else 0.9 * self.running + 0.1 * value
        return loss / (1.0 + self.running)


def test_resume_restores_the_state_of_a_stateful_loss(tmp_path):
    model, train, val = _problem()
    straight_loss = _RunningScaleLoss()
    fit(model, train, straight_loss, CONFIG, val_set=val, out_dir=tmp_path / "straight")
    reference = {k: v.clone() for k, v in model.state_dict().items()}

    model, train, val = _problem()
    with pytest.raises(RuntimeError, match="node died"):
        fit(model, train, _RunningScaleLoss(crash_at=4 * 6 + 2), CONFIG, val_set=val, out_dir=tmp_path / "resumed")

    model, train, val = _problem(rng_after=99)
    resumed_loss = _RunningScaleLoss()  # a fresh process starts with no running state
    result = fit(model, train, resumed_loss, CONFIG, val_set=val, out_dir=tmp_path / "resumed", resume=True)
    assert result.epochs_run == 8
    assert torch.equal(resumed_loss.running, straight_loss.running)
    for key, value in model.state_dict().items():
        assert torch.equal(value, reference[key]), key


def test_sigterm_checkpoints_and_resumes(tmp_path):
    model, train, val = _problem()
    fit(model, train, _mse, CONFIG, val_set=val)
    reference = {k: v.clone() for k, v in model.state_dict().items()}

    model, train, val = _problem()
    calls = {"n": 0}

    def terminated_loss(m, batch):
        calls["n"] += 1
        if calls["n"] == 10:
            os.kill(os.getpid(), signal.SIGTERM)
        return _mse(m, batch)

    with pytest.raises(TrainingInterrupted, match="epoch 2"):
        fit(model, train, terminated_loss, CONFIG, val_set=val, out_dir=tmp_path)
    assert signal.getsignal(signal.SIGTERM) is not None
    model, train, val = _problem(rng_after=5)
    fit(model, train, _mse, CONFIG, val_set=val, out_dir=tmp_path, resume=True)
    for key, value in model.state_dict().items():
        assert torch.equal(value, reference[key]), key


def test_early_stopping_keeps_best_weights(tmp_path):
    model, train, val = _problem()
    config = FitConfig(max_epochs=50, batch_size=16, lr=0.5, patience=2, seed=0, device="cpu")
    result = fit(model, train, _mse, config, val_set=val)
    assert result.stopped_early and result.epochs_run < 50
    best = min(row["val_loss"] for row in result.history)
    assert result.best_value == best
    assert result.history[result.best_epoch - 1]["val_loss"] == best


def test_evaluate_fn_metric_can_be_monitored():
    model, train, val = _problem()

    def evaluate(m, loader):
        errors = [(m(x) - y).abs().mean() for x, y in loader]
        return {"val_mae": float(torch.stack(errors).mean())}

    config = FitConfig(max_epochs=3, batch_size=16, monitor="val_mae", mode="min", device="cpu")
    result = fit(model, train, _mse, config, val_set=val, evaluate_fn=evaluate)
    assert all("val_mae" in row for row in result.history)


def test_unknown_monitor_and_bad_values_are_config_errors():
    model, train, val = _problem()
    with pytest.raises(ConfigError, match="val_auroc"):
        fit(model, train, _mse, FitConfig(max_epochs=1, monitor="val_auroc", device="cpu"), val_set=val)
    with pytest.raises(ConfigError, match="train.mode"):
        FitConfig(mode="maximum")
    with pytest.raises(ConfigError, match="batch_size"):
        FitConfig(batch_size=0)


def test_checkpoint_of_another_run_is_ignored(tmp_path, caplog):
    model, train, val = _problem()
    fit(model, train, _mse, FitConfig(max_epochs=1, device="cpu"), val_set=val, out_dir=tmp_path)
    other = FitConfig(max_epochs=2, lr=0.1, device="cpu")
    model, train, val = _problem()
    fresh = fit(model, train, _mse, other, val_set=val, out_dir=tmp_path / "fresh")
    fresh_state = {k: v.clone() for k, v in model.state_dict().items()}
    model, train, val = _problem()
    resumed = fit(model, train, _mse, other, val_set=val, out_dir=tmp_path, resume=True)
    assert "written by another run" in caplog.text
    assert resumed.epochs_run == fresh.epochs_run == 2
    assert all(torch.equal(v, fresh_state[k]) for k, v in model.state_dict().items())


def test_finished_run_resumes_without_training_from_its_own_checkpoint_dir(tmp_path):
    model, train, val = _problem()
    first = fit(model, train, _mse, CONFIG, val_set=val, out_dir=tmp_path / "log", checkpoint_dir=tmp_path / "ckpt")
    assert (tmp_path / "ckpt").is_dir() and not (tmp_path / "log" / "checkpoint").exists()
    best = {k: v.clone() for k, v in model.state_dict().items()}
    model, train, val = _problem()

    def no_training(m, batch):
        raise AssertionError("a finished run must not train again")

    again = fit(model, train, no_training, CONFIG, val_set=val, out_dir=tmp_path / "log",
                checkpoint_dir=tmp_path / "ckpt", resume=True)
    assert again.best_epoch == first.best_epoch
    assert all(torch.equal(v, best[k]) for k, v in model.state_dict().items())


def test_checkpoint_of_other_data_of_the_same_size_is_ignored(tmp_path, caplog):
    model, train, val = _problem()
    config = FitConfig(max_epochs=2, batch_size=16, device="cpu")
    fit(model, train, _mse, config, val_set=val, out_dir=tmp_path)
    regenerated = TensorDataset(train.tensors[0] + 1.0, train.tensors[1])
    model, _, _ = _problem()
    result = fit(model, regenerated, _mse, config, val_set=val, out_dir=tmp_path, resume=True)
    assert "written by another run" in caplog.text and result.epochs_run == 2
