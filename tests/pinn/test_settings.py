"""PINN settings: the workflow config section (default and each overlay) validates; the default recipes are the tuned ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sciml.errors import ConfigError
from sciml.pinn.settings import WORKFLOW_SETTINGS, PINNTrainConfig, TrainSettings, workflow_settings
from sciml.settings import from_dict, merge

CONFIG = Path(__file__).resolve().parents[2] / "workflows" / "config"


def _leaves(mapping) -> int:
    return sum(_leaves(v) if isinstance(v, dict) else 1 for v in mapping.values())


@pytest.mark.parametrize("overlay", [None, "smoke", "full"])
def test_config_section_validates(overlay):
    config = yaml.safe_load((CONFIG / "default.yaml").read_text())
    assert _leaves(config["pinn"]) <= 18
    if overlay is not None:
        config = merge(config, yaml.safe_load((CONFIG / f"{overlay}.yaml").read_text()))
    from_dict(WORKFLOW_SETTINGS, config["pinn"], prefix="pinn")  # the generic check (sciml.settings)
    settings = workflow_settings(config["pinn"])
    for name in settings.problems:
        assert getattr(settings, name).pde == name


def test_overlays_keep_the_previous_recipes():
    config = yaml.safe_load((CONFIG / "default.yaml").read_text())
    default = workflow_settings(config["pinn"])
    assert default.burgers.train.rar_rounds == 4 and default.burgers.train.optimizer2 == "ssbroyden"
    smoke = workflow_settings(merge(config, yaml.safe_load((CONFIG / "smoke.yaml").read_text()))["pinn"])
    assert smoke.problems == ("burgers", "allen_cahn") and not smoke.inverse
    assert smoke.burgers.train.rar_rounds == 0 and smoke.allen_cahn.train.causal_slabs == 8
    full = workflow_settings(merge(config, yaml.safe_load((CONFIG / "full.yaml").read_text()))["pinn"])
    assert full.allen_cahn.network.width == 128 and full.allen_cahn.train.optimizer2 == "lbfgs"
    assert full.burgers_inverse_noisy.noise == 0.01 and full.burgers_inverse.noise == 0.0
    assert full.heat.network.depth == 4 and full.heat.train.adam_lr == 1e-3
    assert smoke.allen_cahn.network.periodic_harmonics == 2 and smoke.allen_cahn.pde == "allen_cahn"
    assert {"convection", "reaction", "wave", "poisson_nd", "heat_nd", "heat_2d_ms", "kuramoto_sivashinsky"} <= set(full.problems)
    assert "heat_2d_ms" not in default.problems and default.heat_2d_ms.network.periodic_harmonics >= 20
    assert "kuramoto_sivashinsky" not in default.problems and default.kuramoto_sivashinsky.pde == "kuramoto_sivashinsky"
    assert not default.poisson_nd.hard_constraints and default.heat_nd.hard_constraints


def test_unknown_keys_and_bad_values_are_named():
    with pytest.raises(ConfigError, match="pinn.burgers.train.lbfgs_stepz"):
        workflow_settings({"burgers": {"train": {"lbfgs_stepz": 3}}})
    with pytest.raises(ConfigError, match="problems"):
        workflow_settings({"problems": ["kdv"]})
    with pytest.raises(ConfigError, match="pinn.heat.pde"):
        workflow_settings({"heat": {"pde": "poisson"}})
    with pytest.raises(ConfigError, match="optimizer2"):
        PINNTrainConfig(optimizer2="sgd")
    with pytest.raises(ConfigError, match="pde"):
        TrainSettings(pde="kdv")
