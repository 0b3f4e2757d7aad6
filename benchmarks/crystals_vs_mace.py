"""sciml vs MACE on one Zuo 2020 element: same split, cutoff and CPU budget; validation errors and calculator speed.

MACE (`mace-torch`) pins an older e3nn than sciml, so it lives in its own virtual environment
(`--mace-venv`, default ~/.cache/sciml/mace-venv), created on first use with `python -m venv` and
pip (`mace-torch==MACE_VERSION` with this environment's torch version); it is never installed into
the project's environment and the tests do not need it. MACE's pickled `.model` files are only
ever loaded by MACE's own code inside that environment.

Protocol (every step's output is kept in `--workdir` and reused on a rerun):

1. The split of the workflow: `prepare_benchmark` with the default config's `benchmark` settings
   (15 % of each group held out, workflow seed), exported for MACE as extended XYZ with the labels
   under MACE's keys (`REF_energy`, `REF_forces`, `REF_stress`) by `write_structures(keys=...)`.
2. sciml: `sciml crystals train` with the default workflow's training job of the element
   (`benchmark.train_job`, network `--ours`), one thread. Its CPU time (user + sys of the process,
   from the kernel's rusage of the finished child) is the budget.
3. MACE: `mace_run_train` (MACE's own CLI) for each candidate size of `CANDIDATES`, one thread,
   the same cutoff, training file and validation file (MACE keeps the checkpoint of the best
   validation loss, as sciml keeps its best validated epoch). The epochs come from the budget:
   two short probes (2 and 4 epochs) give MACE's CPU per epoch, and the run gets
   floor(budget / CPU per epoch) epochs, so its optimisation alone uses the budget (its start-up,
   final error tables and TorchScript export come on top: not charged to it).
4. Both evaluated on the validation structures by the same code (`error_metrics`, `group_errors`):
   sciml's model folder through `predict`, MACE's stage-one and stage-two models through
   `mace_eval_configs`, both in float32, their training dtype (a float32-trained MACE model fails
   in float64 in mace_eval_configs: "both inputs should have same dtype"). The MACE entry is the candidate/stage with the best selection score
   (energy MAE / baseline + force MAE / baseline, as `crystals select` does): chosen on validation.
5. Calculator speed: energy + forces atoms/s through `sciml.crystals.Calculator` and MACE's
   `MACECalculator` on rattled diamond-Si supercells of 64 and 512 atoms (`--calls` calls each,
   neighbour list included), one thread, in the same run: sciml in float64 and float32, MACE in
   float32 (its training dtype, see 4).

Writes results/bench/crystals_vs_mace.json (one entry per element; earlier elements are kept), with
the published GAP/MTP errors beside (the benchmark's *test* split; the errors here are validation).
Run: `SCIML_DATA_MIRROR=../shared/data python benchmarks/crystals_vs_mace.py --element Si [--ours invariant]
[--candidates tiny small]` (about 4x the CPU budget in all: sciml once, each MACE candidate once plus its probes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml
from crystals_calculator import atoms_per_second  # benchmarks/: the same cells and calls for both models

from sciml.crystals.calculator import Calculator
from sciml.crystals.evaluate import Predictions, baseline_errors, error_metrics, group_errors, predict
from sciml.crystals.io import read_structures, write_structures
from sciml.crystals.pipeline import prepare_benchmark
from sciml.crystals.settings import WORKFLOW_SETTINGS, LabelKeys
from sciml.crystals.zuo2020 import PUBLISHED_TEST_MAE
from sciml.files import write_text_atomic
from sciml.models import load_model
from sciml.provenance import git_state
from sciml.settings import dump_json, from_dict

REPO = Path(__file__).resolve().parents[1]
MACE_VERSION = "0.3.16"
MACE_KEYS = LabelKeys(energy="REF_energy", forces="REF_forces", stress="REF_stress")
MACE_PREDICTED = LabelKeys(energy="MACE_energy", forces="MACE_forces")
BATCH_SIZE = 2
"""Structures per MACE optimiser step: sciml's default DFT batch."""

CANDIDATES: dict[str, list[str]] = {
    # hidden irreps C x 0e (max_L 0), as MACE's small CPU models; both two interaction layers.
    "tiny": ["--num_channels", "16", "--max_L", "0", "--max_ell", "2", "--correlation", "2",
             "--radial_MLP", "[32, 32, 32]"],
    "small": ["--num_channels", "32", "--max_L", "0", "--max_ell", "3", "--correlation", "3",
              "--radial_MLP", "[64, 64, 64]"],
}
"""MACE model sizes tried at the budget (`mace_run_train` flags)."""

MACE_RECIPE: list[str] = [
    "--model", "MACE", "--E0s", "average", "--num_interactions", "2", "--num_radial_basis", "8",
    "--loss", "weighted", "--energy_weight", "1.0", "--forces_weight", "100.0", "--lr", "0.01",
    "--ema", "--ema_decay", "0.99", "--amsgrad", "--stage_two", "--eval_interval", "1",
    "--default_dtype", "float32", "--device", "cpu", "--num_workers", "0", "--plot", "False",
    "--error_table", "PerAtomMAE", "--seed", "0",
]
"""MACE's from-scratch recipe (its README): energy/forces loss 1:100, EMA, AMSGrad, stage two
(last quarter of the epochs: lr 1e-3, energy weight 1000); float32 training like sciml's."""

SPEED_SCRIPT = """
import json, sys, time
import numpy as np, torch
from ase.build import bulk
from mace.calculators import MACECalculator
model, calls, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
rates = {}
for dtype in ("float32",):
    calc = MACECalculator(model_paths=model, device="cpu", default_dtype=dtype)
    for repeat in (2, 4):
        atoms = bulk("Si", "diamond", a=5.47, cubic=True).repeat((repeat, repeat, repeat))
        rng = np.random.default_rng(0)
        atoms.calc = calc
        atoms.positions += rng.normal(0, 0.05, atoms.positions.shape)
        atoms.get_forces()
        started = time.perf_counter()
        for _ in range(calls):
            atoms.positions += rng.normal(0, 0.001, atoms.positions.shape)
            atoms.get_potential_energy()
            atoms.get_forces()
        rates[f"{dtype}_{len(atoms)}_atoms"] = len(atoms) * calls / (time.perf_counter() - started)
print(json.dumps(rates))
"""
"""MACE's side of the speed measurement: the same cells, displacements and calls as `atoms_per_second`."""


def thread_env(threads: int) -> dict[str, str]:
    """The environment of a child process limited to `threads` threads."""
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = str(threads)
    return env


def run_timed(command: list[str], log: Path, threads: int) -> dict[str, float]:
    """Run `command` (stdout + stderr to `log`); its CPU seconds (user + sys, rusage) and wall seconds.

    Raises:
        RuntimeError: the command failed (the end of its log in the message).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("w") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, env=thread_env(threads), check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise RuntimeError(f"{command[0]} failed (exit {done.returncode}); end of {log}:\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu_seconds": cpu, "wall_seconds": wall}


def cached(path: Path, compute) -> Any:
    """The JSON at `path`, or `compute()` written there first."""
    if path.is_file():
        return json.loads(path.read_text())
    value = compute()
    write_text_atomic(path, json.dumps(value, indent=2, sort_keys=True) + "\n")
    return value


def ensure_mace_venv(venv: Path) -> dict[str, str]:
    """Create `venv` with mace-torch (and this environment's torch version) unless it exists; its versions."""
    python = venv / "bin" / "python"
    if not (venv / "bin" / "mace_run_train").is_file():
        print(f"creating the MACE environment {venv} (mace-torch=={MACE_VERSION}, torch=={torch.__version__})")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"mace-torch=={MACE_VERSION}",
                        f"torch=={torch.__version__}"], check=True)
    versions = subprocess.run(
        [str(python), "-c", "import json, e3nn, torch, mace; from importlib.metadata import version; "
         "print(json.dumps({'mace-torch': version('mace-torch'), 'e3nn': e3nn.__version__, "
         "'torch': torch.__version__}))"],
        capture_output=True, text=True, check=True, env=thread_env(1))
    return json.loads(versions.stdout)


def prepare_split(element: str, work: Path) -> tuple[Path, dict[str, Any]]:
    """The workflow's validation split of `element` in `work/split`, plus its MACE-keyed extxyz copies."""
    section = yaml.safe_load((REPO / "workflows/config/default.yaml").read_text())
    benchmark = from_dict(WORKFLOW_SETTINGS, section["crystals"], prefix="crystals").benchmark
    split = work / "split"
    counts = cached(work / "split_counts.json", lambda: prepare_benchmark(
        benchmark.prepare_job(element, int(section["seed"])), split, root=REPO / "data" / "raw"))
    for name in ("train", "val"):
        target = split / f"mace_{name}.extxyz"
        if not target.is_file():
            write_structures(target, read_structures(split / f"{name}.extxyz", require_labels=True), keys=MACE_KEYS)
    return split, counts


def train_ours(element: str, model: str, split: Path, work: Path, threads: int) -> tuple[Path, dict[str, Any]]:
    """sciml's default training job of `element` (network `model`) as the CLI runs it; its CPU and wall seconds."""
    section = yaml.safe_load((REPO / "workflows/config/default.yaml").read_text())
    benchmark = from_dict(WORKFLOW_SETTINGS, section["crystals"], prefix="crystals").benchmark
    job = benchmark.train_job(element, model, int(section["seed"]))
    folder = work / "ours"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.json").write_text(dump_json(job))

    def run() -> dict[str, Any]:
        command = [sys.executable, "-m", "sciml", "crystals", "train", "--config", str(folder / "train.json"),
                   "--train", str(split / "train.extxyz"), "--val", str(split / "val.extxyz"),
                   "--out", str(folder / "model"), "--workdir", str(folder / "checkpoints"),
                   "--device", "cpu", "--threads", str(threads)]
        return {**run_timed(command, folder / "train.log", threads), "settings": json.loads(dump_json(job))}

    return folder / "model", cached(folder / "timing.json", run)


def mace_command(venv: Path, size: str, epochs: int, cutoff: float, split: Path, folder: Path) -> list[str]:
    """`mace_run_train` of candidate `size` (also the run's name) for `epochs` epochs, writing into `folder`."""
    return [str(venv / "bin" / "mace_run_train"), "--name", size, "--work_dir", str(folder),
            "--train_file", str(split / "mace_train.extxyz"), "--valid_file", str(split / "mace_val.extxyz"),
            "--energy_key", MACE_KEYS.energy, "--forces_key", MACE_KEYS.forces, "--stress_key", MACE_KEYS.stress,
            "--r_max", str(cutoff), "--batch_size", str(BATCH_SIZE), "--valid_batch_size", "8",
            "--max_num_epochs", str(epochs), *MACE_RECIPE, *CANDIDATES[size]]


def train_mace(venv: Path, size: str, budget: float, cutoff: float, split: Path, work: Path,
               threads: int) -> dict[str, Any]:
    """MACE candidate `size` trained for the epochs that fit `budget` CPU seconds (probes of 2 and 4 epochs)."""
    folder = work / "mace" / size
    folder.mkdir(parents=True, exist_ok=True)
    probes = {}
    for epochs in (2, 4):
        probe = folder / f"probe{epochs}"
        probes[epochs] = cached(folder / f"probe{epochs}.json", lambda e=epochs, p=probe: run_timed(
            mace_command(venv, size, e, cutoff, split, p), folder / f"probe{e}.log", threads))
    per_epoch = max((probes[4]["cpu_seconds"] - probes[2]["cpu_seconds"]) / 2, 1e-3)
    epochs = max(4, math.floor(budget / per_epoch))
    run = folder / "run"

    def train() -> dict[str, Any]:
        timing = run_timed(mace_command(venv, size, epochs, cutoff, split, run), folder / "run.log", threads)
        return {**timing, "epochs": epochs, "cpu_seconds_per_epoch_probe": per_epoch,
                "overhead_cpu_seconds_probe": probes[2]["cpu_seconds"] - 2 * per_epoch,
                "flags": [*MACE_RECIPE, *CANDIDATES[size], "--r_max", str(cutoff), "--batch_size", str(BATCH_SIZE),
                          "--max_num_epochs", str(epochs)]}

    return {**cached(folder / "timing.json", train), "folder": str(run)}


def evaluate_mace(venv: Path, model: Path, split: Path, threads: int) -> Predictions:
    """MACE's predictions on the validation structures (`mace_eval_configs` in the training dtype, float32)."""
    out = model.with_suffix(".val.extxyz")
    if not out.is_file():
        run_timed([str(venv / "bin" / "mace_eval_configs"), "--configs", str(split / "val.extxyz"),
                   "--model", str(model), "--output", str(out), "--device", "cpu", "--default_dtype", "float32",
                   "--batch_size", "8"], model.with_suffix(".eval.log"), threads)
    predicted = read_structures(out, require_labels=True, keys=MACE_PREDICTED)
    return Predictions(np.array([a.get_potential_energy() for a in predicted]),
                       [a.get_forces() for a in predicted], 0.0)


def errors(structures: list, predictions: Predictions) -> dict[str, Any]:
    """Validation errors (overall and per group) of one model's predictions."""
    return {**error_metrics(structures, predictions), "groups": group_errors(structures, predictions)}


def score(entry: dict[str, Any], baseline: dict[str, float]) -> float:
    """`crystals select`'s score: energy and force MAE, each relative to the baseline, summed."""
    return (entry["energy_mae_mev_per_atom"] / baseline["baseline_energy_mae_mev_per_atom"]
            + entry["force_mae_mev_per_A"] / baseline["baseline_force_mae_mev_per_A"])


def speed_ours(model: Path, calls: int) -> dict[str, float]:
    """sciml's calculator: energy + forces atoms/s, float64/float32, 64 and 512 atoms."""
    rates = {}
    for dtype in ("float64", "float32"):
        calculator = Calculator(model, device="cpu", dtype=dtype)
        for repeat in (2, 4):
            rates[f"{dtype}_{8 * repeat ** 3}_atoms"] = atoms_per_second(calculator, repeat, calls)
    return rates


def speed_mace(venv: Path, model: Path, calls: int, threads: int) -> dict[str, float]:
    """MACE's calculator on the same cells (`SPEED_SCRIPT` in MACE's environment)."""
    done = subprocess.run([str(venv / "bin" / "python"), "-c", SPEED_SCRIPT, str(model), str(calls), str(threads)],
                          capture_output=True, text=True, env=thread_env(threads), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"MACE speed measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--element", default="Si", choices=sorted(PUBLISHED_TEST_MAE))
    parser.add_argument("--ours", default="invariant", choices=["invariant", "equivariant"],
                        help="sciml network (the default run chooses invariant on Si, equivariant on Mo)")
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES))
    parser.add_argument("--mace-venv", type=Path, default=Path.home() / ".cache" / "sciml" / "mace-venv")
    parser.add_argument("--workdir", type=Path, default=REPO / "results" / "bench" / "crystals_vs_mace")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "results" / "bench" / "crystals_vs_mace.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    work = args.workdir / args.element

    versions = ensure_mace_venv(args.mace_venv)
    split, counts = prepare_split(args.element, work)
    validation = read_structures(split / "val.extxyz", require_labels=True)

    model_dir, ours_timing = train_ours(args.element, args.ours, split, work, args.threads)
    potential = load_model(model_dir)
    baseline = baseline_errors(potential, validation)
    ours = {"network": args.ours, **ours_timing,
            **errors(validation, predict(potential, validation, 8, "cpu"))}
    budget = ours_timing["cpu_seconds"]
    print(f"sciml {args.ours}: {ours['energy_mae_mev_per_atom']:.2f} meV/atom, {ours['force_mae_mev_per_A']:.1f} "
          f"meV/A, {budget:.0f} CPU s")

    cutoff = ours_timing["settings"]["cutoff"]
    mace_runs: dict[str, Any] = {}
    for size in args.candidates:
        timing = train_mace(args.mace_venv, size, budget, cutoff, split, work, args.threads)
        models = {}
        for stage, suffix in (("stage_one", ""), ("stage_two", "_stagetwo")):
            path = Path(timing["folder"]) / f"{size}{suffix}.model"
            if path.is_file():
                models[stage] = {"path": str(path),
                                 **errors(validation, evaluate_mace(args.mace_venv, path, split, args.threads))}
        mace_runs[size] = {**timing, "models": models}
        for stage, entry in models.items():
            print(f"MACE {size} {stage}: {entry['energy_mae_mev_per_atom']:.2f} meV/atom, "
                  f"{entry['force_mae_mev_per_A']:.1f} meV/A, {timing['cpu_seconds']:.0f} CPU s "
                  f"({timing['epochs']} epochs)")
    chosen_size, chosen_stage = min(((size, stage) for size, run in mace_runs.items() for stage in run["models"]),
                                    key=lambda key: score(mace_runs[key[0]]["models"][key[1]], baseline))
    chosen = mace_runs[chosen_size]["models"][chosen_stage]

    speed = {"sciml": speed_ours(model_dir, args.calls),
             "mace": speed_mace(args.mace_venv, Path(chosen["path"]), args.calls, args.threads)}

    entry = {
        "split": {"counts": counts, "structures_validation": len(validation)},
        "cutoff_A": cutoff, "threads": args.threads, "cpu_budget_seconds": budget,
        "sciml": ours, "baseline": baseline,
        "mace": {"versions": versions, "recipe": MACE_RECIPE, "batch_size": BATCH_SIZE,
                 "candidates": {size: CANDIDATES[size] for size in args.candidates}, "runs": mace_runs,
                 "chosen": {"size": chosen_size, "stage": chosen_stage,
                            **{k: v for k, v in chosen.items() if k != "path"},
                            "cpu_seconds": mace_runs[chosen_size]["cpu_seconds"],
                            "epochs": mace_runs[chosen_size]["epochs"]}},
        "calculator_atoms_per_second": speed, "calls": args.calls,
        "published_test_mae_gap_mtp": PUBLISHED_TEST_MAE[args.element],
        "note": "sciml and MACE errors: the validation split (15 % of each group of the training file); "
                "GAP/MTP: published on the benchmark's official test split.",
        "load_average_1min": os.getloadavg()[0], "torch": torch.__version__, "git": git_state(),
    }
    report = json.loads(args.out.read_text()) if args.out.is_file() else {}
    report[args.element] = entry
    write_text_atomic(args.out, json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"MACE chosen: {chosen_size} {chosen_stage}: {chosen['energy_mae_mev_per_atom']:.2f} meV/atom, "
          f"{chosen['force_mae_mev_per_A']:.1f} meV/A -> {args.out}")


if __name__ == "__main__":
    main()
