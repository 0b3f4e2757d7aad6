"""`benchmarks/pinn_suite.py --add`: runs of other seeds are kept only under the same settings; medians over all."""

from __future__ import annotations

import importlib.util
import time
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


def test_validation_clock_leaves_its_own_evaluation_out_of_the_cpu_seconds(suite, monkeypatch):
    def slow_error(model, reference):
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        return {"rel_l2": 0.5}

    monkeypatch.setattr(suite, "scattered_error", slow_error)
    clock = suite._ValidationClock(validation=object())
    assert clock(None) == {"rel_l2_validation": 0.5} and clock(None) == {"rel_l2_validation": 0.5}
    assert clock.cpu_seconds() < 0.2 and [error for _, error in clock.curve] == [0.5, 0.5]


def test_train_problem_passes_the_monitor_to_every_log_point(tmp_path):
    from sciml.pinn.pipeline import train_problem
    from sciml.pinn.settings import NetworkSettings, PINNTrainConfig, TrainSettings

    calls = []
    settings = TrainSettings(pde="heat", network=NetworkSettings(width=8, depth=2), train=PINNTrainConfig(
        n_collocation=100, adam_steps=20, lbfgs_steps=10, rar_rounds=0, log_every=10, device="cpu"))
    train_problem(settings, tmp_path / "heat", monitor=lambda model: calls.append(model) or {"probe": len(calls)})
    header, *rows = (tmp_path / "heat" / "losses.csv").read_text().splitlines()
    column = header.split(",").index("probe")
    assert len(calls) >= 3 and [int(row.split(",")[column]) for row in rows] == list(range(1, len(rows) + 1))
