"""The smoke workflow on a real (local, single-node) SLURM cluster equals a local run."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from sciml.provenance import without_timings

pytestmark = [pytest.mark.hpc, pytest.mark.slow]


def test_sbatch_runs_a_job(slurm_cluster, tmp_path):
    out = tmp_path / "out.txt"
    submitted = subprocess.run(["sbatch", "--parsable", "-o", str(out), "--wrap", "echo ran-$SLURM_JOB_ID"],
                               env={**__import__("os").environ, **slurm_cluster}, capture_output=True, text=True)
    assert submitted.returncode == 0, submitted.stderr
    job_id = submitted.stdout.strip().split(";")[0]
    for _ in range(60):
        if out.exists() and out.read_text().strip():
            break
        __import__("time").sleep(0.5)
    assert out.read_text().strip() == f"ran-{job_id}"


def test_smoke_workflow_on_slurm_matches_local_run(slurm_cluster, smoke_run, run_smoke, tmp_path):
    done = run_smoke(
        tmp_path, "--executor", "slurm", "--jobs", "4", "--slurm-no-account", "--slurm-status-command", "squeue",
        "--slurm-init-seconds-before-status-checks", "2", "--default-resources", "slurm_partition=debug",
        "--latency-wait", "30", env=slurm_cluster,
    )
    assert done.returncode == 0, done.stderr[-6000:]
    log = done.stderr + done.stdout
    submitted = re.findall(r"submitted with SLURM jobid (\d+)", log)
    stats = re.search(r"Job stats:\n.*?\n-+\s+-+\n(.*?)\ntotal\s+(\d+)", log, re.S)
    assert stats, log[-3000:]
    local_jobs = sum(int(line.split()[1]) for line in stats.group(1).splitlines() if line.split()[0] == "all")
    assert len(submitted) == int(stats.group(2)) - local_jobs, "every non-local job must run as a SLURM job"
    local_files = sorted(p.relative_to(smoke_run) for p in (smoke_run / "results").rglob("*") if p.is_file())
    slurm_files = sorted(p.relative_to(tmp_path) for p in (tmp_path / "results").rglob("*") if p.is_file())
    assert local_files == slurm_files
    for relative in local_files:
        if relative.name == "metrics.json":
            local = json.loads((smoke_run / relative).read_text())
            remote = json.loads((tmp_path / relative).read_text())
            assert without_timings(local) == without_timings(remote), relative
        elif relative.suffix in (".tsv", ".json", ".csv"):
            assert (smoke_run / relative).read_bytes() == (tmp_path / relative).read_bytes(), relative
