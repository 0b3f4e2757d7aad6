"""The enhancers settings: defaults, overlays of the workflow config, errors named by key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sciml.enhancers.settings import (
    WORKFLOW_SETTINGS,
    IEnhancerSettings,
    SyntheticSettings,
)
from sciml.errors import ConfigError
from sciml.settings import from_dict, json_schema, merge

CONFIGS = Path(__file__).resolve().parents[2] / "workflows" / "config"


def _section(*names: str) -> dict:
    config: dict = {}
    for name in names:
        config = merge(config, yaml.safe_load((CONFIGS / f"{name}.yaml").read_text()))
    return config["enhancers"]


@pytest.mark.parametrize("names", [("default",), ("default", "smoke"), ("default", "full")])
def test_workflow_configs_validate(names):
    settings = from_dict(WORKFLOW_SETTINGS, _section(*names), prefix="enhancers")
    assert settings.synthetic.model.n_filters in (32, 64)


def test_default_config_section_is_small():
    def leaves(value):
        return sum(leaves(v) for v in value.values()) if isinstance(value, dict) else 1

    assert leaves(_section("default")) <= 19  # 18 + the ChIP-seq task list


def test_partial_job_settings_keep_the_job_defaults():
    settings = from_dict(SyntheticSettings, {"model": {"n_filters": 32}, "train": {"max_epochs": 1}})
    assert (settings.model.activation, settings.model.first_dropout, settings.model.n_filters) == ("exp", 0.2, 32)
    assert (settings.train.lr, settings.train.max_epochs, settings.loss.weighting) == (0.003, 1, "ema")


def test_smoke_overlay_keeps_the_smoke_architecture():
    smoke = from_dict(WORKFLOW_SETTINGS, _section("default", "smoke"))
    assert smoke.synthetic.model.first_dropout == 0.2 and smoke.synthetic.model.activation == "exp"
    assert (smoke.grammar.model.n_filters, smoke.grammar.model.conv_channels) == (32, 48)
    assert smoke.ienhancer.kmer_ks == (1, 2, 3) and smoke.ienhancer.folds == 2


@pytest.mark.parametrize(("data", "key"), [
    ({"predictor": "svm"}, "predictor"),
    ({"predictor": "kmer", "kmer_ks": []}, "kmer_ks"),
    ({"predictor": "gkm", "gkm": None}, "gkm"),
    ({"gkm": {"word": 3, "informative": 4}}, "gkm"),
    ({"model": {"activation": "tanh"}}, "model.activation"),
    ({"train": {"lrate": 0.1}}, "train.lrate"),
])
def test_bad_settings_name_the_key(data, key):
    with pytest.raises(ConfigError, match=key):
        from_dict(IEnhancerSettings, data)


def test_schema_describes_every_field():
    schema = json_schema(WORKFLOW_SETTINGS)
    synthetic = schema["properties"]["synthetic"]["properties"]
    assert synthetic["model"]["properties"]["activation"]["default"] == "exp"
    assert all("description" in v for v in synthetic.values())


@pytest.mark.parametrize(("data", "problem"), [
    ({"spacing": {"patterns": ["pos_patterns.pattern_0"]}}, "patterns.*name two patterns"),
    ({"spacing": {"n_controls": 0}}, r"\.n_controls"),
    ({"spacing": {"max_gap": -1}}, r"\.max_gap"),
])
def test_bad_spacing_settings_name_the_key(data, problem):
    with pytest.raises(ConfigError, match=rf"enhancers\.chipseq\.spacing.*{problem}"):
        from_dict(WORKFLOW_SETTINGS, {"chipseq": data}, prefix="enhancers")


def test_spacing_probe_can_be_switched_off():
    settings = from_dict(WORKFLOW_SETTINGS, {"chipseq": {"spacing": None}})
    assert settings.chipseq.spacing is None
    assert from_dict(WORKFLOW_SETTINGS, {}).chipseq.spacing.max_gap == 40


def test_mpra_job_is_off_by_default_and_cross_validates_with_the_train_settings():
    from sciml.enhancers.settings import MpraSettings, TrainModelSettings

    assert not from_dict(WORKFLOW_SETTINGS, {}).mpra.enabled
    mpra = from_dict(WORKFLOW_SETTINGS, {"mpra": {"enabled": True, "folds": 4, "model": {"n_filters": 8}}}).mpra
    training = mpra.training()
    assert isinstance(training, TrainModelSettings) and training.model.n_filters == 8
    assert training.split[1] == pytest.approx(0.1) and training.split[2] == pytest.approx(0.25)
    with pytest.raises(ConfigError, match="folds"):
        MpraSettings(folds=1)
    with pytest.raises(ConfigError, match="valid_fraction"):
        MpraSettings(folds=2, valid_fraction=0.6)
