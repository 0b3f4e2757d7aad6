"""The smoke workflow on a real (local, single-node) SLURM cluster: its domains' results equal a local run's."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time

import pytest
from local_slurm import domain_groups

from sciml.provenance import without_timings

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


def test_smoke_workflow_runs_every_job_on_slurm(slurm_smoke_run, smoke_run, repo_root):
    """Every non-local job of the SLURM run's domains ran inside a SLURM job (one per domain group), and those
    domains' results are the files of the local run."""
    done = slurm_smoke_run.process
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
    assert set(slurm_smoke_run.domains) <= set(submitted_groups)
    finished = re.findall(r"Finished jobid: \d+ \(Rule: (\w+)\)", log)
    assert sorted(rule for rule in finished if rule != "all") == sorted(
        rule for rule in remote_rules for _ in range(counts[rule]))
    for domain in slurm_smoke_run.domains:
        local_files = sorted(p.relative_to(smoke_run) for p in (smoke_run / "results" / domain).rglob("*")
                             if p.is_file())
        slurm_files = sorted(p.relative_to(slurm_smoke_run.workdir)
                             for p in (slurm_smoke_run.workdir / "results" / domain).rglob("*") if p.is_file())
        assert local_files and local_files == slurm_files, domain
        for relative in (p for p in local_files if p.name == "metrics.json"):
            local = json.loads((smoke_run / relative).read_text())
            on_slurm = json.loads((slurm_smoke_run.workdir / relative).read_text())
            assert without_timings(local) == without_timings(on_slurm), relative
