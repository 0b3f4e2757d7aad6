"""The `ecg:` workflow section and the verb settings: defaults, overlays, validation."""

from pathlib import Path

import pytest
import yaml

from sciml.ecg.settings import WORKFLOW_SETTINGS, DistillSettings, StudentNetwork, TrainSettings
from sciml.errors import ConfigError
from sciml.settings import from_dict, json_schema, merge

CONFIGS = Path(__file__).resolve().parents[2] / "workflows" / "config"


def _leaves(mapping) -> int:
    return sum(_leaves(v) if isinstance(v, dict) else 1 for v in mapping.values())


@pytest.mark.parametrize("overlay", [None, "smoke.yaml", "full.yaml"])
def test_default_and_overlays_validate(overlay):
    config = yaml.safe_load((CONFIGS / "default.yaml").read_text())
    assert _leaves(config["ecg"]) <= 18
    if overlay:
        config = merge(config, yaml.safe_load((CONFIGS / overlay).read_text()))
    section = from_dict(WORKFLOW_SETTINGS, config["ecg"], prefix="ecg")
    assert section.teacher.network.separable is False and section.student.network.width_multiplier == 0.5


def test_default_config_keeps_the_workflow_values():
    config = yaml.safe_load((CONFIGS / "default.yaml").read_text())
    section = from_dict(WORKFLOW_SETTINGS, config["ecg"])
    assert section.data.irregular_fraction == 0.3 and section.teacher.val_irregular_fraction == 1.0
    assert section.data.class_weight_power == 0.5 and section.data.max_normal_per_record is None
    assert "avg_rr_s" in section.teacher.network.rr_features and section.teacher.calibration.min_temperature == 0
    assert section.teacher.augmentation.time_scale == 0 and section.student.augmentation.baseline == 0
    assert section.teacher.epochs == 8 and section.teacher.patience == 3 and section.student.monitor == "val_loss"
    assert section.student.network.dilations == (2, 4) and section.student.network.width_multiplier == 0.5
    assert not section.prune_student and section.prune.ratio == 0.5 and section.prune.monitor == "val_loss"
    assert section.prune.epochs < section.student.epochs and section.prune.optimiser.lr < section.student.optimiser.lr


def _restated(overlay, base, path="ecg."):
    """Dotted keys of `overlay` whose value equals the one in `base`."""
    out = []
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out += _restated(value, base[key], f"{path}{key}.")
        elif key in base and base[key] == value:
            out.append(f"{path}{key}")
    return out


@pytest.mark.parametrize("overlay", ["smoke.yaml", "full.yaml"])
def test_overlays_hold_only_differences(overlay):
    default = yaml.safe_load((CONFIGS / "default.yaml").read_text())["ecg"]
    assert _restated(yaml.safe_load((CONFIGS / overlay).read_text())["ecg"], default) == []


def test_unknown_and_bad_values_are_named():
    with pytest.raises(ConfigError, match="ecg.teacher.network.widht"):
        from_dict(WORKFLOW_SETTINGS, {"teacher": {"network": {"widht": 3}}}, prefix="ecg")
    with pytest.raises(ConfigError, match="irregular_fraction"):
        from_dict(TrainSettings, {"data": {"irregular_fraction": 1.5}})
    with pytest.raises(ConfigError, match="teacher.data"):
        from_dict(WORKFLOW_SETTINGS, {"teacher": {"data": {"val_records": ["100"]}}})
    with pytest.raises(ConfigError, match="prune.data"):
        from_dict(WORKFLOW_SETTINGS, {"prune": {"data": {"val_records": ["100"]}}})
    with pytest.raises(ConfigError, match="ecg.prune.ratio"):
        from_dict(WORKFLOW_SETTINGS, {"prune": {"ratio": 1.0}}, prefix="ecg")


def test_student_network_keeps_its_own_defaults_under_a_partial_mapping():
    student = from_dict(DistillSettings, {"network": {"width": 8}})
    assert student.network == StudentNetwork(width=8) and student.network.dilations == (2, 4)


def test_every_field_is_described():
    def check(schema, path):
        for name, entry in schema["properties"].items():
            assert "description" in entry, f"{path}{name}"
            if entry.get("type") == "object" and "properties" in entry:
                check(entry, f"{path}{name}.")
    check(json_schema(WORKFLOW_SETTINGS), "ecg.")
