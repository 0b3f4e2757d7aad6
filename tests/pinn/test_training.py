"""Adam -> L-BFGS training: it learns, logs per term, checkpoints and resumes bit-identically, stops on NaN."""

from __future__ import annotations

import csv

import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.evaluate import grid_error, reference_grid
from sciml.pinn.models import build_pinn
from sciml.pinn.pde import PDE, Box
from sciml.pinn.problems import heat
from sciml.pinn.training import CHECKPOINT_DIR, LOSS_CSV, PINNTrainConfig, TrainingDiverged, train_pinn

SMALL = {"width": 12, "depth": 3}


def _config(**kw) -> PINNTrainConfig:
    base = dict(n_collocation=300, adam_steps=60, lbfgs_steps=60, lbfgs_chunk=20, log_every=20,
                checkpoint_every=40, device="cpu", optimizer2="lbfgs", rar_rounds=0, rar_method="topk",
                rar_keep_history=False)
    base.update(kw)
    return PINNTrainConfig(**base)


def test_training_reduces_the_error_and_lbfgs_helps(tmp_path):
    pde, grid = heat(), reference_grid("heat")
    model = build_pinn(pde, SMALL)
    before = grid_error(model, grid)
    result = train_pinn(pde, model, _config(), out_dir=tmp_path, monitor=lambda m: {"rel_l2": grid_error(m, grid)})
    after = grid_error(model, grid)
    assert after < before / 10 and after < 2e-2
    adam_end = [r for r in result.history if r["phase"] == "adam"][-1]
    assert result.history[-1]["loss"] < adam_end["loss"]  # L-BFGS lowered the loss further
    rows = list(csv.DictReader((tmp_path / LOSS_CSV).open()))
    assert {"step", "phase", "loss", "loss_residual", "rel_l2"} <= set(rows[0])


RAR_D_KEPT = dict(rar_rounds=2, rar_points=40, rar_candidates=400, rar_method="density", rar_keep_history=True)
SSBROYDEN_RAR = dict(RAR_D_KEPT, optimizer2="ssbroyden")


@pytest.mark.parametrize("settings", [{}, {"causal_slabs": 4}, RAR_D_KEPT, SSBROYDEN_RAR],
                         ids=["plain", "causal", "rar_density", "ssbroyden_rar"])
def test_resume_is_bit_identical(tmp_path, settings):
    pde = heat(hard_constraints=False, n_condition=32)
    full = build_pinn(pde, SMALL)
    train_pinn(pde, full, _config(**settings), out_dir=tmp_path / "full")

    class Stop(Exception):
        pass

    calls = {"n": 0}

    def interrupt(model):
        calls["n"] += 1
        if calls["n"] == 5:  # during L-BFGS, after the step-80 checkpoint (and, with RAR, the first round)
            raise Stop
        return {}

    part = build_pinn(pde, SMALL)
    with pytest.raises(Stop):
        train_pinn(pde, part, _config(**settings), out_dir=tmp_path / "part", monitor=interrupt)
    assert (tmp_path / "part" / CHECKPOINT_DIR).is_dir()
    resumed = build_pinn(pde, SMALL)
    train_pinn(pde, resumed, _config(**settings), out_dir=tmp_path / "part", resume=True)
    for (name, a), b in zip(full.state_dict().items(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b), name


def test_checkpoint_of_other_settings_is_not_resumed(tmp_path, caplog):
    pde = heat(hard_constraints=False, n_condition=32)
    calls = {"n": 0}

    def interrupt(model):
        calls["n"] += 1
        if calls["n"] == 5:  # after the step-80 checkpoint
            raise RuntimeError("stop")
        return {}

    part = build_pinn(pde, SMALL)
    with pytest.raises(RuntimeError, match="stop"):
        train_pinn(pde, part, _config(), out_dir=tmp_path / "run", monitor=interrupt)
    assert (tmp_path / "run" / CHECKPOINT_DIR).is_dir()
    fresh = build_pinn(pde, SMALL)
    train_pinn(pde, fresh, _config(adam_steps=40), out_dir=tmp_path / "fresh")
    resumed = build_pinn(pde, SMALL)
    train_pinn(pde, resumed, _config(adam_steps=40), out_dir=tmp_path / "run", resume=True)
    assert "written by another run" in caplog.text
    for (name, a), b in zip(fresh.state_dict().items(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b), name


def test_nan_loss_stops_with_the_last_good_state(tmp_path):
    def residual(x, u, params):  # finite at first, NaN once the step counter passes 30
        residual.calls += 1
        return u - 1.0 if residual.calls < 30 else u * float("nan")

    residual.calls = 0
    pde = PDE(residual, Box((0.0,), (1.0,)), name="nan")
    model = build_pinn(pde, SMALL)
    with pytest.raises(TrainingDiverged, match="adam"):
        train_pinn(pde, model, _config(log_every=5), out_dir=tmp_path)
    assert all(torch.isfinite(p).all() for p in model.parameters())
    assert (tmp_path / CHECKPOINT_DIR / "state.json").is_file()


def test_adaptive_weights_and_rar_change_the_problem(tmp_path):
    pde = heat(hard_constraints=False, n_condition=32)
    model = build_pinn(pde, SMALL)
    result = train_pinn(pde, model, _config(adaptive_weights=True, weight_update_every=20, rar_rounds=1,
                                            rar_points=50, rar_candidates=500), out_dir=tmp_path)
    weights = [r["weight_initial"] for r in result.history]
    assert all(w > 0 for w in weights) and len(set(weights)) > 1  # annealed away from the initial 1.0
    from sciml.train.checkpoint import load_state

    assert len(load_state(tmp_path / CHECKPOINT_DIR)["loss"]["collocation"]) == 350


@pytest.mark.parametrize("method", ["bfgs", "ssbroyden"])
def test_dense_second_phase_lowers_the_loss_and_logs_its_phase(tmp_path, method):
    pde, grid = heat(), reference_grid("heat")
    model = build_pinn(pde, SMALL)
    result = train_pinn(pde, model, _config(optimizer2=method), out_dir=tmp_path)
    adam_end = [r for r in result.history if r["phase"] == "adam"][-1]
    assert result.history[-1]["phase"] == method and result.history[-1]["loss"] < adam_end["loss"] / 10
    assert grid_error(model, grid) < 2e-2


def test_float32_training_runs():
    pde = heat()
    model = build_pinn(pde, SMALL, torch.float32)
    result = train_pinn(pde, model, _config(dtype="float32", lbfgs_steps=20))
    assert next(model.parameters()).dtype == torch.float32 and result.final_loss < result.history[0]["loss"]


def test_bad_config_raises_before_training():
    with pytest.raises(ConfigError, match="dtype"):
        PINNTrainConfig(dtype="float16")
    with pytest.raises(ConfigError, match="sampler"):
        PINNTrainConfig(sampler="grid")
    with pytest.raises(ConfigError, match="rar_method"):
        PINNTrainConfig(rar_method="random")
    with pytest.raises(ConfigError, match="optimizer2"):
        PINNTrainConfig(optimizer2="newton")
    with pytest.raises(ConfigError, match="rar_power"):
        PINNTrainConfig(rar_power=-1.0)
