"""Accuracy per CPU second on the PINN benchmark problems -> results/bench/pinn_suite.json.

For each ready-made problem (`sciml.pinn.settings.FORWARD`) the workflow's recipe
(`PINNWorkflowSettings`) is trained with the given seeds, one torch thread, and scored against
the problem's reference with its benchmark's error (relative L2 on the grid; PINNacle's L2RE at
its reference nodes). Problems with an analytic solution are also scored on validation nodes
(`sciml.pinn.evaluate.validation_points`, not the test nodes), where recipes are chosen. Reported per
problem: every seed's error and CPU seconds (process time, not wall time: the machine may be shared; for the
analytic problems also the validation error at every log point, `validation_curve` of [step, CPU seconds, error],
whose evaluation is not counted),
each with its git commit and date, and their medians, with the torch version and the published error
where it was read from its source (`PUBLISHED`). With `--add`, the other problems of an earlier report
are kept, and so are the earlier runs of a re-run problem with other seeds when its settings are
unchanged (the medians are then over all its runs).
`--quick` shrinks every budget (a check that the suite runs, not a measurement).
Peers (DeepXDE, PINA) are not measured here yet.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from sciml.data import fetch
from sciml.files import write_text_atomic
from sciml.pinn.evaluate import ANALYTIC_NODES, ScatteredReference, scattered_error, validation_points
from sciml.pinn.models import load_model
from sciml.pinn.pipeline import train_problem
from sciml.pinn.settings import DATASETS, FORWARD, PINNWorkflowSettings
from sciml.pinn.training import LOSS_CSV
from sciml.provenance import git_state

# Published errors read from the source itself (a number not read there is not listed).
PUBLISHED = {
    "kuramoto_sivashinsky": {"rel_l2": 1.42e-4, "source": "jaxpi examples/ks_chaotic/README.md, ablation table, all "
                             "components (modified MLP 4 x 256, 1e5 Adam steps, 13.3 min on a GPU), t in [0, 0.1]"},
}


class _ValidationClock:
    """Process CPU seconds of a run without its own monitoring, and the validation error at every log point.

    Called as the training monitor: appends `[cpu_seconds, rel_l2_validation]` to `curve` (the cost of the
    evaluation itself is left out of both the curve's and the run's CPU seconds).
    """

    def __init__(self, validation: ScatteredReference | None) -> None:
        self.validation, self.start, self.spent, self.curve = validation, time.process_time(), 0.0, []

    def cpu_seconds(self) -> float:
        return time.process_time() - self.start - self.spent

    def __call__(self, model: torch.nn.Module) -> dict[str, float]:
        now = self.cpu_seconds()
        error = scattered_error(model, self.validation)["rel_l2"]
        self.curve.append([round(now, 2), error])
        self.spent = time.process_time() - self.start - now
        return {"rel_l2_validation": error}


def run_problem(name: str, seeds: list[int], quick: bool, stamp: dict) -> dict:
    """Train the problem's workflow recipe once per seed; each run's errors and CPU seconds, and the settings.

    `stamp` (commit, dirty flag, date) is recorded with every run.
    """
    settings = getattr(PINNWorkflowSettings(), name)
    if quick:
        settings = dataclasses.replace(settings, train=dataclasses.replace(
            settings.train, n_collocation=300, adam_steps=50, lbfgs_steps=50, rar_rounds=0))
    data = fetch(DATASETS[name])
    validation = validation_points(name) if name in ANALYTIC_NODES else None
    runs = []
    for seed in seeds:
        run = dataclasses.replace(settings, train=dataclasses.replace(settings.train, seed=seed, device="cpu"))
        with tempfile.TemporaryDirectory() as tmp:
            clock = _ValidationClock(validation)
            metrics = train_problem(run, Path(tmp) / name, data=data, monitor=clock if validation is not None else None)
            cpu = clock.cpu_seconds()
            scores = {k: v for k, v in metrics.items() if k.startswith("rel_l2")}
            if validation is not None:
                scores["rel_l2_validation"] = scattered_error(load_model(Path(tmp) / name), validation)["rel_l2"]
                rows = csv.DictReader((Path(tmp) / name / LOSS_CSV).read_text().splitlines())
                steps = [int(float(row["step"])) for row in rows if row.get("rel_l2_validation")]
                scores["validation_curve"] = [[step, *point] for step, point in zip(steps, clock.curve, strict=True)]
        runs.append({"seed": seed, "cpu_seconds": cpu, "wall_seconds": metrics["seconds"], **scores, **stamp})
    return {"runs": runs, "settings": json.loads(json.dumps(dataclasses.asdict(settings))),  # as read back
            **({"published": PUBLISHED[name]} if name in PUBLISHED else {})}


def merge_runs(earlier: dict | None, entry: dict) -> dict:
    """`entry` with the runs of `earlier` (the same problem's former entry) whose seeds it did not re-run, when
    both used the same settings; the medians over all the runs."""
    if earlier is not None and earlier.get("settings") == entry["settings"]:
        seeds = {run["seed"] for run in entry["runs"]}
        kept = [{"commit": earlier.get("commit"), "date": earlier.get("date"), **run}
                for run in earlier["runs"] if run["seed"] not in seeds]
        entry = {**entry, "runs": sorted(kept + entry["runs"], key=lambda run: run["seed"])}
    runs = entry["runs"]
    return {**entry, "rel_l2_median": float(np.median([r["rel_l2"] for r in runs])),
            "cpu_seconds_median": float(np.median([r["cpu_seconds"] for r in runs]))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", nargs="+", default=list(FORWARD), choices=FORWARD)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--quick", action="store_true", help="tiny budgets: checks the suite runs, measures nothing")
    parser.add_argument("--out", type=Path, default=Path("results/bench/pinn_suite.json"))
    parser.add_argument("--add", action="store_true",
                        help="keep the other problems already in --out (each keeps its own commit and date)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    report = {"threads": 1, "quick": args.quick, "seeds": args.seeds, "torch": torch.__version__,
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **git_state(), "problems": {}}
    if args.add and args.out.is_file():
        earlier = json.loads(args.out.read_text())
        report["problems"] = {name: {**entry, "commit": entry.get("commit", earlier.get("commit")),
                                     "date": entry.get("date", earlier.get("date"))}
                              for name, entry in earlier["problems"].items()}
    for name in args.problems:  # the file is rewritten after each problem, so a stopped run keeps the finished ones
        stamp = {"commit": report["commit"], "dirty": report.get("dirty"),
                 "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        entry = run_problem(name, args.seeds, args.quick, stamp)
        earlier = report["problems"].get(name) if args.add and not args.quick else None
        report["problems"][name] = merge_runs(earlier, entry)
        print(name, report["problems"][name]["rel_l2_median"], report["problems"][name]["cpu_seconds_median"], flush=True)
        write_text_atomic(args.out, json.dumps(report, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
