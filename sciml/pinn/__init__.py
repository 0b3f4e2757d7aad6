"""Physics-informed neural networks: PDE definitions, samplers, Adam -> L-BFGS / dense SSBroyden training, exact references.

Quick use (the defaults of `PINNTrainConfig` are the package's recipe)::

    from sciml.pinn import burgers, build_pinn, train_pinn, NetworkSettings, PINNTrainConfig
    pde = burgers()
    model = build_pinn(pde, NetworkSettings(width=20, depth=8))
    train_pinn(pde, model, PINNTrainConfig())
"""

from sciml.lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "ReferenceGrid": ".evaluate",
    "grid_error": ".evaluate",
    "predict_grid": ".evaluate",
    "reference_grid": ".evaluate",
    "scattered_error": ".evaluate",
    "Ball": ".geometry",
    "Disk": ".geometry",
    "Geometry": ".geometry",
    "Polygon": ".geometry",
    "SpaceTime": ".geometry",
    "dirichlet_blend": ".geometry",
    "TimeMarching": ".marching",
    "march_in_time": ".marching",
    "PINN": ".models",
    "build_pinn": ".models",
    "load_model": ".models",
    "save_pinn": ".models",
    "navier_stokes": ".navier_stokes",
    "navier_stokes_residual": ".navier_stokes",
    "MLP": ".network",
    "Box": ".pde",
    "Condition": ".pde",
    "PDE": ".pde",
    "derivative": ".pde",
    "PROBLEMS": ".problems",
    "allen_cahn": ".problems",
    "burgers": ".problems",
    "burgers_inverse": ".problems",
    "convection": ".problems",
    "heat": ".problems",
    "heat_nd": ".problems",
    "kuramoto_sivashinsky": ".problems",
    "lid_driven_cavity": ".problems",
    "poisson": ".problems",
    "poisson_2d_cg": ".problems",
    "poisson_nd": ".problems",
    "reaction": ".problems",
    "wave": ".problems",
    "DenseQuasiNewton": ".quasi_newton",
    "burgers_cole_hopf": ".reference",
    "relative_l2": ".reference",
    "residual_refinement": ".sampling",
    "sample_domain": ".sampling",
    "unit_samples": ".sampling",
    "InverseSettings": ".settings",
    "NetworkSettings": ".settings",
    "PINNTrainConfig": ".settings",
    "TrainSettings": ".settings",
    "PINNTrainResult": ".training",
    "TrainingDiverged": ".training",
    "train_pinn": ".training",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
