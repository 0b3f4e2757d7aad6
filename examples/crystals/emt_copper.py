"""Train a small invariant potential on EMT copper.

Builds strained, rattled fcc copper cells, labels them with ASE's effective-medium-theory (EMT)
calculator, trains the invariant message-passing potential on energies, forces and stresses,
saves it as a model folder, loads it back with `sciml.load_model`, predicts held-out cells and
runs the float64 physics checks (rotation, translation, permutation, supercell).
Outputs: `copper-model/` (the model folder) and `copper-checkpoints/` in the current directory.
"""

import os

import numpy as np
from ase.build import bulk

import sciml
from sciml.crystals import EvaluateSettings, TrainSettings, evaluate_potential, predict, train_potential
from sciml.crystals.synthetic import emt_calculator, label, symmetric_strain
from sciml.settings import from_dict

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
N_STRUCTURES = 40 if QUICK else 400
STEPS = 40 if QUICK else 2000


def copper_cell(rng: np.random.Generator):
    """A 1-8 atom fcc copper cell, strained up to 4 % and rattled, with EMT labels."""
    atoms = bulk("Cu", "fcc", a=3.61, cubic=bool(rng.random() < 0.5))
    atoms = atoms.repeat((1, 1, int(rng.integers(1, 3))))
    symmetric_strain(atoms, 0.04, rng)
    atoms.positions += rng.normal(0.0, rng.uniform(0.0, 0.1), atoms.positions.shape)
    return label(atoms, emt_calculator())


rng = np.random.default_rng(0)
structures = [copper_cell(rng) for _ in range(N_STRUCTURES)]
n_test = N_STRUCTURES // 5
test, val, train = structures[:n_test], structures[n_test:2 * n_test], structures[2 * n_test:]

settings = from_dict(TrainSettings, {
    "model": "invariant", "cutoff": 4.5, "steps": STEPS, "batch_size": 8, "validate_steps": max(STEPS // 10, 1),
    "invariant": {"hidden": 16, "angular_channels": 4},
})
trained = train_potential(train, val, settings, device="cpu", out_dir="copper-checkpoints")
trained.save("copper-model", trained.metrics(len(val)))

potential = sciml.load_model("copper-model")  # the Potential, an nn.Module
predictions = predict(potential, test)
print(f"first test cell: E = {predictions.energies[0]:.4f} eV (EMT {test[0].get_potential_energy():.4f} eV)")
metrics, _ = evaluate_potential(potential, test, EvaluateSettings(n_physics=2))
for key in ("energy_mae_mev_per_atom", "force_mae_mev_per_A", "equivariance_error", "supercell_error_mev_per_atom"):
    print(f"{key}: {metrics[key]:.4g}")
