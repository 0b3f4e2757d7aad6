"""Physics-informed neural networks: PDE definitions, samplers, Adam -> L-BFGS / dense SSBroyden training, exact references.

Quick use::

    from sciml.pinn import burgers, build_pinn, train_pinn, NetworkSettings, PINNTrainConfig
    pde = burgers()
    model = build_pinn(pde, NetworkSettings(width=20, depth=8))
    train_pinn(pde, model, PINNTrainConfig(n_collocation=1000, adam_steps=500, lbfgs_steps=3000, optimizer2="ssbroyden",
                                           rar_rounds=4, rar_method="density", rar_keep_history=True))
"""

from sciml.pinn.evaluate import ReferenceGrid, grid_error, predict_grid, reference_grid
from sciml.pinn.models import PINN, build_pinn, load_model, save_pinn
from sciml.pinn.network import MLP
from sciml.pinn.pde import PDE, Box, Condition, derivative
from sciml.pinn.problems import PROBLEMS, allen_cahn, burgers, burgers_inverse, heat, poisson
from sciml.pinn.quasi_newton import DenseQuasiNewton
from sciml.pinn.reference import burgers_cole_hopf, relative_l2
from sciml.pinn.sampling import residual_refinement, sample_domain, unit_samples
from sciml.pinn.settings import InverseSettings, NetworkSettings, PINNTrainConfig, TrainSettings
from sciml.pinn.training import PINNTrainResult, TrainingDiverged, train_pinn

__all__ = [
    "MLP", "PDE", "PINN", "PROBLEMS", "Box", "Condition", "DenseQuasiNewton", "InverseSettings", "NetworkSettings", "PINNTrainConfig", "PINNTrainResult", "ReferenceGrid",
    "TrainSettings", "TrainingDiverged", "allen_cahn", "build_pinn", "burgers", "burgers_cole_hopf", "burgers_inverse",
    "derivative", "grid_error", "heat", "load_model", "poisson", "predict_grid", "reference_grid",
    "relative_l2", "residual_refinement", "sample_domain", "save_pinn", "train_pinn", "unit_samples",
]
