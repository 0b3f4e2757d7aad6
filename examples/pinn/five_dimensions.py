"""PINNacle's 5-D Poisson problem (PNd) posed from the public API: a 5-D box, penalised boundary values.

-lap u = pi^2 / 4 sum_i sin(pi x_i / 2) on [0, 1]^5 with u = sum_i sin(pi x_i / 2) on the boundary
(the exact solution). The Laplacian is the sum of five second derivatives; boundary points are
drawn on the ten faces by area. The error is PINNacle's L2RE at random test points of the cube.
"""

import math
import os

import numpy as np
import torch

from sciml.pinn import PDE, Box, Condition, PINNTrainConfig, build_pinn, derivative, train_pinn
from sciml.pinn.reference import poisson_nd_exact, relative_l2

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
DIM = 5


def residual(x, u, params):
    laplacian = sum(derivative(u, x, i, i) for i in range(DIM))
    return -laplacian - math.pi**2 / 4 * torch.sin(math.pi / 2 * x).sum(1, keepdim=True)


cube = Box((0.0,) * DIM, (1.0,) * DIM, names=tuple(f"x{i + 1}" for i in range(DIM)))
faces = cube.sample_boundary(200 if QUICK else 2000)
pde = PDE(residual, cube, [Condition.from_function("boundary", faces, poisson_nd_exact)], name="poisson_5d")
model = build_pinn(pde, {"width": 8, "depth": 2} if QUICK else {"width": 32, "depth": 3})
train_pinn(pde, model, PINNTrainConfig(n_collocation=100 if QUICK else 2000, adam_steps=10 if QUICK else 500,
                                       lbfgs_steps=10 if QUICK else 2000, rar_rounds=0, device="cpu"))

test = np.random.default_rng(1).random((4096, DIM))
u = model.predict(torch.as_tensor(test)).numpy().ravel()
print(f"L2RE at {len(test)} random test points: {relative_l2(u, poisson_nd_exact(test)):.3e}")
