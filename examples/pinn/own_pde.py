"""Your own PDE: a reaction-diffusion equation defined with `PDE`, `Box`, `Condition` and trained with `train_pinn`.

Shows the library API of the user guide: the residual as a function of the network output and its
derivatives, conditions on the faces of the box, Adam -> L-BFGS training, and the relative L2
error against the exact solution u = exp(-(D pi^2 + k) t) sin(pi x).
"""

import os

import numpy as np
import torch

from sciml.pinn import PDE, Box, Condition, PINNTrainConfig, build_pinn, derivative, train_pinn, unit_samples

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"

D, k = 0.1, 1.0
def residual(x, u, params):                      # x = (x, t) columns, u = network output, both (N, .)
    return derivative(u, x, 1) - D * derivative(u, x, 0, 0) + k * u

box = Box((0.0, 0.0), (1.0, 1.0), names=("x", "t"))
initial = Condition.from_function("initial", box.face_points(1, "lower", unit_samples(200, 1)),
                                  lambda p: np.sin(np.pi * p[:, 0]))
walls = np.vstack([box.face_points(0, side, unit_samples(100, 1, seed=1)) for side in ("lower", "upper")])
pde = PDE(residual, box, [initial, Condition("walls", walls, np.zeros(len(walls)))], name="reaction_diffusion")
model = build_pinn(pde, {"width": 16, "depth": 3})
steps = 60 if QUICK else 300
train_pinn(pde, model, PINNTrainConfig(n_collocation=1000, adam_steps=steps, lbfgs_steps=steps, device="cpu"))
x = torch.rand(1000, 2, dtype=torch.float64)
exact = torch.exp(-(D * np.pi**2 + k) * x[:, 1:]) * torch.sin(np.pi * x[:, :1])
print("rel L2", float((model.predict(x) - exact).norm() / exact.norm()))
