"""The Snakemake workflow: config validation, dry runs of every config, the smoke run end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "workflows" / "config"
DOMAINS = ("enhancers", "hic", "ecg", "crystals", "pinn")


@pytest.mark.parametrize("name", ["default", "smoke", "full"])
def test_dry_run_of_each_config(name, tmp_path, run_snakemake):
    done = run_snakemake(tmp_path, "-n", "--cores", "2", "--configfile", str(CONFIGS / f"{name}.yaml"))
    assert done.returncode == 0, done.stderr + done.stdout
    assert "data_manifest" in done.stdout


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda c: c.update(sead=1), "sead"),
        (lambda c: c["pinn"].update(nonsense=3), "nonsense"),
    ],
)
def test_invalid_config_is_rejected_before_any_job(edit, named, tmp_path, run_snakemake):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    edit(config)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(config))
    done = run_snakemake(tmp_path, "--cores", "1", "--configfile", str(bad))
    assert done.returncode != 0
    assert named in done.stderr, done.stderr
    assert not (tmp_path / "results").exists()
    assert not (tmp_path / "logs").exists()


def test_domains_can_be_switched_off(tmp_path, run_snakemake):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    for domain in DOMAINS:
        config[domain]["enabled"] = False
    path = tmp_path / "off.yaml"
    path.write_text(yaml.safe_dump(config))
    done = run_snakemake(tmp_path, "-n", "--cores", "1", "--configfile", str(path))
    assert done.returncode == 0, done.stderr
    for domain in DOMAINS:
        assert f"results/{domain}/" not in done.stdout


@pytest.mark.slow
def test_smoke_workflow_runs_end_to_end(smoke_run):
    manifest = (smoke_run / "results" / "data" / "manifest.tsv").read_text().splitlines()
    assert manifest[0].split("\t")[:3] == ["dataset", "file", "sha256"] and len(manifest) > 50
    for domain in DOMAINS:
        if (REPO / "sciml" / domain / "cli.py").exists():
            metrics = smoke_run / "results" / domain / "metrics.json"
            assert metrics.is_file(), f"{domain} is implemented but wrote no metrics.json"
    logs = list((smoke_run / "logs").rglob("*.log"))
    assert logs, "rules must write their logs under logs/"


def _checkpoint_dirs(tmp_path: Path, run_snakemake, config: dict, name: str) -> dict[str, str]:
    """{job: checkpoint folder} that a dry run of the ECG part of `config` would train with."""
    for domain in DOMAINS:
        config[domain]["enabled"] = domain == "ecg"
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config))
    done = run_snakemake(tmp_path, "-n", "-p", "--cores", "1", "--configfile", str(path))
    assert done.returncode == 0, done.stderr
    folders = [word for word in done.stdout.split() if "results/checkpoints/ecg/" in word]
    return {Path(folder).name.rsplit("-", 1)[0]: folder for folder in folders}


def test_checkpoint_folder_follows_only_the_jobs_own_settings(tmp_path, run_snakemake):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    before = _checkpoint_dirs(tmp_path, run_snakemake, config, "before")
    config["ecg"]["student"]["kd_alpha"] = 0.35  # the default 0.7, halved
    after = _checkpoint_dirs(tmp_path, run_snakemake, config, "after")
    assert {"teacher", "student"} <= before.keys()
    assert after["teacher"] == before["teacher"], "a student setting must not retrain the teacher"
    assert after["student"] != before["student"], "a changed student setting must not resume a stale run"
