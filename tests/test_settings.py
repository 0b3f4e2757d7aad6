import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from sciml.errors import ConfigError
from sciml.settings import (
    add_config_arguments,
    dump_json,
    field_descriptions,
    from_dict,
    json_schema,
    load_settings,
    merge,
    settings_from_args,
    to_dict,
)


@dataclass(frozen=True)
class Fit:
    """Optimiser settings.

    Attributes:
        lr: learning rate.
        epochs: passes over the training set,
            at most this many.
    """

    lr: float = 1e-3
    epochs: int = 10

    def __post_init__(self) -> None:
        if self.lr <= 0:
            raise ConfigError("fit.lr", f"must be > 0, got {self.lr}")


@dataclass(frozen=True)
class Run:
    """A run.

    Attributes:
        fit: optimiser settings.
        records: record names.
        band_hz: pass band.
        loss: loss function.
        out: output folder.
        note: free text.
    """

    fit: Fit = field(default_factory=Fit)
    records: tuple[str, ...] = ("100",)
    band_hz: tuple[float, float] = (0.5, 40.0)
    loss: Literal["focal", "ce"] = "focal"
    out: Path | None = None
    note: str | None = None


def test_partial_mapping_takes_defaults_and_converts_types():
    run = from_dict(Run, {"fit": {"lr": 1}, "records": ["101", "102"], "band_hz": [1, 30], "out": "x"})
    assert run.fit == Fit(lr=1.0, epochs=10) and isinstance(run.fit.lr, float)
    assert run.records == ("101", "102") and run.band_hz == (1.0, 30.0) and run.out == Path("x")
    assert from_dict(Run, {}) == Run()


@pytest.mark.parametrize(
    ("data", "key", "problem"),
    [
        ({"fitt": {}}, "fitt", "unknown setting"),
        ({"fit": {"learning_rate": 1}}, "fit.learning_rate", r"unknown setting \(known: epochs, lr\)"),
        ({"fit": {"epochs": 2.5}}, "fit.epochs", "must be an integer"),
        ({"fit": {"epochs": True}}, "fit.epochs", "must be an integer"),
        ({"records": "100"}, "records", "must be a list"),
        ({"band_hz": [1, 2, 3]}, "band_hz", "must have 2 items"),
        ({"loss": "mse"}, "loss", "must be one of"),
        ({"fit": {"lr": -1}}, "fit.lr", "must be > 0"),
        ({"fit": 3}, "fit", "must be a mapping"),
    ],
)
def test_bad_settings_are_named(data, key, problem):
    with pytest.raises(ConfigError, match=problem) as info:
        from_dict(Run, data)
    assert info.value.key == key


def test_round_trip_through_json_and_yaml(tmp_path):
    run = Run(fit=Fit(lr=0.1), records=("200",), out=Path("o"))
    (tmp_path / "run.json").write_text(dump_json(run))
    assert load_settings(Run, tmp_path / "run.json") == run
    (tmp_path / "run.yaml").write_text("fit: {epochs: 3}\nrecords: ['101']\n")
    assert load_settings(Run, tmp_path / "run.yaml") == Run(fit=Fit(epochs=3), records=("101",))
    assert json.loads(dump_json(run))["records"] == ["200"]


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(Run, tmp_path / "absent.json")
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(ConfigError, match="bad.json.*mapping"):
        load_settings(Run, tmp_path / "bad.json")
    (tmp_path / "typo.yaml").write_text("fit: {lrr: 1}\n")
    with pytest.raises(ConfigError, match=r"typo.yaml: config key 'fit.lrr'"):
        load_settings(Run, tmp_path / "typo.yaml")


def test_cli_config_and_overrides(tmp_path):
    parser = argparse.ArgumentParser()
    add_config_arguments(parser)
    (tmp_path / "c.yaml").write_text("fit: {lr: 0.5, epochs: 4}\n")
    args = parser.parse_args(["--config", str(tmp_path / "c.yaml"), "--set", "fit.epochs=7",
                              "--set", "records=[300, 301]", "--set", "note=null"])
    run = settings_from_args(Run, args)
    assert run.fit == Fit(lr=0.5, epochs=7) and run.note is None
    assert run.records == ("300", "301")  # bare identifiers, as YAML users write record names
    with pytest.raises(ConfigError, match="must be a string"):
        settings_from_args(Run, parser.parse_args(["--set", "note=[3]"]))
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        settings_from_args(Run, parser.parse_args(["--set", "fit.lr"]))


def test_merge_is_deep_and_leaves_inputs():
    base = {"a": {"b": 1, "c": 2}, "d": [1]}
    assert merge(base, {"a": {"b": 5}, "d": [2]}) == {"a": {"b": 5, "c": 2}, "d": [2]}
    assert base == {"a": {"b": 1, "c": 2}, "d": [1]}


def test_schema_carries_types_defaults_and_descriptions():
    assert field_descriptions(Fit) == {"lr": "learning rate.", "epochs": "passes over the training set, at most this many."}
    schema = json_schema(Run)
    assert schema["additionalProperties"] is False and schema["description"] == "A run."
    assert schema["properties"]["fit"]["properties"]["lr"] == {"type": "number", "default": 0.001,
                                                               "description": "learning rate."}
    assert schema["properties"]["records"]["default"] == ["100"]
    assert schema["properties"]["loss"]["enum"] == ["focal", "ce"]
    assert to_dict(Run())["band_hz"] == [0.5, 40.0]


@dataclass(frozen=True)
class Job:
    """A job whose nested settings have their own defaults.

    Attributes:
        fit: this job's optimiser settings.
    """

    fit: Fit = field(default_factory=lambda: Fit(lr=0.5, epochs=3))


def test_partial_nested_mapping_completes_the_fields_own_default():
    assert from_dict(Job, {"fit": {"epochs": 9}}).fit == Fit(lr=0.5, epochs=9)
    assert from_dict(Job, {}).fit == Fit(lr=0.5, epochs=3)
    assert from_dict(Run, {"fit": {"epochs": 9}}, base=Run(fit=Fit(lr=2.0))).fit == Fit(lr=2.0, epochs=9)


def test_scientific_floats_read_as_numbers(tmp_path):
    (tmp_path / "c.json").write_text('{"fit": {"lr": 1e-05, "epochs": 3}}')
    assert load_settings(Run, tmp_path / "c.json").fit == Fit(lr=1e-5, epochs=3)
    (tmp_path / "c.yaml").write_text("fit: {lr: 5e-3}\n")
    assert load_settings(Run, tmp_path / "c.yaml", ["fit.epochs=4"]).fit == Fit(lr=5e-3, epochs=4)
    assert load_settings(Run, None, ["fit.lr=2E-4"]).fit.lr == 2e-4


@dataclass(frozen=True)
class FastFit(Fit):
    """Optimiser settings of a short run.

    Attributes:
        epochs: passes over the training set (few).
    """

    epochs: int = 2


def test_subclasses_inherit_field_descriptions():
    assert field_descriptions(FastFit) == {"lr": "learning rate.", "epochs": "passes over the training set (few)."}


def test_a_dataclass_checks_error_names_the_full_path_under_a_prefix():
    # Fit's own check names "fit.lr" (a path from its parent's field); under a prefix it becomes whole
    with pytest.raises(ConfigError, match=r"config key 'job.fit.lr': must be > 0"):
        from_dict(Run, {"fit": {"lr": -1}}, prefix="job")
    with pytest.raises(ConfigError, match=r"config key 'ecg.teacher.fit.lr'"):
        from_dict(Fit, {"lr": -1}, prefix="ecg.teacher.fit")
