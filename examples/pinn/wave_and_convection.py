"""Rathore et al.'s wave and convection problems posed from the public API, scored on their 129 x 101 test grids.

Wave: u_tt = 4 u_xx on [0, 1] x [0, 1], u(x, 0) = sin(pi x) + sin(5 pi x) / 2, u_t(x, 0) = 0, zero
walls; both initial conditions and the walls are built into the output (`output_transform`), so the
loss is the residual alone. Convection: u_t + 40 u_x = 0 on [0, 2 pi] (periodic: declared with
`periodic=`, embedded exactly by the network) with u(x, 0) = sin x. Each is scored against its
analytic solution with the benchmark's relative L2 error (`sciml pinn train --set pde=wave` runs the
ready-made versions with the workflow's recipes).
"""

import math
import os

import numpy as np
import torch

from sciml.pinn import PDE, Box, PINNTrainConfig, build_pinn, derivative, train_pinn
from sciml.pinn.reference import convection_exact, relative_l2, wave_exact

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"
config = PINNTrainConfig(n_collocation=200 if QUICK else 2000, adam_steps=20 if QUICK else 500,
                         lbfgs_steps=10 if QUICK else 3000, rar_rounds=0 if QUICK else 2, device="cpu")
network = {"width": 8, "depth": 2} if QUICK else {"width": 32, "depth": 4}


def wave_residual(x, u, params):                   # x = (x, t)
    return derivative(u, x, 1, 1) - 4.0 * derivative(u, x, 0, 0)


def wave_output(x, raw):      # u(x, 0), u_t(x, 0) = 0 and u = 0 at both walls exactly; the time factor ~ t^2
    xs, t = x[:, 0:1], x[:, 1:2]   # at t = 0 rises on the fastest mode's time scale 1 / (10 pi)
    u0 = torch.sin(math.pi * xs) + 0.5 * torch.sin(5 * math.pi * xs)
    return u0 - 4 * xs * (1 - xs) * torch.expm1(-((10 * math.pi * t) ** 2)) * raw


def convection_residual(x, u, params):
    return derivative(u, x, 1) + 40.0 * derivative(u, x, 0)


problems = {
    "wave": (PDE(wave_residual, Box((0.0, 0.0), (1.0, 1.0), ("x", "t")), output_transform=wave_output, name="wave"),
             wave_exact, 1.0),
    "convection": (PDE(convection_residual, Box((0.0, 0.0), (2 * math.pi, 1.0), ("x", "t")),
                       output_transform=lambda x, raw: torch.sin(x[:, 0:1]) - torch.expm1(-40 * x[:, 1:2]) * raw,
                       periodic={0: 2 * math.pi}, name="convection"), convection_exact, 2 * math.pi),
}
for name, (pde, exact, length) in problems.items():
    model = build_pinn(pde, network)
    train_pinn(pde, model, config)
    x, t = np.meshgrid(np.linspace(0, length, 129), np.linspace(0, 1, 101), indexing="ij")
    u = model.predict(torch.as_tensor(np.column_stack([x.ravel(), t.ravel()]))).numpy().ravel()
    print(f"{name}: rel L2 on the 129 x 101 grid {relative_l2(u, exact(x, t).ravel()):.3e}")
