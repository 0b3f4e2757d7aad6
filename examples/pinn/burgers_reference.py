"""Burgers' equation scored against the exact Cole–Hopf solution on the grid of Raissi et al.'s `burgers_shock.mat`.

Shows the ready-made Burgers problem with the workflow's default recipe (SSBroyden second phase,
residual-density refinement), trained through `sciml.pinn.pipeline.train_problem`, which fetches
nothing itself: the grid comes from `sciml.data.fetch` (the file's own values differ from the exact
solution by ~1e-10 relative L2 and are not used for scoring). The model folder is written to
`burgers_model/` and reloaded with `sciml.load_model`.
"""

import dataclasses
import os

import sciml
from sciml.data import fetch
from sciml.pinn.evaluate import grid_error, reference_grid
from sciml.pinn.pipeline import train_problem
from sciml.pinn.settings import PINNWorkflowSettings

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"

data = fetch("pinn-reference")
settings = PINNWorkflowSettings().burgers  # the recipe the workflow runs
if QUICK:
    settings = dataclasses.replace(settings, train=dataclasses.replace(
        settings.train, n_collocation=300, adam_steps=100, lbfgs_steps=100, rar_rounds=1, rar_points=100,
        rar_candidates=2000))
metrics = train_problem(settings, "burgers_model", data=data, device="cpu")
print(f"rel L2 against Cole–Hopf: {metrics['rel_l2']:.3g} ({metrics['steps']} steps, {metrics['seconds']:.0f} s)")

model = sciml.load_model("burgers_model")
print("reloaded model, rel L2:", grid_error(model, reference_grid("burgers", data)))
