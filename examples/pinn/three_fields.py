"""A three-field system: steady Navier–Stokes (u, v, p) for Kovasznay flow, scored against the exact solution.

Kovasznay (1948) flow at Re = 20 on [-0.5, 1] x [-0.5, 1.5]: u = 1 - exp(l x) cos(2 pi y),
v = l / (2 pi) exp(l x) sin(2 pi y), p = (1 - exp(2 l x)) / 2 with l = Re / 2 - sqrt(Re^2 / 4 + 4 pi^2).
The velocity is given on the boundary (two conditions, one per field), the pressure is fixed by a
gauge at one point, and `navier_stokes` supplies the three residuals (two momentum, continuity).
"""

import os

import numpy as np
import torch

from sciml.pinn import Box, Condition, PINNTrainConfig, build_pinn, train_pinn
from sciml.pinn.navier_stokes import navier_stokes
from sciml.pinn.reference import relative_l2

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
RE = 20.0
LAM = RE / 2 - np.sqrt(RE**2 / 4 + 4 * np.pi**2)


def kovasznay(p):
    x, y = p[:, 0], p[:, 1]
    return np.stack([1 - np.exp(LAM * x) * np.cos(2 * np.pi * y), LAM / (2 * np.pi) * np.exp(LAM * x) * np.sin(2 * np.pi * y),
                     (1 - np.exp(2 * LAM * x)) / 2], axis=1)


box = Box((-0.5, -0.5), (1.0, 1.5), names=("x", "y"))
wall = box.sample_boundary(100 if QUICK else 800)
exact_wall = kovasznay(wall)
gauge = np.array([[-0.5, -0.5]])
pde = navier_stokes(box, 1.0 / RE, [Condition("wall_u", wall, exact_wall[:, 0], output="u"),
                                    Condition("wall_v", wall, exact_wall[:, 1], output="v"),
                                    Condition("gauge_p", gauge, kovasznay(gauge)[:, 2], output="p")], name="kovasznay")
model = build_pinn(pde, {"width": 32, "depth": 3})
steps = (30, 30) if QUICK else (1000, 3000)
train_pinn(pde, model, PINNTrainConfig(n_collocation=200 if QUICK else 2000, adam_steps=steps[0], lbfgs_steps=steps[1],
                                       rar_rounds=0 if QUICK else 2, device="cpu"))

points = box.sample_interior(5000, seed=7)
prediction, exact = model.predict(torch.as_tensor(points)).numpy(), kovasznay(points)
for i, name in enumerate(pde.outputs):
    print(f"rel L2 {name}: {relative_l2(prediction[:, i], exact[:, i]):.3e}")
