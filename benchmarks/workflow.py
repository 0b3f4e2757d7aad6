"""Workflow scaling: wall time of the default workflow on 1 and 2 cores, and the smoke workflow run
locally vs on a local single-node SLURM cluster (scheduler overhead per job).

    python benchmarks/workflow.py                 # smoke local vs SLURM (SLURM part needs root + slurm-wlm)
    python benchmarks/workflow.py --default       # also the default workflow with --cores 1 and 2 (long)

Writes results/bench/workflow.json. Each run happens in a fresh temporary working directory.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def _mirror() -> str:
    return os.environ.get("SCIML_DATA_MIRROR") or str(REPO.parent / "shared" / "data")


def run_workflow(config_name: str, extra: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run one config in a fresh directory; return wall seconds and the number of jobs."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{config_name}-") as tmp:
        config = yaml.safe_load((REPO / "workflows" / "config" / f"{config_name}.yaml").read_text())
        config["data"]["mirror"] = _mirror()
        path = Path(tmp) / "config.yaml"
        path.write_text(yaml.safe_dump(config))
        started = time.perf_counter()
        done = subprocess.run(
            [SNAKEMAKE, "--snakefile", str(REPO / "Snakefile"), "--directory", tmp, "--configfile", str(path), *extra],
            capture_output=True, text=True, check=False,
            env=dict(os.environ, PATH=f"{Path(SNAKEMAKE).parent}:{os.environ['PATH']}", **(env or {})),
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"{config_name} {extra} failed:\n{done.stderr[-3000:]}")
        finished = re.findall(r"^Finished jobid", done.stdout + done.stderr, re.M)
        return {"wall_seconds": seconds, "jobs": len(finished)}


def slurm_smoke() -> dict[str, float] | None:
    """Smoke workflow on a throw-away local SLURM cluster (the fixture of tests/hpc), or None."""
    sys.path.insert(0, str(REPO / "tests" / "hpc"))
    from local_slurm import SlurmUnavailable, local_slurm_cluster, smoke_slurm_args

    try:
        with tempfile.TemporaryDirectory(prefix="bench-slurm-") as root, local_slurm_cluster(Path(root)) as env:
            return run_workflow("smoke", smoke_slurm_args(REPO / "workflows" / "rules"), env=env)
    except SlurmUnavailable as reason:
        print(f"SLURM part skipped: {reason}", file=sys.stderr)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--default", action="store_true", help="also time the default workflow on 1 and 2 cores")
    args = parser.parse_args()
    local_profile = ["--workflow-profile", str(REPO / "workflows" / "profiles" / "local")]
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    out = REPO / "results" / "bench" / "workflow.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    # Measurements this run does not repeat (e.g. the hour-long --default ones) are kept from the
    # previous file; each entry names the commit it was measured at.
    result: dict[str, object] = json.loads(out.read_text()) if out.exists() else {}
    result["cpu_count"] = os.cpu_count()

    def record(key: str, value: dict[str, object]) -> None:
        """Add one measurement and rewrite the JSON, so a long run that stops keeps what it measured."""
        result[key] = {**value, "commit": commit}
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"{key}: {json.dumps(result[key])}", flush=True)

    local = run_workflow("smoke", ["--cores", "2", *local_profile])
    record("smoke_local", local)
    slurm = slurm_smoke()
    if slurm is not None:
        record("smoke_slurm", slurm)
        extra = slurm["wall_seconds"] - local["wall_seconds"]
        record("slurm_overhead", {"seconds_per_job": extra / max(slurm["jobs"], 1)})
    if args.default:
        for cores in (2, 1):
            record(f"default_cores_{cores}", run_workflow("default", [*local_profile, "--cores", str(cores)]))


if __name__ == "__main__":
    main()
