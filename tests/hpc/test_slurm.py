"""The smoke workflow on a real (local, single-node) SLURM cluster equals a local run."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
from local_slurm import domain_groups

pytestmark = [pytest.mark.hpc, pytest.mark.slow]


def test_sbatch_runs_a_job(slurm_cluster, tmp_path):
    out = tmp_path / "out.txt"
    submitted = subprocess.run(["sbatch", "--parsable", "-o", str(out), "--wrap", "echo ran-$SLURM_JOB_ID"],
                               env={**os.environ, **slurm_cluster}, capture_output=True, text=True)
    assert submitted.returncode == 0, submitted.stderr
    job_id = submitted.stdout.strip().split(";")[0]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out.exists() and out.read_text().strip()):
        time.sleep(0.5)
    assert out.read_text().strip() == f"ran-{job_id}"


def test_smoke_workflow_runs_every_job_on_slurm(second_smoke_run, smoke_run, repo_root):
    """Every non-local job ran inside a SLURM job (one per domain group); results equal the local run's."""
    if not second_smoke_run.on_slurm:
        pytest.skip(second_smoke_run.skip_reason)
    done = second_smoke_run.process
    assert done.returncode == 0, done.stderr[-6000:]
    log = done.stderr + done.stdout
    stats = re.search(r"Job stats:\n.*?\n-+\s+-+\n(.*?)\ntotal\s+(\d+)", log, re.S)
    assert stats, log[-3000:]
    counts = {line.split()[0]: int(line.split()[1]) for line in stats.group(1).splitlines()}
    remote_rules = {rule for rule in counts if rule != "all"}
    submitted_groups = re.findall(r"submitted with SLURM jobid \d+ \(log: \S*/slurm_logs/group_([a-z]+)_", log)
    assert sorted(submitted_groups) == sorted(set(submitted_groups)), "a domain group was submitted twice"
    groups = domain_groups(repo_root / "workflows" / "rules")
    assert set(submitted_groups) == {groups[rule] for rule in remote_rules}
    finished = re.findall(r"Finished jobid: \d+ \(Rule: (\w+)\)", log)
    assert sorted(rule for rule in finished if rule != "all") == sorted(
        rule for rule in remote_rules for _ in range(counts[rule]))
    local_files = sorted(p.relative_to(smoke_run) for p in (smoke_run / "results").rglob("*") if p.is_file())
    slurm_files = sorted(p.relative_to(second_smoke_run.workdir)
                         for p in (second_smoke_run.workdir / "results").rglob("*") if p.is_file())
    assert local_files == slurm_files
