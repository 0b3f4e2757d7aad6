"""The crystals settings: the workflow section validates, and its jobs get the measured default settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sciml.crystals.settings import WORKFLOW_SETTINGS, GenerateSettings, TrainSettings
from sciml.errors import ConfigError
from sciml.settings import from_dict, merge, to_dict

CONFIGS = Path(__file__).resolve().parents[2] / "workflows" / "config"


def _section(*names: str) -> dict:
    config: dict = {}
    for name in names:
        config = merge(config, yaml.safe_load((CONFIGS / f"{name}.yaml").read_text()))
    return config["crystals"]


def _leaves(mapping: dict) -> int:
    return sum(_leaves(v) if isinstance(v, dict) else 1 for v in mapping.values())


@pytest.mark.parametrize("overlays", [(), ("smoke",), ("full",)])
def test_config_section_validates_after_merging_each_overlay(overlays):
    section = from_dict(WORKFLOW_SETTINGS, _section("default", *overlays), prefix="crystals")
    for family in section.families:
        section.generate_job(family, 0)
        for model in section.models:
            for n in section.sizes(family):
                section.train_job(family, model, n, 0)


def test_default_section_is_small():
    assert _leaves(_section("default")) <= 18


def test_default_jobs_keep_the_measured_settings():
    """The default run's settings of every synthetic job, and of the DFT benchmark's jobs."""
    section = from_dict(WORKFLOW_SETTINGS, _section("default"))
    assert section.families == ("silicon",) and section.sizes("silicon") == [300]
    assert section.generate_job("silicon", 7) == GenerateSettings(family="silicon", n_train=300, n_val=100,
                                                                  n_test=300, max_atoms=64, seed=7)
    shared = {"batch_size": 8, "validate_steps": 125, "energy_weight": 10.0, "force_weight": 1.0,
              "stress_weight": 1.0, "warmup_epochs": 1, "lr_decay": 0.01, "grad_clip_norm": 10.0}
    invariant = {"hidden": 32, "num_interactions": 2, "num_basis": 8, "l_max": 2, "angular_channels": 8}
    equivariant = {"l_max": 1, "channels": 8, "num_layers": 2, "num_basis": 8, "radial_hidden": 16}
    expected = {
        ("silicon", "invariant", 300): {"cutoff": 3.8, "steps": 1500, "lr": 0.01},
        ("silicon", "equivariant", 300): {"cutoff": 3.8, "steps": 1500, "lr": 0.04, "l_max": 2},
    }
    benchmark = section.benchmark
    assert benchmark.elements == ("Si", "Mo") and benchmark.models == ("invariant", "equivariant")
    assert (benchmark.committee_elements, benchmark.committee_model, benchmark.committee_size) == (
        ("Si",), "invariant", 3)
    si = benchmark.train_job("Si", "equivariant", 7)
    assert (si.cutoff, si.steps, si.batch_size, si.energy_weight, si.stress_weight, si.seed) == (
        5.0, 6000, 2, 10.0, 1.0, 7)
    assert (si.stage_two_fraction, si.stage_two_energy_weight) == (0.3, 100.0)  # forces first, energies last
    assert benchmark.train_job("Cu", "invariant", 7).stress_weight == 0.0  # no stresses in the Cu file
    for (family, model, n), values in expected.items():
        job = to_dict(section.train_job(family, model, n, 7))
        l_max = values.pop("l_max", None)
        network = {"invariant": dict(invariant), "equivariant": dict(equivariant)}
        if l_max is not None:
            network[model]["l_max"] = l_max
        assert job == {**to_dict(TrainSettings()), **shared, **values, **network, "model": model, "n_train": n,
                       "seed": 7}, (family, model, n)


def test_overrides_merge_key_by_key_and_stage_two_needs_its_weight():
    section = from_dict(WORKFLOW_SETTINGS, {"overrides": {"silicon": {"equivariant": {"lr": 0.003}}}})
    job = section.train_job("silicon", "equivariant", 1000, 0)
    assert (job.lr, job.cutoff, job.equivariant.l_max) == (0.003, 3.8, 2)
    with pytest.raises(ConfigError, match="stage_two_energy_weight"):
        from_dict(WORKFLOW_SETTINGS, {"overrides": {"metals": {"invariant": {"stage_two_fraction": 0.2}}}}
                  ).train_job("metals", "invariant", 1000, 0)
    with pytest.raises(ConfigError, match="committee_elements"):
        from_dict(WORKFLOW_SETTINGS, {"benchmark": {"elements": ["Si"], "committee_elements": ["Mo"]}})
    with pytest.raises(ConfigError, match="committee_size"):
        from_dict(WORKFLOW_SETTINGS, {"benchmark": {"committee_size": 1}})
    with pytest.raises(ConfigError, match="committee_model"):
        from_dict(WORKFLOW_SETTINGS, {"benchmark": {"models": ["equivariant"], "committee_model": "invariant"}})
    with pytest.raises(ConfigError, match="crystals.train.invariant.depth"):
        from_dict(WORKFLOW_SETTINGS, {"train": {"invariant": {"depth": 3}}}, prefix="crystals")


def test_rules_pass_each_job_its_overrides(tmp_path, run_snakemake):
    """A dry run writes every job's settings file; a family override reaches one model only."""
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    config = {"crystals": merge(config["crystals"], {
        "families": ["metals", "silicon"], "overrides": {"metals": {"invariant": {
        "steps": 3, "cutoff": 5.5, "lr": 0.04, "stage_two_fraction": 0.2, "stage_two_energy_weight": 100.0}}},
        "benchmark": {"committee_elements": ["Si"], "committee_size": 3}})}
    for domain in ("enhancers", "hic", "ecg", "pinn"):
        config[domain] = {"enabled": False}
    path = tmp_path / "override.yaml"
    path.write_text(yaml.safe_dump(config))
    done = run_snakemake(tmp_path, "-n", "--cores", "1", "--configfile", str(CONFIGS / "smoke.yaml"), str(path))
    assert done.returncode == 0, done.stderr + done.stdout
    settings = tmp_path / "results" / "settings" / "crystals"
    invariant = json.loads((settings / "train_metals_invariant_n12.json").read_text())
    equivariant = json.loads((settings / "train_metals_equivariant_n12.json").read_text())
    assert (invariant["cutoff"], invariant["lr"], invariant["stage_two_fraction"]) == (5.5, 0.04, 0.2)
    assert (equivariant["cutoff"], equivariant["lr"], equivariant["stage_two_fraction"]) == (4.5, 0.003, 0.0)
    seed = yaml.safe_load((CONFIGS / "default.yaml").read_text())["seed"]
    assert invariant["steps"] == 3 and invariant["seed"] == seed
    members = [json.loads((settings / f"benchmark_committee_Si_member{k}.json").read_text()) for k in (1, 2)]
    assert [m["seed"] for m in members] == [seed + 1, seed + 2] and members[0]["model"] == "invariant"
    assert "committee.json" in done.stdout
