"""Speed of the ASE calculator of the DFT-benchmark models: energy + forces atoms/s on 64- and 512-atom cells.

Builds the benchmark's networks (the `crystals.benchmark` settings of workflows/config/default.yaml;
weights at initialisation: speed does not depend on their values), saves them as model folders and
times `sciml.crystals.Calculator` on diamond silicon supercells of 64 and 512 atoms (rattled, so
every call recomputes), float64 and float32, neighbour list included; also the training CPU time
of the chosen models when their folders exist (results/crystals/zuo2020/<element>/model). Writes
results/bench/crystals_calculator.json. MACE's calculator is measured beside a trained sciml model
by benchmarks/crystals_vs_mace.py (MACE needs its own virtual environment). Run: `python benchmarks/crystals_calculator.py [--threads N] [--calls N]`.
Timings on a shared machine vary with its load; the load average is recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import yaml
from ase.build import bulk

from sciml.crystals.calculator import Calculator
from sciml.crystals.graphs import atoms_to_graph
from sciml.crystals.models import build_potential, save_potential
from sciml.crystals.settings import WORKFLOW_SETTINGS
from sciml.crystals.training import average_num_neighbors
from sciml.files import write_text_atomic
from sciml.settings import from_dict

REPO = Path(__file__).resolve().parents[1]


def atoms_per_second(calculator: Calculator, repeat: int, calls: int) -> float:
    """Energy + forces atoms/s of `calculator` on a rattled (repeat x repeat x repeat) cubic Si supercell."""
    atoms = bulk("Si", "diamond", a=5.47, cubic=True).repeat((repeat, repeat, repeat))
    rng = np.random.default_rng(0)
    atoms.calc = calculator
    atoms.positions += rng.normal(0, 0.05, atoms.positions.shape)
    atoms.get_forces()  # warm-up (e3nn code generation, allocator)
    started = time.perf_counter()
    for _ in range(calls):
        atoms.positions += rng.normal(0, 0.001, atoms.positions.shape)
        atoms.get_potential_energy()
        atoms.get_forces()
    return len(atoms) * calls / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("results/bench/crystals_calculator.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    section = yaml.safe_load((REPO / "workflows/config/default.yaml").read_text())["crystals"]
    benchmark = from_dict(WORKFLOW_SETTINGS, section, prefix="crystals").benchmark
    report: dict = {"threads": args.threads, "calls": args.calls, "load_average_1min": os.getloadavg()[0],
                    "torch": torch.__version__, "calculator": {}, "training_cpu_seconds": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for model in benchmark.models:
            job = benchmark.train_job("Si", model, 0)
            sample = bulk("Si", "diamond", a=5.47, cubic=True).repeat((2, 2, 2))
            torch.manual_seed(0)
            potential = build_potential(model, ["Si"], [-5.4], 0.5, job.cutoff,
                                        average_num_neighbors([atoms_to_graph(sample, job.cutoff)]), job.network)
            folder = Path(tmp) / model
            save_potential(folder, potential, model, job.network, average_num_neighbors(
                [atoms_to_graph(sample, job.cutoff)]))
            for dtype in ("float64", "float32"):
                calculator = Calculator(folder, device="cpu", dtype=dtype)
                for repeat in (2, 4):  # 64 and 512 atoms
                    rate = atoms_per_second(calculator, repeat, args.calls)
                    report["calculator"][f"{model}_{dtype}_{8 * repeat ** 3}_atoms"] = rate
                    print(f"{model} {dtype} {8 * repeat ** 3} atoms: {rate:.0f} atoms/s")
    for element in benchmark.elements:
        metrics = REPO / "results" / "crystals" / "zuo2020" / element / "model" / "metrics.json"
        if metrics.is_file():
            report["training_cpu_seconds"][element] = json.loads(metrics.read_text())["train_seconds"]
    write_text_atomic(args.out, json.dumps(report, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
