"""An e3nn equivariant potential for Stillinger-Weber silicon.

Generates silicon cells (diamond, beta-tin, simple cubic, bcc, near-amorphous) labelled with the
Stillinger-Weber potential, trains the NequIP-style equivariant network (l_max 2, the silicon
settings of the default workflow at a smaller size) next to the invariant model on the same data,
and compares their held-out force errors. Then it checks, in float64, that the equivariant
model's forces rotate with the structure.
Outputs: `silicon-equivariant/` and `silicon-invariant/` model folders in the current directory.
"""

import os

from sciml.crystals import EvaluateSettings, TrainSettings, evaluate_potential, generate, train_potential
from sciml.crystals.physics import float64_copy, rotation_error
from sciml.settings import from_dict

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
N_STRUCTURES = 30 if QUICK else 400
STEPS = 20 if QUICK else 1200

structures = generate("silicon", N_STRUCTURES, seed=0, max_atoms=8 if QUICK else 16)
n_test = N_STRUCTURES // 5
test, val, train = structures[:n_test], structures[n_test:2 * n_test], structures[2 * n_test:]

shared = {"cutoff": 3.8, "steps": STEPS, "validate_steps": max(STEPS // 10, 1)}
runs = {
    "equivariant": {"model": "equivariant", "lr": 0.04, "equivariant": {"l_max": 2, "channels": 4, "num_layers": 2}},
    "invariant": {"model": "invariant", "lr": 0.01, "invariant": {"hidden": 16, "angular_channels": 4}},
}
errors = {}
for name, values in runs.items():
    settings = from_dict(TrainSettings, {**shared, **values})
    trained = train_potential(train, val, settings, device="cpu")
    trained.save(f"silicon-{name}", trained.metrics(len(val)))
    metrics, _ = evaluate_potential(trained.potential, test, EvaluateSettings(n_physics=1))
    errors[name] = metrics["force_mae_mev_per_A"]
    print(f"{name}: force MAE {metrics['force_mae_mev_per_A']:.1f} meV/A, "
          f"energy MAE {metrics['energy_mae_mev_per_atom']:.2f} meV/atom")
    if name == "equivariant":
        rotated = rotation_error(float64_copy(trained.potential), test[0], seed=1)
        print(f"relative change of E and of R F under a random rotation: {rotated}")
print(f"equivariant vs invariant force MAE: {100 * (errors['equivariant'] / errors['invariant'] - 1):+.0f} %")
