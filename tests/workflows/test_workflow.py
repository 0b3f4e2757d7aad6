"""The Snakemake workflow: config validation, dry runs of every config, the smoke run end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "workflows" / "config"


def snakemake(workdir: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run snakemake on the repository's Snakefile with `workdir` as working directory."""
    exe = Path(sys.executable).with_name("snakemake")
    env = dict(os.environ, PATH=f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(
        [str(exe), "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir), *args],
        capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )


@pytest.mark.parametrize("name", ["default", "smoke", "full"])
def test_dry_run_of_each_config(name, tmp_path):
    done = snakemake(tmp_path, "-n", "--cores", "2", "--configfile", str(CONFIGS / f"{name}.yaml"))
    assert done.returncode == 0, done.stderr + done.stdout
    assert "rule all" in done.stdout or "all" in done.stdout


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda c: c.update(sead=1), "sead"),
        (lambda c: c.update(seed="zero"), "zero"),
        (lambda c: c["ecg"].update(enabled="yes"), "yes"),
        (lambda c: c["pinn"].update(nonsense=3), "nonsense"),
        (lambda c: c.update(device="tpu"), "tpu"),
    ],
)
def test_invalid_config_is_rejected_before_any_job(edit, named, tmp_path):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    edit(config)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(config))
    done = snakemake(tmp_path, "--cores", "1", "--configfile", str(bad))
    assert done.returncode != 0
    assert named in done.stderr, done.stderr
    assert not (tmp_path / "results").exists()
    assert not (tmp_path / "logs").exists()


def test_domains_can_be_switched_off(tmp_path):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    for domain in ("enhancers", "hic", "ecg", "crystals", "pinn"):
        config[domain]["enabled"] = False
    path = tmp_path / "off.yaml"
    path.write_text(yaml.safe_dump(config))
    done = snakemake(tmp_path, "-n", "--cores", "1", "--configfile", str(path))
    assert done.returncode == 0, done.stderr
    for domain in ("enhancers", "hic", "ecg", "crystals", "pinn"):
        assert f"results/{domain}/" not in done.stdout


@pytest.mark.slow
def test_smoke_workflow_runs_end_to_end(tmp_path, data_mirror):
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    config["data"]["mirror"] = str(data_mirror)
    path = tmp_path / "smoke.yaml"
    path.write_text(yaml.safe_dump(config))
    done = snakemake(tmp_path, "--cores", "2", "--configfile", str(path),
                     "--workflow-profile", str(REPO / "workflows" / "profiles" / "local"))
    assert done.returncode == 0, done.stderr[-5000:]
    manifest = (tmp_path / "results" / "data" / "manifest.tsv").read_text().splitlines()
    assert manifest[0].split("\t")[:3] == ["dataset", "file", "sha256"] and len(manifest) > 50
    for domain in ("enhancers", "hic", "ecg", "crystals", "pinn"):
        metrics = tmp_path / "results" / domain / "metrics.json"
        if (REPO / "sciml" / domain / "cli.py").exists():
            assert metrics.is_file(), f"{domain} is implemented but wrote no metrics.json"
    shutil.rmtree(tmp_path / ".snakemake", ignore_errors=True)
