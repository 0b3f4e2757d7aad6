"""`benchmarks/pinn_suite.py --add`: runs of other seeds are kept only under the same settings; medians over all."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[2] / "benchmarks" / "pinn_suite.py"


@pytest.fixture(scope="module")
def suite():
    spec = importlib.util.spec_from_file_location("pinn_suite", SUITE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(seed: int, error: float, cpu: float, commit: str = "new") -> dict:
    return {"seed": seed, "rel_l2": error, "cpu_seconds": cpu, "commit": commit}


def test_earlier_seeds_are_kept_under_the_same_settings(suite):
    earlier = {"settings": {"a": [1, 2]}, "commit": "old", "date": "d0", "runs": [_run(0, 4e-5, 563.0, "old")]}
    entry = {"settings": {"a": [1, 2]}, "runs": [_run(1, 1e-4, 500.0), _run(2, 2e-5, 600.0)]}
    merged = suite.merge_runs(earlier, entry)
    assert [r["seed"] for r in merged["runs"]] == [0, 1, 2] and merged["runs"][0]["commit"] == "old"
    assert merged["rel_l2_median"] == 4e-5 and merged["cpu_seconds_median"] == 563.0


def test_a_re_run_seed_replaces_its_earlier_run_and_other_settings_replace_all(suite):
    earlier = {"settings": {"a": 1}, "runs": [_run(0, 1.0, 1.0, "old"), _run(1, 2.0, 2.0, "old")]}
    merged = suite.merge_runs(earlier, {"settings": {"a": 1}, "runs": [_run(1, 3.0, 3.0)]})
    assert [(r["seed"], r["rel_l2"]) for r in merged["runs"]] == [(0, 1.0), (1, 3.0)]
    changed = suite.merge_runs(earlier, {"settings": {"a": 2}, "runs": [_run(1, 3.0, 3.0)]})
    assert [r["seed"] for r in changed["runs"]] == [1] and changed["rel_l2_median"] == 3.0
    assert suite.merge_runs(None, {"settings": {}, "runs": [_run(5, 7.0, 1.0)]})["rel_l2_median"] == 7.0
