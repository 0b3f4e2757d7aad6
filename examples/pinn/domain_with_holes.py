"""A domain with holes: PINNacle's Poisson 2d-CG posed from the public API and scored against its COMSOL reference.

-lap u + 64 u = f on the square [-1, 1]^2 minus four disks, u = 0.2 on the square's edges and
u = 1 on the holes. The domain is built by constructive solid geometry, the boundary points are
drawn on it (uniform by arc length) and split by which piece they lie on; the result is scored
with PINNacle's L2RE at the reference's 3,236 nodes (data set `pinn-benchmarks`).
"""

import os

import numpy as np
import torch

from sciml.data import fetch
from sciml.pinn import PDE, Box, Condition, PINNTrainConfig, build_pinn, derivative, train_pinn
from sciml.pinn.geometry import Disk
from sciml.pinn.reference import load_pinnacle_dat, relative_l2

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"

square = Box((-1.0, -1.0), (1.0, 1.0), names=("x", "y"))
domain = square
for centre, radius in [((0.5, 0.5), 0.2), ((0.4, -0.4), 0.4), ((-0.2, -0.7), 0.1), ((-0.6, 0.5), 0.3)]:
    domain = domain - Disk(centre, radius)


def residual(x, u, params):
    xs, ys = x[:, 0:1], x[:, 1:2]
    f = 10.0 * (1.0 + xs**2 + 16.0 + ys**2) * torch.sin(np.pi * xs) * torch.sin(4.0 * np.pi * ys)
    return -(derivative(u, x, 0, 0) + derivative(u, x, 1, 1)) + 64.0 * u - f


edge = domain.sample_boundary(100 if QUICK else 2000)
on_square = np.abs(square.signed_distance(edge)) < 1e-9
pde = PDE(residual, domain, [Condition("boundary", edge, np.where(on_square, 0.2, 1.0), weight=10.0)],
          name="poisson_holes")
model = build_pinn(pde, {"width": 32, "depth": 3})
steps = (30, 30) if QUICK else (1000, 3000)
train_pinn(pde, model, PINNTrainConfig(n_collocation=200 if QUICK else 3000, adam_steps=steps[0], lbfgs_steps=steps[1],
                                       rar_rounds=0 if QUICK else 2, device="cpu"))

reference = load_pinnacle_dat(fetch("pinn-benchmarks") / "pinnacle_poisson_boltzmann2d.dat", ("x", "y"), ("u",))
prediction = model.predict(torch.as_tensor(reference.points)).numpy()
print(f"L2RE at the {len(reference.points)} reference nodes: {relative_l2(prediction, reference.values):.3e}")
