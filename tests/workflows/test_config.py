"""The workflow config: one schema generated from the settings dataclasses, small defaults, overlays that merge."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sciml.errors import ConfigError
from sciml.settings import DOMAINS, merge, validate_workflow_config, workflow_schema

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "workflows" / "config"
SCHEMA = REPO / "workflows" / "schemas" / "config.schema.json"


def _read(name: str) -> dict[str, Any]:
    return yaml.safe_load((CONFIG_DIR / f"{name}.yaml").read_text())


def _leaves(config: Any) -> int:
    return sum(_leaves(v) for v in config.values()) if isinstance(config, dict) else 1


def test_committed_schema_is_the_generated_one():
    spec = importlib.util.spec_from_file_location("config_schema", REPO / "scripts" / "config_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert SCHEMA.read_text() == module.render(), "run: python scripts/config_schema.py"
    assert set(json.loads(SCHEMA.read_text())["properties"]) == {"seed", "device", "data", *DOMAINS}


@pytest.mark.parametrize("overlay", [None, "smoke", "full"])
def test_default_and_overlays_validate(overlay):
    config = _read("default") if overlay is None else merge(_read("default"), _read(overlay))
    jsonschema.Draft202012Validator(workflow_schema()).validate(config)
    validate_workflow_config(config)


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda c: c.update(sead=1), "sead"),
        (lambda c: c.update(seed="zero"), "zero"),
        (lambda c: c["ecg"].update(enabled="yes"), "yes"),
        (lambda c: c["pinn"].update(nonsense=3), "nonsense"),
        (lambda c: c.update(device="tpu"), "tpu"),
        (lambda c: c["ecg"].update(teacher={"epochs": 0}), "ecg.teacher.epochs"),
    ],
)
def test_the_snakefiles_validation_names_the_bad_key_or_value(edit, named):
    """The two checks the Snakefile runs before any job (tests/workflows/test_workflow.py runs two cases
    through Snakemake itself): the committed JSON schema, then the settings dataclasses."""
    config = merge(_read("default"), _read("smoke"))
    edit(config)
    with pytest.raises((jsonschema.ValidationError, ConfigError)) as caught:
        jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(config)
        validate_workflow_config(config)
    assert named in str(caught.value)


def test_default_config_holds_the_users_choices_only():
    assert _leaves(_read("default")) <= 100


@pytest.mark.parametrize("overlay", ["smoke", "full"])
def test_overlays_hold_only_differences(overlay):
    default, changes = _read("default"), _read(overlay)

    def same(path: tuple[str, ...], value: Any) -> list[str]:
        if isinstance(value, dict):
            return [k for key, v in value.items() for k in same((*path, key), v)]
        node: Any = default
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return []
            node = node[key]
        return [".".join(path)] if node == value else []

    assert same((), changes) == []
