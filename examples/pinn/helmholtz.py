"""The 2-D Helmholtz problem of Wang, Teng & Perdikaris (2021), posed by hand and trained with the default recipe.

Δu + k²u = q on [-1, 1]², u = 0 on the edges, q chosen so that u = sin(a1 π x) sin(a2 π y) with
a1 = 1, a2 = 4, k = 1. The conditions are penalised (soft), the network is 4 x 32 tanh and
`PINNTrainConfig()` is left at its defaults: the package's recipe (Adam, then self-scaled Broyden
with residual-density refinement, float64).
"""

import os

import numpy as np
import torch

from sciml.pinn import PDE, Box, Condition, PINNTrainConfig, build_pinn, derivative, train_pinn, unit_samples

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
A1, A2, K = 1.0, 4.0, 1.0


def residual(x, u, params):
    xs, ys = x[:, 0:1], x[:, 1:2]
    q = (K**2 - (A1 * np.pi) ** 2 - (A2 * np.pi) ** 2) * torch.sin(A1 * np.pi * xs) * torch.sin(A2 * np.pi * ys)
    return derivative(u, x, 0, 0) + derivative(u, x, 1, 1) + K**2 * u - q


box = Box((-1.0, -1.0), (1.0, 1.0), names=("x", "y"))
faces = [(0, "lower"), (0, "upper"), (1, "lower"), (1, "upper")]
edges = np.vstack([box.face_points(d, side, unit_samples(100, 1, seed=i)) for i, (d, side) in enumerate(faces)])
pde = PDE(residual, box, [Condition("edges", edges, np.zeros(len(edges)))], name="helmholtz")
model = build_pinn(pde, {"width": 32, "depth": 4})
config = PINNTrainConfig(adam_steps=50, lbfgs_steps=50, rar_rounds=0) if QUICK else PINNTrainConfig()
result = train_pinn(pde, model, config)

g = np.linspace(-1.0, 1.0, 201)
xx, yy = np.meshgrid(g, g, indexing="ij")
points = np.stack([xx.ravel(), yy.ravel()], axis=1)
exact = np.sin(A1 * np.pi * points[:, 0]) * np.sin(A2 * np.pi * points[:, 1])
prediction = model.predict(torch.as_tensor(points)).numpy().ravel()
print(f"rel L2 on a 201 x 201 grid: {np.linalg.norm(prediction - exact) / np.linalg.norm(exact):.3e} "
      f"({result.steps} steps, {result.seconds:.0f} s)")
