"""Shared fixtures: repository paths, the offline data mirror, and one smoke workflow run per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from sciml.settings import DOMAINS

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "hpc"))
sys.path.insert(0, str(REPO / "tests" / "robustness"))
from local_slurm import SlurmUnavailable, local_slurm_cluster, smoke_slurm_args  # noqa: E402

CONFIGS = REPO / "workflows" / "config"
SnakemakeRunner = Callable[..., subprocess.CompletedProcess]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def data_mirror() -> Path:
    """The offline data mirror ($SCIML_DATA_MIRROR, else ../shared/data); skip when absent."""
    candidate = Path(os.environ.get("SCIML_DATA_MIRROR") or REPO.parent / "shared" / "data")
    if not candidate.is_dir():
        pytest.skip(f"no data mirror at {candidate} (set SCIML_DATA_MIRROR)")
    return candidate.resolve()


def snakemake_command(workdir: Path, *args: str, env: dict[str, str] | None = None
                      ) -> tuple[list[str], dict[str, str]]:
    """Argument list and environment that run snakemake on the repository's Snakefile in `workdir`."""
    exe = Path(sys.executable).with_name("snakemake")
    full_env = dict(os.environ, PATH=f"{exe.parent}{os.pathsep}{os.environ['PATH']}", **(env or {}))
    return [str(exe), "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir), *args], full_env


def _run_snakemake(workdir: Path, *args: str, timeout: int = 1200, env: dict[str, str] | None = None
                   ) -> subprocess.CompletedProcess[str]:
    """Run snakemake on the repository's Snakefile with `workdir` as working directory."""
    command, full_env = snakemake_command(workdir, *args, env=env)
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=full_env, check=False)


@pytest.fixture(scope="session")
def run_snakemake() -> SnakemakeRunner:
    """`run_snakemake(workdir, *args, timeout=, env=)` -> CompletedProcess."""
    return _run_snakemake


def smoke_config(directory: Path, mirror: Path) -> Path:
    """Write the smoke config with the data mirror filled in; return its path."""
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    config.setdefault("data", {})["mirror"] = str(mirror)
    path = directory / "smoke.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="session")
def smoke_command(data_mirror) -> Callable[..., tuple[list[str], dict[str, str]]]:
    """`smoke_command(workdir, *args)` -> (argv, env) of a local smoke run, for tests that drive the process."""
    local = ("--cores", "2", "--workflow-profile", str(REPO / "workflows" / "profiles" / "local"))

    def command(workdir: Path, *args: str) -> tuple[list[str], dict[str, str]]:
        return snakemake_command(workdir, "--configfile", str(smoke_config(workdir, data_mirror)), *local, *args)

    return command


@pytest.fixture(scope="session")
def run_smoke(data_mirror) -> SnakemakeRunner:
    """`run_smoke(workdir, *args, env=)`: the smoke workflow in `workdir`; default args run it locally."""
    local = ("--cores", "2", "--workflow-profile", str(REPO / "workflows" / "profiles" / "local"))

    def run(workdir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        config = smoke_config(workdir, data_mirror)
        return _run_snakemake(workdir, "--configfile", str(config), *(args or local), env=env)

    return run


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory, run_smoke) -> Path:
    """Working directory of one complete local run of the smoke workflow (shared by the session)."""
    workdir = tmp_path_factory.mktemp("smoke-local")
    done = run_smoke(workdir)
    assert done.returncode == 0, done.stderr[-5000:]
    return workdir


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Environment (SLURM_CONF) of a running local SLURM cluster; skips with the reason where none can start."""
    try:
        with local_slurm_cluster(tmp_path_factory.mktemp("slurm")) as env:
            yield env
    except SlurmUnavailable as reason:
        pytest.skip(str(reason))


# The domains the SLURM check runs: two groups on the two-CPU node at once, each a short one. The
# other domains' equality with a second run is checked locally (`second_smoke_run`), where it is faster.
SLURM_DOMAINS = ("pinn", "ecg")


@pytest.fixture(scope="session")
def second_smoke_run(tmp_path_factory, run_smoke, smoke_run) -> Path:
    """Working directory of a second, independent local smoke run: the determinism check compares it with `smoke_run`."""
    workdir = tmp_path_factory.mktemp("smoke-second")
    done = run_smoke(workdir)
    assert done.returncode == 0, done.stderr[-5000:]
    return workdir


@dataclass
class SlurmRun:
    """The smoke workflow of `SLURM_DOMAINS` run on the local SLURM cluster."""

    workdir: Path
    process: subprocess.CompletedProcess
    domains: tuple[str, ...]


@pytest.fixture(scope="session")
def slurm_smoke_run(tmp_path_factory, data_mirror, slurm_cluster) -> SlurmRun:
    """The smoke workflow with only `SLURM_DOMAINS` enabled, every job submitted to the local SLURM cluster."""
    workdir = tmp_path_factory.mktemp("smoke-slurm")
    only = workdir / "only.yaml"
    only.write_text(yaml.safe_dump({domain: {"enabled": domain in SLURM_DOMAINS} for domain in DOMAINS}))
    process = _run_snakemake(workdir, "--configfile", str(smoke_config(workdir, data_mirror)), str(only),
                             *smoke_slurm_args(REPO / "workflows" / "rules"), env=slurm_cluster)
    return SlurmRun(workdir, process, SLURM_DOMAINS)
