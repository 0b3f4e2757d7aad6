"""Physics-informed neural networks: PDE definitions, samplers, Adam -> L-BFGS / dense SSBroyden training, exact references.

Quick use (the defaults of `PINNTrainConfig` are the package's recipe)::

    from sciml.pinn import burgers, build_pinn, train_pinn, NetworkSettings, PINNTrainConfig
    pde = burgers()
    model = build_pinn(pde, NetworkSettings(width=20, depth=8))
    train_pinn(pde, model, PINNTrainConfig())
"""

from sciml.pinn.evaluate import ReferenceGrid, grid_error, predict_grid, reference_grid, scattered_error
from sciml.pinn.geometry import Ball, Disk, Geometry, Polygon, SpaceTime, dirichlet_blend
from sciml.pinn.marching import TimeMarching, march_in_time
from sciml.pinn.models import PINN, build_pinn, load_model, save_pinn
from sciml.pinn.navier_stokes import navier_stokes, navier_stokes_residual
from sciml.pinn.network import MLP
from sciml.pinn.pde import PDE, Box, Condition, derivative
from sciml.pinn.problems import (
    PROBLEMS,
    allen_cahn,
    burgers,
    burgers_inverse,
    convection,
    heat,
    heat_nd,
    kuramoto_sivashinsky,
    lid_driven_cavity,
    poisson,
    poisson_2d_cg,
    poisson_nd,
    reaction,
    wave,
)
from sciml.pinn.quasi_newton import DenseQuasiNewton
from sciml.pinn.reference import burgers_cole_hopf, relative_l2
from sciml.pinn.sampling import residual_refinement, sample_domain, unit_samples
from sciml.pinn.settings import InverseSettings, NetworkSettings, PINNTrainConfig, TrainSettings
from sciml.pinn.training import PINNTrainResult, TrainingDiverged, train_pinn

__all__ = [
    "MLP", "PDE", "PINN", "PROBLEMS", "Ball", "Box", "Condition", "DenseQuasiNewton", "Disk", "Geometry", "InverseSettings",
    "NetworkSettings", "PINNTrainConfig", "PINNTrainResult", "Polygon", "ReferenceGrid", "SpaceTime", "TimeMarching",
    "TrainSettings", "TrainingDiverged", "allen_cahn", "build_pinn", "burgers", "burgers_cole_hopf", "burgers_inverse",
    "convection", "derivative", "dirichlet_blend", "grid_error", "heat", "heat_nd", "kuramoto_sivashinsky",
    "lid_driven_cavity", "load_model",
    "march_in_time", "navier_stokes", "navier_stokes_residual", "poisson", "poisson_2d_cg", "poisson_nd",
    "predict_grid", "reaction", "reference_grid", "relative_l2", "residual_refinement", "sample_domain", "save_pinn",
    "scattered_error", "train_pinn", "unit_samples", "wave",
]
