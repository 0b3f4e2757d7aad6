"""Speed of the crystals potentials on CPU: inference atoms/s and training structures/s.

Uses the network and loss settings (incl. the stress term) of workflows/config/default.yaml on freshly generated structures of
both families (weights at initialisation: speed does not depend on their values) and writes
results/bench/crystals.json. Run: `python benchmarks/crystals.py [--threads N] [--structures N]`.
Timings on a shared machine vary with its load; the load average is recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import torch
import yaml

from sciml.crystals.evaluate import predict
from sciml.crystals.graphs import atoms_to_graph, collate
from sciml.crystals.models import build_potential
from sciml.crystals.settings import WORKFLOW_SETTINGS
from sciml.crystals.synthetic import generate
from sciml.crystals.training import average_num_neighbors, energy_force_loss
from sciml.files import write_text_atomic
from sciml.settings import from_dict

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--structures", type=int, default=48)
    parser.add_argument("--out", type=Path, default=Path("results/bench/crystals.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    section = yaml.safe_load((REPO / "workflows/config/default.yaml").read_text())["crystals"]
    settings = from_dict(WORKFLOW_SETTINGS, section, prefix="crystals")
    report: dict = {"threads": args.threads, "structures": args.structures,
                    "load_average_1min": os.getloadavg()[0], "torch": torch.__version__}
    for family in settings.families:
        structures = generate(family, args.structures, seed=123)
        elements = sorted({s for a in structures for s in a.get_chemical_symbols()})
        n_atoms = sum(len(a) for a in structures)
        report[family] = {"atoms": n_atoms}
        for kind in settings.models:
            job = settings.train_job(family, kind, settings.n_train, 0)  # the family's cutoff and network
            cutoff = job.cutoff
            started = time.perf_counter()
            graphs = [atoms_to_graph(a, cutoff, stress=job.stress_weight > 0) for a in structures]
            graph_seconds = time.perf_counter() - started
            torch.manual_seed(0)
            potential = build_potential(kind, elements, [0.0] * len(elements), 1.0, cutoff,
                                        average_num_neighbors(graphs), job.network)
            predict(potential, structures[:4], batch_size=4)  # warm-up (e3nn code generation, allocator)
            inference = predict(potential, structures, batch_size=16)
            potential.train()
            optimizer = torch.optim.AdamW(potential.parameters(), lr=1e-3)
            started = time.perf_counter()
            for start in range(0, len(graphs), job.batch_size):
                batch = collate(graphs[start:start + job.batch_size])
                optimizer.zero_grad()
                energy_force_loss(potential, batch, job.energy_weight, job.force_weight,
                                  job.stress_weight).backward()
                optimizer.step()
            train_seconds = time.perf_counter() - started
            report[family][kind] = {
                "inference_atoms_per_s": inference.atoms_per_s,
                "train_structures_per_s": len(graphs) / train_seconds,
                "parameters": sum(p.numel() for p in potential.parameters()),
                "cutoff": cutoff,
                "graph_atoms_per_s": n_atoms / graph_seconds,
            }
            print(family, kind, report[family][kind], flush=True)
    write_text_atomic(args.out, json.dumps(report, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
