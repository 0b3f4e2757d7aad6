"""The `hic:` workflow section and the verbs' settings: one home for every default."""

from pathlib import Path

import pytest
import yaml

from sciml.errors import ConfigError
from sciml.hic.settings import (
    WORKFLOW_SETTINGS,
    CorrectorSettings,
    HiCPlusNetwork,
    HiCPlusTrainSettings,
    SimulateSettings,
    TrainSettings,
)
from sciml.settings import from_dict, json_schema, merge

CONFIG = Path(__file__).resolve().parents[2] / "workflows" / "config"


def _assert_differs(overlay: dict, default: dict, name: str, path: str = "") -> None:
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(default.get(key), dict):
            _assert_differs(value, default[key], name, f"{path}{key}.")
        else:
            assert default.get(key, object()) != value, f"{name}: hic.{path}{key} restates the default"


def _leaves(mapping: dict) -> int:
    return sum(_leaves(v) if isinstance(v, dict) else 1 for v in mapping.values())


@pytest.mark.parametrize("overlay", [None, "smoke.yaml", "full.yaml"])
def test_workflow_section_validates_over_the_default(overlay):
    config = yaml.safe_load((CONFIG / "default.yaml").read_text())
    if overlay:
        config = merge(config, yaml.safe_load((CONFIG / overlay).read_text()))
    section = from_dict(WORKFLOW_SETTINGS, config["hic"], prefix="hic")
    assert section.enabled


def test_the_default_section_is_small_and_the_overlays_only_hold_differences():
    default = yaml.safe_load((CONFIG / "default.yaml").read_text())["hic"]
    assert _leaves(default) <= 18
    for overlay in ("smoke.yaml", "full.yaml"):
        section = yaml.safe_load((CONFIG / overlay).read_text())["hic"]

        _assert_differs(section, default, overlay)


def test_per_job_defaults_survive_partial_mappings():
    assert from_dict(HiCPlusTrainSettings, {"fit": {"lr": 0.001}}).fit.max_epochs == 8
    assert from_dict(HiCPlusTrainSettings, {"denoiser": {"stride": 32}}).denoiser.model_kwargs == HiCPlusNetwork(filters=8)
    assert from_dict(TrainSettings, {"fit": {"max_epochs": 3}}).fit.batch_size == 16
    assert from_dict(CorrectorSettings, {"fit": {"max_epochs": 3}}).fit.weight_decay == 0.0001
    heldout = from_dict(SimulateSettings, {"split": "test", "seed": 2})
    assert heldout.bias().gc_sigma == 0.45 and heldout.split_seed() == 2003
    assert from_dict(SimulateSettings, {"split": "calib"}).bias().gc_sigma == (0.2, 0.8)


def test_unknown_keys_and_bad_values_are_named():
    with pytest.raises(ConfigError, match="hic.unet.fit.epochs"):
        from_dict(WORKFLOW_SETTINGS, {"unet": {"fit": {"epochs": 3}}}, prefix="hic")
    with pytest.raises(ConfigError, match="low <= high"):
        from_dict(SimulateSettings, {"simulation": {"alpha": [1.2, 0.8]}})
    with pytest.raises(ConfigError, match="thinning_draws"):
        from_dict(WORKFLOW_SETTINGS, {"finetune": {"thinning_draws": 0}})


def test_every_field_is_described_in_the_schema():
    def walk(schema, path):
        for name, entry in schema["properties"].items():
            assert entry.get("description"), f"{path}{name} has no description"
            if "properties" in entry:
                walk(entry, f"{path}{name}.")

    walk(json_schema(WORKFLOW_SETTINGS), "hic.")
