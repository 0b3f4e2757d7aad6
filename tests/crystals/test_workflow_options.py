"""The crystals rules turn a family's per-model overrides (cutoff, learning rate, stage two) into CLI options."""

from __future__ import annotations

from pathlib import Path

import yaml

CONFIGS = Path(__file__).resolve().parents[2] / "workflows" / "config"


def test_family_override_sets_cutoff_lr_and_stage_two_of_one_model_only(tmp_path, run_snakemake):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    for domain in ("enhancers", "hic", "ecg", "pinn"):
        config[domain]["enabled"] = False
    config["crystals"]["family_overrides"]["metals"] = {
        "invariant": {"steps": 3, "cutoff": 5.5, "lr": 0.04, "stage_two_fraction": 0.2,
                      "stage_two_energy_weight": 100.0}}
    path = tmp_path / "override.yaml"
    path.write_text(yaml.safe_dump(config))
    done = run_snakemake(tmp_path, "-n", "-p", "--cores", "1", "--configfile", str(path))
    assert done.returncode == 0, done.stderr + done.stdout
    commands = [line for line in done.stdout.splitlines() if "sciml crystals train" in line]
    metals = {kind: next(c for c in commands if f"--model {kind} " in c and "data/metals/" in c)
              for kind in ("invariant", "equivariant")}
    assert "--cutoff 5.5 " in metals["invariant"] and "--lr 0.04 " in metals["invariant"]
    assert "--stage-two-fraction 0.2 --stage-two-energy-weight 100.0 " in metals["invariant"]
    assert "--cutoff 4.5 " in metals["equivariant"] and "--stage-two" not in metals["equivariant"]
    assert f"--lr {config['crystals']['lr']} " in metals["equivariant"]


def test_stage_two_fraction_without_its_weight_is_rejected(tmp_path, run_snakemake):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    config["crystals"]["family_overrides"]["metals"] = {"invariant": {"steps": 3, "stage_two_fraction": 0.2}}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(config))
    done = run_snakemake(tmp_path, "-n", "--cores", "1", "--configfile", str(path))
    assert done.returncode != 0
    assert "stage_two_energy_weight' is a dependency" in done.stderr + done.stdout, done.stderr + done.stdout
