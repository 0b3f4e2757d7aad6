"""One path from a config file to a settings dataclass.

Run settings are frozen dataclasses; their field defaults are the only home of default values.
A workflow rule writes the config section a verb needs to a JSON file and calls
`sciml <domain> <verb> --config that.json`; users can run the same settings by hand, and override
single values with `--set key.sub=value`. Unknown keys are rejected by their dotted name, so a typo
never falls back silently to a default.

Examples:
    >>> from dataclasses import dataclass, field
    >>> @dataclass(frozen=True)
    ... class Fit:
    ...     lr: float = 1e-3
    ...     epochs: int = 10
    >>> @dataclass(frozen=True)
    ... class Run:
    ...     fit: Fit = field(default_factory=Fit)
    ...     records: tuple[str, ...] = ("100",)
    >>> from_dict(Run, {"fit": {"lr": 0.01}}).fit
    Fit(lr=0.01, epochs=10)
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import json
import os
import re
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

from sciml.errors import ConfigError

T = TypeVar("T")

__all__ = [
    "DOMAINS",
    "add_config_arguments",
    "dump_json",
    "field_descriptions",
    "from_dict",
    "json_schema",
    "load_settings",
    "merge",
    "read_config_file",
    "settings_from_args",
    "to_dict",
    "validate_workflow_config",
    "workflow_schema",
    "workflow_settings_class",
]


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge `overlay` into a copy of `base`: mappings merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class _Loader(yaml.SafeLoader):
    """YAML 1.2 floats: PyYAML (YAML 1.1) reads `1e-5` as a string; JSON and users write it so."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"),
    list("-+0123456789."),
)


def _parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a JSON or YAML mapping; a `ConfigError` naming the file when it is missing or malformed."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("--config", f"config file '{path}' does not exist")
    try:
        data = _parse_yaml(path.read_text())  # YAML 1.2 is a superset of JSON
    except yaml.YAMLError as exc:
        raise ConfigError("--config", f"not valid JSON/YAML: {exc}", source=path) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError("--config", f"must hold a mapping of settings, got {type(data).__name__}", source=path)
    return dict(data)


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _convert(tp: Any, value: Any, key: str, source: str | None) -> Any:
    """Check and convert one value to the annotated type `tp` (lists become tuples where declared)."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(tp)
        if value is None:
            if type(None) in options:
                return None
            raise ConfigError(key, "must not be null", source)
        present = [o for o in options if o is not type(None)]
        if len(present) == 1:  # `X | None`: X's own error, naming the nested key
            return _convert(present[0], value, key, source)
        errors = []
        for option in (o for o in options if o is not type(None)):
            try:
                return _convert(option, value, key, source)
            except ConfigError as exc:
                errors.append(exc.problem)
        raise ConfigError(key, " or ".join(errors), source)
    if origin is typing.Literal:
        allowed = typing.get_args(tp)
        if value not in allowed:
            raise ConfigError(key, f"must be one of {list(allowed)}, got {value!r}", source)
        return value
    if dataclasses.is_dataclass(tp):
        if isinstance(value, tp):
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(key, f"must be a mapping of settings, got {value!r}", source)
        return from_dict(tp, value, prefix=key, source=source)
    if origin in (tuple, list) or tp in (tuple, list):
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise ConfigError(key, f"must be a list, got {value!r}", source)
        args = typing.get_args(tp)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise ConfigError(key, f"must have {len(args)} items, got {len(value)}", source)
            items = [_convert(a, v, f"{key}[{i}]", source) for i, (a, v) in enumerate(zip(args, value, strict=True))]
        else:
            item_type = args[0] if args else Any
            items = [_convert(item_type, v, f"{key}[{i}]", source) for i, v in enumerate(value)]
        return tuple(items) if (origin or tp) is tuple else items
    if origin is dict or tp is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(key, f"must be a mapping, got {value!r}", source)
        args = typing.get_args(tp)
        value_type = args[1] if len(args) == 2 else Any
        return {k: _convert(value_type, v, f"{key}.{k}", source) for k, v in value.items()}
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(key, f"must be a number, got {value!r}", source)
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(key, f"must be an integer, got {value!r}", source)
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, f"must be true or false, got {value!r}", source)
        return value
    if tp is str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # identifiers written bare in YAML: records: [100, 101]
        if not isinstance(value, str):
            raise ConfigError(key, f"must be a string, got {value!r}", source)
        return value
    if tp is Path:
        if not isinstance(value, str | os.PathLike):
            raise ConfigError(key, f"must be a path, got {value!r}", source)
        return Path(value)
    raise ConfigError(key, f"unsupported settings type {_type_name(tp)}", source)


def _field_default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def from_dict(
    cls: type[T],
    data: Mapping[str, Any],
    *,
    prefix: str = "",
    source: str | os.PathLike[str] | None = None,
    base: T | None = None,
) -> T:
    """Build settings dataclass `cls` from a (partial) mapping; missing keys take the defaults.

    A nested mapping completes the field's own default: with
    `model: ModelSettings = field(default_factory=lambda: ModelSettings(width=64))`, the mapping
    `{"model": {"depth": 3}}` gives `ModelSettings(width=64, depth=3)`.

    Args:
        cls: a dataclass type; nested dataclass fields are built from nested mappings.
        data: the settings; keys must be field names of `cls`.
        prefix: dotted path of `data` within a larger config, used in error messages.
        source: the file the settings came from, used in error messages.
        base: an instance whose values replace the field defaults of the keys `data` leaves out.

    Returns:
        An instance of `cls` (its `__post_init__` checks run as usual).

    Raises:
        ConfigError: an unknown key (named with its dotted path and the known keys), a value of
            the wrong type, or a required setting that is missing.
    """
    src = None if source is None else str(source)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    unknown = [k for k in data if k not in fields]
    if unknown:
        where = f"{prefix}." if prefix else ""
        raise ConfigError(f"{where}{unknown[0]}", f"unknown setting (known: {', '.join(sorted(fields))})", src)
    values = {}
    for name, field in fields.items():
        key = f"{prefix}.{name}" if prefix else name
        default = getattr(base, name) if base is not None else _field_default(field)
        tp = hints[name]
        if name in data:
            if dataclasses.is_dataclass(tp) and isinstance(data[name], Mapping) and isinstance(default, tp):
                values[name] = from_dict(tp, data[name], prefix=key, source=src, base=default)
            else:
                values[name] = _convert(tp, data[name], key, src)
        elif default is dataclasses.MISSING:
            raise ConfigError(key, "required setting is missing", src)
        elif base is not None:
            values[name] = default
    try:
        return cls(**values)
    except ConfigError as exc:
        raise _within(exc, prefix, src) from None
    except (TypeError, ValueError) as exc:
        raise ConfigError(prefix or cls.__name__, str(exc), src) from None


def _within(error: ConfigError, prefix: str, source: str | None) -> ConfigError:
    """`error` of a dataclass's own check, its key made the full dotted path under `prefix`.

    A check names its field (`epochs`) or a path from its own dataclass's field (`network.width`
    raised by a `network` dataclass); under `prefix` `ecg.teacher` these become `ecg.teacher.epochs`
    and `ecg.teacher.network.width`.
    """
    key = error.key
    if prefix and key != prefix and not key.startswith(prefix + "."):
        head, _, last = prefix.rpartition(".")
        overlap = key == last or key.startswith(last + ".")
        key = f"{head}.{key}" if overlap and head else key if overlap else f"{prefix}.{key}"
    return ConfigError(key, error.problem, error.source or source)


def to_dict(settings: Any) -> Any:
    """A dataclass (recursively) as plain JSON-ready values: tuples become lists, paths strings."""
    if dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        return {f.name: to_dict(getattr(settings, f.name)) for f in dataclasses.fields(settings)}
    if isinstance(settings, Mapping):
        return {str(k): to_dict(v) for k, v in settings.items()}
    if isinstance(settings, list | tuple):
        return [to_dict(v) for v in settings]
    if isinstance(settings, Path):
        return str(settings)
    return settings


def _parse_override(text: str) -> tuple[list[str], Any]:
    if "=" not in text:
        raise ConfigError("--set", f"expected KEY=VALUE (e.g. fit.lr=0.01), got {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = _parse_yaml(raw)
    except yaml.YAMLError:
        value = raw
    return key.strip().split("."), value


def load_settings(
    cls: type[T],
    path: str | os.PathLike[str] | None = None,
    overrides: Sequence[str] = (),
) -> T:
    """Settings `cls` from an optional JSON/YAML file and `KEY=VALUE` overrides (dotted keys).

    Args:
        cls: the settings dataclass.
        path: a JSON or YAML file holding a (partial) mapping of `cls`'s fields; None for defaults.
        overrides: `section.key=value` strings applied on top; values are parsed as YAML
            (`fit.lr=0.01`, `records=[100,101]`, `seed=null`).

    Returns:
        The validated settings.
    """
    data: dict[str, Any] = read_config_file(path) if path is not None else {}
    for text in overrides:
        keys, value = _parse_override(text)
        patch: dict[str, Any] = {keys[-1]: value}
        for key in reversed(keys[:-1]):
            patch = {key: patch}
        data = merge(data, patch)
    return from_dict(cls, data, source=path)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `--config FILE` and `--set KEY=VALUE` (repeatable) to a verb's parser."""
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="JSON or YAML file with this verb's settings (defaults for the rest)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override one setting, dotted key (e.g. fit.lr=0.01); repeatable")


def settings_from_args(cls: type[T], args: argparse.Namespace) -> T:
    """The settings of a verb parsed with `add_config_arguments`."""
    return load_settings(cls, args.config, args.overrides)


_ATTR_LINE = re.compile(r"^(\s*)(\w+)(?:\s*\(([^)]*)\))?\s*:\s*(.*)$")


def _own_descriptions(doc: str) -> dict[str, str]:
    """The `Attributes:` entries of one docstring."""
    lines = inspect.cleandoc(doc).splitlines()
    out: dict[str, str] = {}
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Attributes:")
    except StopIteration:
        return out
    current: str | None = None
    indent: int | None = None
    for line in lines[start + 1:]:
        if line.strip() and not line.startswith(" "):
            break  # the next section
        match = _ATTR_LINE.match(line)
        if match and (indent is None or len(match.group(1)) == indent):
            indent = len(match.group(1))
            current = match.group(2)
            out[current] = match.group(4).strip()
        elif current is not None and line.strip():
            out[current] = f"{out[current]} {line.strip()}"
    return out


def field_descriptions(cls: type) -> dict[str, str]:
    """Field descriptions from the Google-style `Attributes:` sections of a dataclass and its bases.

    A subclass documents only the fields it adds or redefines; the others keep their base's text.
    """
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        out.update(_own_descriptions(klass.__dict__.get("__doc__") or ""))
    return out


def _schema_of(tp: Any) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return json_schema(tp)
    if origin is typing.Union or origin is types.UnionType:
        return {"anyOf": [_schema_of(a) for a in typing.get_args(tp)]}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin in (tuple, list) or tp in (tuple, list):
        args = typing.get_args(tp)
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {"type": "array", "prefixItems": [_schema_of(a) for a in args],
                    "minItems": len(args), "maxItems": len(args)}
        return {"type": "array", "items": _schema_of(args[0])} if args else {"type": "array"}
    if origin is dict or tp is dict:
        args = typing.get_args(tp)
        return {"type": "object", "additionalProperties": _schema_of(args[1])} if len(args) == 2 else {"type": "object"}
    simple = {float: "number", int: "integer", bool: "boolean", str: "string", Path: "string", type(None): "null"}
    return {"type": simple[tp]} if tp in simple else {}


def json_schema(cls: type) -> dict[str, Any]:
    """A JSON schema of settings dataclass `cls`: types, defaults and docstring descriptions.

    Unknown keys are not allowed (`additionalProperties: false`), as in `from_dict`.
    """
    hints = typing.get_type_hints(cls)
    described = field_descriptions(cls)
    properties: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        entry = _schema_of(hints[field.name])
        if field.default is not dataclasses.MISSING:
            entry["default"] = to_dict(field.default)
        elif field.default_factory is not dataclasses.MISSING and not dataclasses.is_dataclass(hints[field.name]):
            entry["default"] = to_dict(field.default_factory())
        if field.name in described:
            entry["description"] = described[field.name]
        properties[field.name] = entry
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    summary = (inspect.getdoc(cls) or "").split("\n\n")[0].strip()
    if summary:
        schema["description"] = summary
    return schema


DOMAINS: tuple[str, ...] = ("enhancers", "hic", "ecg", "crystals", "pinn")


def workflow_settings_class(domain: str) -> type:
    """The dataclass of a domain's workflow config section: `sciml.<domain>.settings.WORKFLOW_SETTINGS`.

    Its fields are the domain section's keys (`enabled` and one per job, each job's value a
    partial mapping of the settings dataclass of the verb the job runs).
    """
    module = importlib.import_module(f"sciml.{domain}.settings")
    return module.WORKFLOW_SETTINGS


def workflow_schema() -> dict[str, Any]:
    """The JSON schema of the whole workflow config: the global keys and every domain's section.

    Generated from the dataclasses (`workflows/schemas/config.schema.json` is this, written by
    `python scripts/config_schema.py`), so the schema and the settings cannot drift.
    """
    properties: dict[str, Any] = {
        "seed": {"type": "integer", "minimum": 0, "description": "global seed; every rule's settings take it"},
        "device": {"type": "string", "pattern": "^(auto|cpu|cuda(:[0-9]+)?)$",
                   "description": "torch device of the training rules; auto = CUDA when present"},
        "data": {"type": "object", "additionalProperties": False, "required": ["root"], "properties": {
            "root": {"type": "string", "description": "where fetched data sets are stored (one folder each)"},
            "mirror": {"type": ["string", "null"],
                       "description": "offline mirror folder; null = $SCIML_DATA_MIRROR or download"}}},
    }
    for domain in DOMAINS:
        properties[domain] = json_schema(workflow_settings_class(domain))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": "sciml workflow configuration (generated from the settings dataclasses)",
            "type": "object", "additionalProperties": False, "properties": properties,
            "required": ["seed", "device", "data", *DOMAINS]}


def validate_workflow_config(config: Mapping[str, Any], source: str | os.PathLike[str] | None = None) -> None:
    """Check every domain section of a (merged) workflow config against its settings dataclasses.

    Raises:
        ConfigError: the first unknown key or bad value, named by its dotted path.
    """
    for domain in DOMAINS:
        if domain in config:
            from_dict(workflow_settings_class(domain), config[domain], prefix=domain, source=source)


def dump_json(settings: Any) -> str:
    """Canonical JSON of settings (a dataclass or mapping): sorted keys, two-space indent."""
    return json.dumps(to_dict(settings), indent=2, sort_keys=True) + "\n"
