"""The training engine: run digest, stale checkpoints, RNG and loss state, SIGTERM stop, CSV history."""

from __future__ import annotations

import csv
import logging
import os
import random
import signal

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from sciml.errors import TrainingInterrupted
from sciml.train.engine import TrainingRun, run_digest, write_history_csv


def _model() -> torch.nn.Module:
    return torch.nn.Linear(3, 2)


def _data(seed: int = 0) -> TensorDataset:
    g = torch.Generator().manual_seed(seed)
    return TensorDataset(torch.randn(10, 3, generator=g), torch.randn(10, 2, generator=g))


def test_digest_changes_with_settings_shapes_and_data():
    base = run_digest({"lr": 1e-3}, _model(), datasets=[_data()])
    assert base == run_digest({"lr": 1e-3}, _model(), datasets=[_data()])
    assert base != run_digest({"lr": 2e-3}, _model(), datasets=[_data()])
    assert base != run_digest({"lr": 1e-3}, torch.nn.Linear(3, 3), datasets=[_data()])
    assert base != run_digest({"lr": 1e-3}, _model(), datasets=[_data(seed=1)])
    assert base != run_digest({"lr": 1e-3}, _model(), datasets=[_data(), None])
    points = torch.zeros(5, 2)
    assert run_digest({}, _model(), data=[points]) != run_digest({}, _model(), data=[points + 1])


def test_digest_does_not_shift_the_global_rng():
    class Noisy(TensorDataset):
        def __getitem__(self, i):
            torch.rand(1), np.random.rand(), random.random()
            return super().__getitem__(i)

    model = _model()
    torch.manual_seed(0), np.random.seed(0), random.seed(0)
    run_digest({}, model, datasets=[Noisy(torch.zeros(4, 3))])
    after = torch.rand(1), np.random.rand(), random.random()
    torch.manual_seed(0), np.random.seed(0), random.seed(0)
    assert after == (torch.rand(1), np.random.rand(), random.random())


class _Loss:
    def __init__(self) -> None:
        self.calls = 0

    def state_dict(self) -> dict:
        return {"calls": self.calls}

    def load_state_dict(self, state: dict) -> None:
        self.calls = state["calls"]


def test_save_restore_roundtrip_with_rng_and_loss_state(tmp_path):
    loss = _Loss()
    loss.calls = 7
    run = TrainingRun(tmp_path / "ckpt", "abc", history_csv=tmp_path / "h.csv", loss=loss)
    torch.manual_seed(3), np.random.seed(3), random.seed(3)
    run.save({"step": 5, "weights": torch.arange(4.0)}, history=[{"step": 5, "loss": 0.5}])
    expected = torch.rand(2), np.random.rand(), random.random()

    other = _Loss()
    state = TrainingRun(tmp_path / "ckpt", "abc", loss=other).restore()
    assert state["step"] == 5 and torch.equal(state["weights"], torch.arange(4.0))
    assert other.calls == 7
    got = torch.rand(2), np.random.rand(), random.random()
    assert torch.equal(got[0], expected[0]) and got[1:] == expected[1:]


def test_stale_checkpoint_is_ignored_with_a_warning(tmp_path, caplog):
    TrainingRun(tmp_path / "ckpt", "old").save({"step": 5})
    with caplog.at_level(logging.WARNING, logger="sciml.train"):
        assert TrainingRun(tmp_path / "ckpt", "new").restore() is None
    assert "another run" in caplog.text
    assert TrainingRun(tmp_path / "ckpt", "old", resume=False).restore() is None
    assert TrainingRun(tmp_path / "missing", "old").restore() is None
    assert TrainingRun(None, "old").restore() is None


def test_in_memory_run_writes_nothing(tmp_path):
    run = TrainingRun(None, "x")
    run.save({"step": 1}, history=[{"step": 1}])
    assert list(tmp_path.iterdir()) == []


def test_sigterm_sets_the_stop_flag_and_restores_the_handler(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    run = TrainingRun(tmp_path / "ckpt", "x")
    with run:
        assert not run.stop_requested
        os.kill(os.getpid(), signal.SIGTERM)
        assert run.stop_requested
        error = run.interrupted("SIGTERM at step 3")
    assert isinstance(error, TrainingInterrupted)
    assert "step 3" in str(error) and str(tmp_path / "ckpt") in str(error)
    assert signal.getsignal(signal.SIGTERM) == before


def test_history_csv_is_the_union_of_columns(tmp_path):
    path = tmp_path / "h.csv"
    write_history_csv(path, [{"step": 0, "loss": 1.0}, {"step": 1, "loss": 0.5, "rel_l2": 0.1}])
    rows = list(csv.DictReader(path.open()))
    assert rows[0] == {"step": "0", "loss": "1.0", "rel_l2": ""}
    assert rows[1]["rel_l2"] == "0.1"
    assert not list(tmp_path.glob("*.tmp*"))


def test_fit_stops_on_sigterm_and_resumes(tmp_path):
    """`fit` on the engine: SIGTERM mid-epoch -> TrainingInterrupted with the previous epoch's checkpoint."""
    from sciml.train import FitConfig, fit

    data = _data()
    config = FitConfig(max_epochs=3, batch_size=5, device="cpu")
    calls = {"n": 0}

    def loss(model, batch):
        calls["n"] += 1
        if calls["n"] == 3:  # second batch of the second epoch
            os.kill(os.getpid(), signal.SIGTERM)
        return torch.nn.functional.mse_loss(model(batch[0]), batch[1])

    torch.manual_seed(0)
    model = _model()
    with pytest.raises(TrainingInterrupted, match="epoch 2"):
        fit(model, data, loss, config, out_dir=tmp_path)
    assert (tmp_path / "checkpoint").is_dir()
    assert len(list(csv.DictReader((tmp_path / "metrics.csv").open()))) == 1
    result = fit(_model(), data, loss, config, out_dir=tmp_path, resume=True)
    assert result.epochs_run == 3 and calls["n"] == 3 + 2 * 2  # epochs 2 and 3 rerun, epoch 1 not
