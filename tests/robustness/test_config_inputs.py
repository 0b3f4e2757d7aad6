"""Property-based bad-config suite: any unknown key or wrong-typed value is rejected, naming it.

Uses `snakemake.utils.validate` with the workflow's schema and `set_default=False`, exactly as the
Snakefile does before any job runs (tests/workflows checks that path end to end on a few cases).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from sciml.settings import merge

REPO = Path(__file__).resolve().parents[2]
SCHEMA = str(REPO / "workflows" / "schemas" / "config.schema.json")
CONFIGS = ("smoke", "default", "full")


@functools.cache
def _parsed(name: str) -> dict[str, Any]:
    """A shipped config as the workflow sees it: smoke and full are overlays of default."""
    default = yaml.safe_load((REPO / "workflows" / "config" / "default.yaml").read_text())
    if name == "default":
        return default
    return merge(default, yaml.safe_load((REPO / "workflows" / "config" / f"{name}.yaml").read_text()))


def _load(name: str) -> dict[str, Any]:
    """A fresh copy of a shipped config (parsed once)."""
    return copy.deepcopy(_parsed(name))


def _sections(config: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths of every mapping in the config (where an unknown key can be planted)."""
    found = [path] if isinstance(config, dict) else []
    if isinstance(config, dict):
        for key, value in config.items():
            found += _sections(value, (*path, key))
    return found


def _leaves(config: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(config, dict):
        return [leaf for key, value in config.items() for leaf in _leaves(value, (*path, key))]
    return [(path, config)]


def _get(config: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        config = config[key]
    return config


@pytest.mark.parametrize("name", CONFIGS)
def test_shipped_configs_are_valid(name):
    validate(_load(name), SCHEMA, set_default=False)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(CONFIGS),
       key=st.from_regex(r"[a-z][a-z_]{2,12}_x", fullmatch=True))
def test_unknown_keys_are_rejected_and_named(data, name, key):
    config = _load(name)
    path = data.draw(st.sampled_from(_sections(config)))
    _get(config, path)[key] = 1
    with pytest.raises(WorkflowError, match=key):
        validate(copy.deepcopy(config), SCHEMA, set_default=False)


WRONG = {bool: "not-a-bool", int: "not-a-number", float: "not-a-number", str: 12345, list: "not-a-list"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(CONFIGS))
def test_wrong_types_are_rejected_and_named(data, name):
    config = _load(name)
    candidates = [(p, v) for p, v in _leaves(config) if type(v) in WRONG]
    path, value = data.draw(st.sampled_from(candidates))
    bad = WRONG[type(value)]
    _get(config, path[:-1])[path[-1]] = bad
    with pytest.raises(WorkflowError, match=str(bad)):
        validate(config, SCHEMA, set_default=False)
