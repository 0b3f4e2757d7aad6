"""Bad input for the ready-made PINN problems (convection, reaction, wave, PNd, HNd): a residual of the wrong
shape, NaN in the reference, a domain with no interior, conditions outside the domain, an unknown problem
name, non-finite coefficients. Each is a `ConfigError`/`InputError` naming the problem and what is wrong,
raised before the first training step, with nothing written.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, files_in

from sciml.cli import main
from sciml.errors import ConfigError, InputError
from sciml.pinn import evaluate
from sciml.pinn.geometry import Ball, Box, SpaceTime
from sciml.pinn.models import build_pinn
from sciml.pinn.pde import PDE, Condition
from sciml.pinn.pipeline import train_problem
from sciml.pinn.problems import PROBLEMS, convection, heat_nd, kuramoto_sivashinsky, reaction, wave
from sciml.pinn.settings import FORWARD, NetworkSettings, PINNTrainConfig, TrainSettings
from sciml.pinn.training import train_pinn
from sciml.settings import from_dict

TINY = PINNTrainConfig(n_collocation=64, adam_steps=2, lbfgs_steps=0, rar_rounds=0)
NEW = ("convection", "reaction", "wave", "poisson_nd", "heat_nd", "heat_2d_ms", "kuramoto_sivashinsky")


def _settings(name: str) -> TrainSettings:
    return TrainSettings(pde=name, hard_constraints=name != "poisson_nd", network=NetworkSettings(width=4, depth=1),
                         train=TINY)


@pytest.mark.parametrize("name", NEW)
def test_a_residual_of_the_wrong_shape_is_named_before_training(tmp_path, name):
    pde = PROBLEMS[name](hard_constraints=name != "poisson_nd", n_condition=16)
    flat = dataclasses.replace(pde, residual=lambda x, u, params: pde.residual(x, u, params).ravel())
    with pytest.raises(ConfigError, match=f"{name}: residual.*returned \\(7,\\)"):
        train_pinn(flat, build_pinn(flat, {"width": 4, "depth": 1}), TINY, out_dir=tmp_path)
    assert files_in(tmp_path) == set()


@pytest.mark.parametrize("name", ["poisson_nd", "heat_nd", "heat_2d_ms"])
def test_nan_in_the_reference_stops_before_training(tmp_path, monkeypatch, name):
    monkeypatch.setitem(evaluate.ANALYTIC_NODES, name, lambda p: np.where(p[:, 0] > 0.9, np.nan, 1.0))
    with pytest.raises(InputError, match=f"analytic reference of {name}.*NaN or inf"):
        train_problem(_settings(name), tmp_path / "model")
    assert files_in(tmp_path) == set()


@pytest.mark.parametrize("name", ["convection", "reaction", "wave"])
def test_nan_in_a_grid_reference_is_named(monkeypatch, name):
    broken = {"convection": "convection_exact", "reaction": "reaction_exact", "wave": "wave_exact"}[name]
    monkeypatch.setattr(evaluate, broken, lambda x, t: np.where(t > 0.5, np.inf, 0.0))
    with pytest.raises(InputError, match=f"{name}: .* NaN or inf, e.g. at \\[0.0, 0.5"):
        evaluate.reference_grid(name)


def test_nan_in_the_kuramoto_sivashinsky_reference_names_the_file_before_training(tmp_path):
    from scipy.io import savemat

    data = tmp_path / "pinn-benchmarks"
    data.mkdir()
    usol = np.ones((251, 512))
    usol[3, 7] = np.nan
    savemat(data / "ks_chaotic.mat", {"t": np.linspace(0, 1, 251)[None], "x": np.linspace(0, 2 * np.pi, 512)[None],
                                      "usol": usol})
    with pytest.raises(InputError, match="ks_chaotic.mat.*usol"):
        train_problem(_settings("kuramoto_sivashinsky"), tmp_path / "model", data=data)
    with pytest.raises(ConfigError, match="pinn-benchmarks"):
        train_problem(_settings("kuramoto_sivashinsky"), tmp_path / "model")
    assert files_in(tmp_path) == {"pinn-benchmarks/ks_chaotic.mat"}


@pytest.mark.parametrize("make", [
    lambda: Ball((0.0,) * 5, 0.0),
    lambda: SpaceTime(Ball((0.0,) * 5, 1.0), 1.0, 1.0),
    lambda: Box((0.0,) * 5, (1.0, 1.0, 0.0, 1.0, 1.0)),
])
def test_a_domain_with_no_interior_is_refused(make):
    with pytest.raises(ConfigError, match="interior|empty"):
        make()


def test_a_domain_emptied_by_csg_is_named_before_training(tmp_path):
    empty = Box((0.0,) * 5, (1.0,) * 5) - Ball((0.5,) * 5, 2.0)
    pde = PDE(lambda x, u, p: u, empty, name="hollow")
    with pytest.raises(ConfigError, match="no interior"):
        train_pinn(pde, build_pinn(pde, {"width": 4, "depth": 1}), TINY, out_dir=tmp_path)
    assert files_in(tmp_path) == set()


def test_conditions_outside_the_domain_are_named():
    pde = heat_nd(n_condition=32)
    outside = np.column_stack([np.full((4, 5), 0.7), np.linspace(0, 1, 4)])  # |x| = 1.57 > 1
    with pytest.raises(ConfigError, match="conditions.rim.*4 of 4 points lie outside"):
        dataclasses.replace(pde, conditions=[Condition("rim", outside, np.zeros(4))])
    late = np.array([[0.0, 0.0, 0.0, 0.0, 0.0, 1.5]])  # t beyond [0, 1]
    with pytest.raises(ConfigError, match="conditions.late"):
        dataclasses.replace(convection(), conditions=[Condition("late", late[:, -2:], [0.0])])


def test_an_unknown_problem_name_is_named_with_the_choices(tmp_path, capsys):
    with pytest.raises(ConfigError, match="convection.*got 'kdv'"):
        TrainSettings(pde="kdv")
    assert main(["pinn", "train", "--set", "pde=kdv", "--out", str(tmp_path / "m")]) == 2
    assert "'kdv'" in capsys.readouterr().err and not (tmp_path / "m").exists()
    assert main(["pinn", "train", "--set", "pde=poisson_nd", "--out", str(tmp_path / "m")]) == 2
    assert "hard_constraints" in capsys.readouterr().err and files_in(tmp_path) == set()


@READER_SETTINGS
@given(name=st.one_of(st.sampled_from(FORWARD), st.text(max_size=12)), hard=st.booleans())
def test_fuzzed_problem_settings_are_accepted_or_named(name, hard):
    try:
        settings = from_dict(TrainSettings, {"pde": name, "hard_constraints": hard})
    except ConfigError as error:
        assert "pde" in str(error) and name not in FORWARD
        return
    assert settings.pde in FORWARD


@READER_SETTINGS
@given(value=st.floats(allow_nan=True, allow_infinity=True),
       which=st.sampled_from(["convection", "reaction", "wave", "kuramoto_sivashinsky"]))
def test_fuzzed_coefficients_give_a_problem_or_a_named_error(value, which):
    make = {"convection": lambda: convection(beta=value), "reaction": lambda: reaction(rho=value),
            "wave": lambda: wave(beta=value), "kuramoto_sivashinsky": lambda: kuramoto_sivashinsky(alpha=value)}[which]
    try:
        pde = make()
    except ConfigError as error:
        assert which in str(error) and not math.isfinite(value)
        return
    x = torch.rand(5, 2, dtype=torch.float64, requires_grad=True)
    assert pde.residual(x, pde.output_transform(x, torch.zeros(5, 1, dtype=torch.float64)), {}).shape == (5, 1)
