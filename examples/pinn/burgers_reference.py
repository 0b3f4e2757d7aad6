"""Burgers' equation scored against the `pinn-reference` data set (Raissi et al.'s `burgers_shock.mat`).

Shows the ready-made Burgers problem with the workflow's default recipe (SSBroyden second phase,
residual-density refinement), trained through `sciml.pinn.pipeline.train_problem`, which fetches
nothing itself: the reference comes from `sciml.data.fetch`. The model folder is written to
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
print(f"rel L2 against burgers_shock.mat: {metrics['rel_l2']:.3g} ({metrics['steps']} steps, {metrics['seconds']:.0f} s)")

model = sciml.load_model("burgers_model")
print("reloaded model, rel L2:", grid_error(model, reference_grid("burgers", data)))
