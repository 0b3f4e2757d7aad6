"""A throw-away single-node SLURM cluster on localhost (slurmctld + slurmd + munged as root).

`local_slurm_cluster(root)` raises `SlurmUnavailable` with the reason where it cannot start (not
root, Debian's slurm-wlm/munge not installed, a SLURM setup of the machine's own). State lives in
`root`; every daemon is stopped and the temporary config removed at the end, whatever happens.
Used by tests/hpc/conftest.py and benchmarks/workflow.py.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
MUNGE_KEY = Path("/etc/munge/munge.key")
MUNGE_SOCKET = Path("/run/munge/munge.socket.2")
SYSTEM_CONF = Path("/etc/slurm/slurm.conf")
CLIENTS = ("sbatch", "squeue", "sinfo", "scontrol")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def _memory_mb() -> int:
    with open("/proc/meminfo") as handle:
        total_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    return int(total_kb / 1024 * 0.8)


def _slurm_conf(root: Path, host: str) -> str:
    return "\n".join([
        "ClusterName=scimltest",
        f"SlurmctldHost={host}",
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        f"StateSaveLocation={root}/state",
        f"SlurmdSpoolDir={root}/spool",
        f"SlurmctldPidFile={root}/slurmctld.pid",
        f"SlurmdPidFile={root}/slurmd.pid",
        f"SlurmctldLogFile={root}/slurmctld.log",
        f"SlurmdLogFile={root}/slurmd.log",
        f"SlurmctldPort={_free_port()}",
        f"SlurmdPort={_free_port()}",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "MpiDefault=none",
        "SchedulerType=sched/backfill",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_CPU_Memory",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "ReturnToService=2",
        f"NodeName={host} CPUs={os.cpu_count()} RealMemory={_memory_mb()} State=UNKNOWN",
        f"PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP",
        "",
    ])


def domain_groups(rules_dir: Path) -> dict[str, str]:
    """Rule name -> SLURM group job: one group per rules file (the common rules form the `data` group)."""
    groups = {}
    for rules_file in sorted(rules_dir.glob("*.smk")):
        group = "data" if rules_file.stem == "common" else rules_file.stem
        groups.update({rule: group for rule in re.findall(r"^\s*rule (\w+):", rules_file.read_text(), re.M)})
    return groups


def smoke_slurm_args(rules_dir: Path) -> list[str]:
    """Snakemake arguments that run the smoke workflow on the local cluster, one SLURM job per domain.

    Every SLURM job pays a Snakemake start-up inside the job, and the executor polls job states at
    an interval that grows by 10 s per round in which no job finished. With ~40 smoke jobs of a few
    seconds each that overhead dominated (292 s on SLURM vs 126 s locally, 2 idle cores), so the
    smoke run groups each domain's jobs into one SLURM job (`--groups`, `--group-components`).
    `--cores 1` makes every group job request one CPU, so two domains run at once on the 2-CPU node
    (with `--cores 2` the groups queued one behind the other and the run took longer than ungrouped).
    A group job runs its jobs with at most that many threads, and torch sums in another order with
    another thread count, so the smoke config runs every job single-threaded: that keeps the
    grouped SLURM run byte-identical to the local one.
    """
    groups = domain_groups(rules_dir)
    return ["--executor", "slurm", "--jobs", "4", "--cores", "1",
            "--slurm-no-account", "--slurm-status-command", "squeue",
            "--slurm-init-seconds-before-status-checks", "2", "--default-resources", "slurm_partition=debug",
            "--latency-wait", "30",
            "--groups", *(f"{rule}={group}" for rule, group in groups.items()),
            "--group-components", *(f"{group}=1000" for group in sorted(set(groups.values())))]


def _leftover_of_a_killed_run(conf: Path) -> bool:
    """`conf` is this fixture's own configuration whose state folder is gone (a test run killed before
    its teardown): safe to replace, unlike a machine's real SLURM setup."""
    if not conf.is_file():
        return False
    text = conf.read_text()
    state = re.search(r"^StateSaveLocation=(.+)$", text, flags=re.M)
    return text.startswith("ClusterName=scimltest") and state is not None and not Path(state[1]).exists()


class SlurmUnavailable(RuntimeError):
    """The local cluster cannot be started here; the message says why."""


@contextmanager
def local_slurm_cluster(root: Path) -> Iterator[dict[str, str]]:
    """Start the cluster with its state under `root`; yield the environment clients need (SLURM_CONF)."""
    if os.geteuid() != 0:
        raise SlurmUnavailable("a local SLURM cluster needs root (slurmctld/slurmd run as root here)")
    missing = [name for name in DAEMONS + CLIENTS if _which(name) is None]
    if missing:
        raise SlurmUnavailable(f"SLURM/munge not installed ({', '.join(missing)} missing): apt-get install slurm-wlm munge")
    if not MUNGE_KEY.is_file():
        raise SlurmUnavailable(f"{MUNGE_KEY} is missing (Debian's munge package creates it)")
    if _leftover_of_a_killed_run(SYSTEM_CONF):
        SYSTEM_CONF.unlink()
    if SYSTEM_CONF.exists():
        raise SlurmUnavailable(f"{SYSTEM_CONF} exists: this machine has a SLURM setup of its own; not touching it")
    for sub in ("state", "spool"):
        (root / sub).mkdir()
    host = socket.gethostname()
    # snakemake's slurm-jobstep executor drops SLURM_CONF before its inner `srun`, so the inner
    # step finds the configuration only at the compiled-in default path: put it there for the test.
    SYSTEM_CONF.parent.mkdir(parents=True, exist_ok=True)
    SYSTEM_CONF.write_text(_slurm_conf(root, host))
    conf = SYSTEM_CONF
    env = dict(os.environ, SLURM_CONF=str(conf))
    processes: list[subprocess.Popen] = []
    try:
        # munged refuses sockets in folders it does not trust; use the packaged default location.
        if not MUNGE_SOCKET.exists():
            MUNGE_SOCKET.parent.mkdir(parents=True, exist_ok=True)
            shutil.chown(MUNGE_SOCKET.parent, "munge", "munge")
            processes.append(subprocess.Popen(["runuser", "-u", "munge", "--", _which("munged"), "--foreground"],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            deadline = time.monotonic() + 15
            while not MUNGE_SOCKET.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            if not MUNGE_SOCKET.exists():
                raise RuntimeError(f"munged did not start: {processes[0].stderr.read1().decode() if processes[0].stderr else ''}")
        for daemon in ("slurmctld", "slurmd"):
            processes.append(subprocess.Popen([_which(daemon), "-D", "-f", str(conf)], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 60
        state = ""
        while time.monotonic() < deadline:
            state = subprocess.run(["sinfo", "-h", "-o", "%t"], env=env, capture_output=True, text=True).stdout
            if state.strip() in ("idle", "mix", "alloc"):
                break
            time.sleep(1)
        else:
            logs = "".join((root / f).read_text()[-2000:] for f in ("slurmctld.log", "slurmd.log")
                           if (root / f).exists())
            raise RuntimeError(f"local SLURM cluster did not come up (sinfo: {state!r}):\n{logs}")
        yield {"SLURM_CONF": str(conf)}
    finally:
        subprocess.run(["scancel", "--user=root"], env=env, capture_output=True, check=False)
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        SYSTEM_CONF.unlink(missing_ok=True)
        for sub in ("state", "spool"):
            shutil.rmtree(root / sub, ignore_errors=True)
