"""Provenance recorded in every metrics.json: config hash, seed, package version, git commit, data checksums."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sciml import __version__
from sciml.files import write_text_atomic


def config_hash(settings: Mapping[str, Any]) -> str:
    """sha256 of the settings as canonical JSON (sorted keys; paths and other objects as strings).

    Args:
        settings: the settings mapping.

    Returns:
        The 64-character hex digest.
    """
    canonical = json.dumps(settings, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@cache
def git_state() -> dict[str, Any]:
    """The git commit of the sciml source tree and whether it has uncommitted changes.

    Returns:
        `{"commit": <40 hex>, "dirty": bool}`, or `{"commit": None, "dirty": None}` when sciml is
        not running from a git checkout (an installed wheel) or git is not available.
    """
    source = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True,
                                check=True, timeout=30).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=source,
                                capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


def provenance(settings: Mapping[str, Any], seed: int, datasets: Iterable[str] = ()) -> dict[str, Any]:
    """The provenance block: what produced a set of metrics, from which inputs.

    Args:
        settings: the settings the metrics were computed with (hashed, not stored).
        seed: the run's seed.
        datasets: registry names of the data used; their pinned file checksums are recorded (the
            fetch step verified the files against exactly these).

    Returns:
        `{"config_sha256", "seed", "sciml_version", "git": {"commit", "dirty"}, "data": {name: {file: sha256}}}`.
    """
    from sciml.data.registry import REGISTRY

    return {
        "config_sha256": config_hash(settings),
        "seed": seed,
        "sciml_version": __version__,
        "git": git_state(),
        "data": {name: dict(sorted(REGISTRY[name].files.items())) for name in sorted(set(datasets))},
    }


def write_metrics(
    path: str | os.PathLike[str],
    metrics: Mapping[str, Any],
    *,
    settings: Mapping[str, Any],
    seed: int,
    datasets: Iterable[str] = (),
) -> Path:
    """Write `metrics` plus a `provenance` block as sorted, indented JSON, atomically.

    Keep run-dependent values (wall times) out of `metrics` where byte-identical reruns matter;
    the key order and float formatting are deterministic.

    Args:
        path: the `metrics.json` to write.
        metrics: the metrics (JSON values, nested mappings allowed).
        settings: the settings they were computed with.
        seed: the run's seed.
        datasets: registry names of the data used.

    Returns:
        `path` as a `Path`.
    """
    document = dict(metrics)
    document["provenance"] = provenance(settings, seed, datasets)
    return write_text_atomic(path, json.dumps(document, indent=2, sort_keys=True) + "\n")


def is_timing_key(key: str) -> bool:
    """True for wall-time measures, which legitimately differ between identical runs.

    Convention for metrics.json: such keys end in `seconds` or `_per_s`, or contain `latency`.
    """
    return key.endswith("seconds") or key.endswith("_per_s") or "latency" in key


def without_timings(metrics: Any) -> Any:
    """A copy of a metrics document with every timing key (see `is_timing_key`) removed, recursively."""
    if isinstance(metrics, Mapping):
        return {k: without_timings(v) for k, v in metrics.items() if not is_timing_key(str(k))}
    if isinstance(metrics, list):
        return [without_timings(v) for v in metrics]
    return metrics
