"""Preemption: SIGTERM a training job mid-run (what SLURM does), rerun the workflow, get the same model.

The smoke workflow's ECG teacher trains for two epochs. Once the first epoch's checkpoint is on
disk the test sends SIGTERM to that training process; the job exits non-zero, Snakemake stops, the
checkpoint survives (it is kept outside the job's outputs), and the rerun resumes from it. The
resumed model must be byte-identical to the one of an uninterrupted smoke run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TARGET = "results/ecg/model"


def _training_process(workdir: Path) -> int | None:
    """Pid of the `sciml ecg train` process running in `workdir`, if any."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            if Path(os.readlink(proc / "cwd")) != workdir:
                continue
        except OSError:  # the process ended while we looked
            continue
        words = [a.decode(errors="replace") for a in argv]
        if any(w.endswith("sciml") for w in words) and "ecg" in words and "train" in words:
            return int(proc.name)
    return None


def _sigterm_after_first_checkpoint(workdir: Path, snakemake: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and snakemake.poll() is None:
        checkpoints = list((workdir / "results" / "checkpoints" / "ecg").glob("teacher-*/checkpoint"))
        pid = _training_process(workdir) if checkpoints else None
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            return
        time.sleep(0.02)
    pytest.fail("the ECG teacher never wrote a checkpoint while its process ran")


def test_killed_training_resumes_to_the_same_model(tmp_path, smoke_command, smoke_run):
    workdir = tmp_path.resolve()
    command, env = smoke_command(workdir, TARGET)
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as first:
        _sigterm_after_first_checkpoint(workdir, first)
        output, _ = first.communicate(timeout=600)
    assert first.returncode != 0, output[-3000:]
    assert "interrupted" in (workdir / "logs" / "ecg" / "train.log").read_text()
    assert not (workdir / TARGET).exists(), "a killed job must leave no output"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "resumed from" in (workdir / "logs" / "ecg" / "train.log").read_text()
    for name in ("model.safetensors", "config.json"):
        assert (workdir / TARGET / name).read_bytes() == (smoke_run / TARGET / name).read_bytes(), name
