"""Shared fixtures: repository paths, the offline data mirror, and one smoke workflow run per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
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


def _run_snakemake(workdir: Path, *args: str, timeout: int = 1200, env: dict[str, str] | None = None
                   ) -> subprocess.CompletedProcess[str]:
    """Run snakemake on the repository's Snakefile with `workdir` as working directory."""
    exe = Path(sys.executable).with_name("snakemake")
    full_env = dict(os.environ, PATH=f"{exe.parent}{os.pathsep}{os.environ['PATH']}", **(env or {}))
    return subprocess.run(
        [str(exe), "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir), *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, check=False,
    )


@pytest.fixture(scope="session")
def run_snakemake() -> SnakemakeRunner:
    """`run_snakemake(workdir, *args, timeout=, env=)` -> CompletedProcess."""
    return _run_snakemake


def smoke_config(directory: Path, mirror: Path) -> Path:
    """Write the smoke config with the data mirror filled in; return its path."""
    config = yaml.safe_load((CONFIGS / "smoke.yaml").read_text())
    config["data"]["mirror"] = str(mirror)
    path = directory / "smoke.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


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
