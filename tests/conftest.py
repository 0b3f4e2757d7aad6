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
LOCAL_ARGS = ("--cores", "2", "--workflow-profile", str(REPO / "workflows" / "profiles" / "local"))
SnakemakeRunner = Callable[..., subprocess.CompletedProcess]


# Tests using these fixtures share the session's workflow runs: with pytest-xdist (`make test`: `-n 2 --dist
# loadgroup`) they run on one worker, so each run happens once, while the other tests use the other workers.
WORKFLOW_RUN_FIXTURES = frozenset({"smoke_run", "second_smoke_run", "slurm_smoke_run", "slurm_cluster"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the tests that use a workflow-run fixture in one xdist group (before xdist reads the groups), first:
    xdist hands out work in collection order, and this group is the longest."""
    runs = [item for item in items if WORKFLOW_RUN_FIXTURES & set(getattr(item, "fixturenames", ()))]
    for item in runs:
        item.add_marker(pytest.mark.xdist_group("workflow-runs"))
    items[:] = runs + [item for item in items if item not in runs]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop when pytest-xdist did not group them: two workers would each start the workflow runs and a SLURM cluster."""
    if os.environ.get("PYTEST_XDIST_WORKER") and session.config.getvalue("loadgroup"):
        ungrouped = [item.nodeid for item in session.items
                     if item.get_closest_marker("xdist_group") and not item.nodeid.endswith("@workflow-runs")]
        if ungrouped:
            raise pytest.UsageError(f"pytest-xdist ignored the xdist_group of {ungrouped[0]} (pytest >= 9.2?)")


def pytest_configure(config: pytest.Config) -> None:
    """One torch thread per xdist worker and per process it starts (examples, command lines): several workers
    with a thread per core each oversubscribe the cores. Jobs given `--threads N` still use N."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import torch

        torch.set_num_threads(1)


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


def domains_only(directory: Path, domains: tuple[str, ...]) -> Path:
    """Write a config overlay enabling only `domains`; return its path."""
    path = directory / "only.yaml"
    path.write_text(yaml.safe_dump({domain: {"enabled": domain in domains} for domain in DOMAINS}))
    return path


@pytest.fixture(scope="session")
def smoke_command(data_mirror) -> Callable[..., tuple[list[str], dict[str, str]]]:
    """`smoke_command(workdir, *args)` -> (argv, env) of a local smoke run, for tests that drive the process."""

    def command(workdir: Path, *args: str) -> tuple[list[str], dict[str, str]]:
        return snakemake_command(workdir, "--configfile", str(smoke_config(workdir, data_mirror)), *LOCAL_ARGS, *args)

    return command


@pytest.fixture(scope="session")
def run_smoke(data_mirror) -> SnakemakeRunner:
    """`run_smoke(workdir, *args, env=)`: the smoke workflow in `workdir`; default args run it locally."""

    def run(workdir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        config = smoke_config(workdir, data_mirror)
        return _run_snakemake(workdir, "--configfile", str(config), *(args or LOCAL_ARGS), env=env)

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


@dataclass
class PartialRun:
    """A smoke run of some domains only."""

    workdir: Path
    process: subprocess.CompletedProcess
    domains: tuple[str, ...]


# The domains the SLURM check runs: two groups on the two-CPU node at once, each a short one; the check
# asserts their results equal the first local run's. The other domains (`RERUN_DOMAINS`) are run a second
# time locally (`second_smoke_run`), where it is faster; together the two reruns check every domain's determinism.
SLURM_DOMAINS = ("pinn", "ecg")
RERUN_DOMAINS = tuple(domain for domain in DOMAINS if domain not in SLURM_DOMAINS)


@pytest.fixture(scope="session")
def second_smoke_run(tmp_path_factory, data_mirror, smoke_run) -> PartialRun:
    """A second, independent local smoke run of `RERUN_DOMAINS` (the determinism check compares it with `smoke_run`)."""
    workdir = tmp_path_factory.mktemp("smoke-second")
    process = _run_snakemake(workdir, "--configfile", str(smoke_config(workdir, data_mirror)),
                             str(domains_only(workdir, RERUN_DOMAINS)), *LOCAL_ARGS)
    assert process.returncode == 0, process.stderr[-5000:]
    return PartialRun(workdir, process, RERUN_DOMAINS)


@pytest.fixture(scope="session")
def slurm_smoke_run(tmp_path_factory, data_mirror, slurm_cluster) -> PartialRun:
    """The smoke workflow with only `SLURM_DOMAINS` enabled, every job submitted to the local SLURM cluster."""
    workdir = tmp_path_factory.mktemp("smoke-slurm")
    process = _run_snakemake(workdir, "--configfile", str(smoke_config(workdir, data_mirror)),
                             str(domains_only(workdir, SLURM_DOMAINS)),
                             *smoke_slurm_args(REPO / "workflows" / "rules"), env=slurm_cluster)
    return PartialRun(workdir, process, SLURM_DOMAINS)
