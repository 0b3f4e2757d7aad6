"""Train a potential on DFT silicon (Zuo et al. 2020) and run molecular dynamics with it in ASE.

Fetches the benchmark's Si training file through `sciml.data` (set SCIML_DATA_MIRROR to use a
local mirror), carves a validation split stratified by group (AIMD-NVT, Elastic, Surface,
Vacancy), trains the invariant potential on energies, forces and stresses, reports the validation
errors beside the reference-energy baseline, then uses the model folder as an ASE calculator: a
relaxation of a strained cell (`ase.optimize`) and a short Langevin run (`ase.md`).
Outputs: `si-dft/` (split), `si-dft-model/` and `si-dft-checkpoints/` in the current directory.
"""

import os

import numpy as np
from ase.build import bulk
from ase.optimize import BFGS

from sciml.crystals import Calculator
from sciml.crystals.evaluate import baseline_errors, error_metrics, predict
from sciml.crystals.io import read_structures
from sciml.crystals.md import run_md
from sciml.crystals.pipeline import prepare_benchmark, train_model
from sciml.crystals.settings import MDSettings, PrepareSettings, TrainSettings
from sciml.models import load_model

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"

prepare_benchmark(PrepareSettings(element="Si", val_fraction=0.15, seed=0), "si-dft", root="data/raw")
# the workflow's DFT recipe: forces first (energy weight 10), energies in the last 30 % (weight 100)
settings = TrainSettings(model="invariant", cutoff=5.0, steps=10 if QUICK else 6000, batch_size=2,
                         validate_steps=10 if QUICK else 460, energy_weight=10.0, stage_two_fraction=0.3,
                         stage_two_energy_weight=100.0, n_train=8 if QUICK else None)
metrics = train_model("si-dft/train.extxyz", "si-dft/val.extxyz", "si-dft-model", settings, device="auto",
                      workdir="si-dft-checkpoints")
print(f"validation: {metrics['val_energy_mae_mev_per_atom']:.2f} meV/atom, {metrics['val_force_mae_mev_per_A']:.1f} meV/A")

validation = read_structures("si-dft/val.extxyz", require_labels=True)
potential = load_model("si-dft-model")
errors = error_metrics(validation, predict(potential, validation))
print("model:", {k: round(v, 2) for k, v in errors.items() if "mae" in k})
print("baseline (reference energies, zero forces):", baseline_errors(potential, validation))

atoms = bulk("Si", "diamond", a=5.47, cubic=True)
atoms.set_cell(atoms.cell.array * 1.02, scale_atoms=True)
atoms.positions += np.random.default_rng(0).normal(0, 0.05, atoms.positions.shape)
atoms.calc = Calculator("si-dft-model", device="auto")
BFGS(atoms, logfile=None).run(fmax=0.05, steps=5 if QUICK else 100)
print("relaxed: E =", atoms.get_potential_energy(), "eV, stress (eV/A^3) =", atoms.get_stress().round(4))

summary, frames = run_md(atoms.repeat((2, 2, 2)), atoms.calc,
                         MDSettings(ensemble="nvt", temperature=300, steps=10 if QUICK else 500, log_every=5))
print(f"NVT 300 K: stable={summary['stable']}, closest pair {summary['closest_pair_A']:.2f} A, "
      f"T = {summary['mean_temperature_K']:.0f} K over the second half")
