"""Run settings of the PINN domain: network, training, and the `sciml pinn train|inverse` verbs.

Every default lives here. `PINNTrainConfig` is what `train_pinn` takes; `NetworkSettings` is what
`build_pinn` takes; `TrainSettings` and `InverseSettings` are the `--config` files of
`sciml pinn train` and `sciml pinn inverse`; `WORKFLOW_SETTINGS` is the `pinn:` section of the
workflow config, whose per-problem defaults are the tuned recipes the workflow runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sciml.errors import ConfigError
from sciml.pinn.sampling import RAR_METHODS, SAMPLERS
from sciml.settings import from_dict, merge, to_dict

DTYPE_NAMES = ("float32", "float64")
DENSE_METHODS = ("bfgs", "ssbfgs", "ssbroyden")  # full-memory quasi-Newton (sciml.pinn.quasi_newton)
OPTIMIZERS2 = ("lbfgs", *DENSE_METHODS)
FORWARD = ("burgers", "heat", "poisson", "allen_cahn", "poisson_2d_cg", "lid_driven_cavity", "convection", "reaction",
           "wave", "poisson_nd", "heat_nd", "heat_2d_ms", "kuramoto_sivashinsky")
DEFAULT_RUN = ("burgers", "heat", "poisson", "allen_cahn", "reaction")
INVERSE = ("burgers_inverse", "burgers_inverse_noisy")
# The registry data set holding each problem's reference (the workflow fetches it before training).
DATASETS = {"burgers": "pinn-reference", "heat": "pinn-reference", "poisson": "pinn-reference",
            "allen_cahn": "pinn-reference", "poisson_2d_cg": "pinn-benchmarks", "lid_driven_cavity": "pinn-benchmarks",
            "convection": "pinn-reference", "reaction": "pinn-reference", "wave": "pinn-reference",
            "poisson_nd": "pinn-reference", "heat_nd": "pinn-reference", "heat_2d_ms": "pinn-reference",
            "kuramoto_sivashinsky": "pinn-benchmarks"}


@dataclass(frozen=True)
class NetworkSettings:
    """The MLP of a PINN (keyword arguments of `sciml.pinn.network.MLP`).

    Attributes:
        width: hidden units per layer.
        depth: number of hidden layers.
        activation: "tanh", "sin", "gelu" or "silu".
        fourier_features: random Fourier features of the input (0 = off).
        fourier_scale: standard deviation of the Fourier frequencies.
        periodic_harmonics: harmonics of periodic coordinates (cos/sin embedding).
        adaptive_slope: layer-wise adaptive activation act(n a x) with trainable a and this n (0 = off).
    """

    width: int = 20
    depth: int = 8
    activation: str = "tanh"
    fourier_features: int = 0
    fourier_scale: float = 1.0
    periodic_harmonics: int = 1
    adaptive_slope: float = 0.0

    def __post_init__(self) -> None:
        if self.width < 1 or self.depth < 1:
            raise ConfigError("network.width", f"width and depth must be >= 1, got {self.width}, {self.depth}")
        if self.fourier_features < 0 or self.periodic_harmonics < 1 or self.adaptive_slope < 0:
            raise ConfigError("network", "fourier_features and adaptive_slope must be >= 0, periodic_harmonics >= 1")


@dataclass(frozen=True)
class PINNTrainConfig:
    """Settings of one PINN training run (`train_pinn`): Adam, then L-BFGS or a dense quasi-Newton method.

    The defaults are the package's recipe for a problem posed by hand: 1,000 Adam steps, then up to
    3,000 self-scaled Broyden iterations (dense inverse Hessian; L-BFGS is used instead for networks
    above 20,000 parameters) in three stages with two residual-density refinement rounds of 500
    points in between, the curvature kept across them, on 2,000 Latin-hypercube points, float64.

    Attributes:
        n_collocation: residual (collocation) points drawn in the domain.
        sampler: how they are drawn: "lhs", "sobol" or "uniform".
        adam_steps: steps of the Adam phase.
        adam_lr: Adam learning rate at the start; it decays exponentially to `adam_lr_final`.
        adam_lr_final: Adam learning rate at the last Adam step.
        lbfgs_steps: second-phase iterations in total (whichever `optimizer2` is chosen).
        lbfgs_chunk: second-phase iterations per check, log row and checkpoint opportunity.
        lbfgs_history: curvature pairs kept by L-BFGS.
        optimizer2: second-phase optimiser: "lbfgs" (`torch.optim.LBFGS`) or a dense quasi-Newton
            method "bfgs", "ssbfgs", "ssbroyden" (`sciml.pinn.quasi_newton`; full n x n inverse
            Hessian, for networks up to ~20k parameters).
        stagnation_rtol: a chunk that lowers the loss by less than this (relatively) is stagnant.
        stagnation_patience: stagnant chunks before the stage ends.
        rar_rounds: residual-based refinement rounds between second-phase stages (0 = off).
        rar_points: collocation points added per round.
        rar_candidates: candidate points scored per round.
        rar_method: "topk" (largest |r|) or "density" (RAR-D, drawn with probability
            ~ |r|^power / mean + floor), see `sampling.residual_refinement`.
        rar_power: RAR-D exponent.
        rar_floor: RAR-D constant added to the normalised density.
        rar_keep_history: keep the second-phase curvature history across RAR rounds (default: restart it).
        adaptive_weights: learning-rate annealing of the condition weights (Wang et al. 2021) during Adam.
        weight_update_every: Adam steps between two weight updates.
        weight_alpha: smoothing of the weight updates.
        causal_slabs: 0 = plain mean residual; M >= 2 = causal weighting over M time slabs
            (Wang et al. 2022, `sciml.pinn.causal`); weights are recomputed every Adam step and held
            fixed during each second-phase chunk.
        causal_eps: increasing causality parameters, stepped through once every weight exceeds `causal_tol`.
        causal_tol: weight threshold for moving to the next eps.
        causal_dim: the time coordinate (-1 = the last one).
        dtype: "float64" (default; PINN references need it) or "float32".
        log_every: Adam steps between two history rows.
        checkpoint_every: steps between two checkpoints.
        max_seconds: optional wall-time budget (makes the run time-dependent; None = off).
        seed: seed of the collocation points, the RAR rounds, the network initialisation and the PDE's
            condition points.
        device: "auto", "cpu" or "cuda" (not part of the run digest).
    """

    n_collocation: int = 2000
    sampler: str = "lhs"
    adam_steps: int = 1000
    adam_lr: float = 1e-3
    adam_lr_final: float = 1e-4
    lbfgs_steps: int = 3000
    lbfgs_chunk: int = 50
    lbfgs_history: int = 50
    optimizer2: str = "ssbroyden"
    stagnation_rtol: float = 1e-5
    stagnation_patience: int = 4
    rar_rounds: int = 2
    rar_points: int = 500
    rar_candidates: int = 20000
    rar_method: str = "density"
    rar_power: float = 2.0
    rar_floor: float = 0.0
    rar_keep_history: bool = True
    adaptive_weights: bool = False
    weight_update_every: int = 100
    weight_alpha: float = 0.9
    causal_slabs: int = 0
    causal_eps: tuple[float, ...] = (1e-2, 1e-1, 1.0, 10.0, 100.0)
    causal_tol: float = 0.99
    causal_dim: int = -1
    dtype: str = "float64"
    log_every: int = 100
    checkpoint_every: int = 500
    max_seconds: float | None = None
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        if self.dtype not in DTYPE_NAMES:
            raise ConfigError("pinn.dtype", f"must be one of {list(DTYPE_NAMES)}, got {self.dtype!r}")
        if self.optimizer2 not in OPTIMIZERS2:
            raise ConfigError("pinn.optimizer2", f"must be one of {OPTIMIZERS2}, got {self.optimizer2!r}")
        if self.sampler not in SAMPLERS:
            raise ConfigError("pinn.sampler", f"must be one of {SAMPLERS}, got {self.sampler!r}")
        for key in ("n_collocation", "lbfgs_chunk", "lbfgs_history", "log_every", "checkpoint_every",
                    "stagnation_patience", "weight_update_every", "rar_points", "rar_candidates"):
            if getattr(self, key) < 1:
                raise ConfigError(f"pinn.{key}", f"must be >= 1, got {getattr(self, key)}")
        for key in ("adam_steps", "lbfgs_steps", "rar_rounds"):
            if getattr(self, key) < 0:
                raise ConfigError(f"pinn.{key}", f"must be >= 0, got {getattr(self, key)}")
        if self.adam_lr <= 0 or self.adam_lr_final <= 0:
            raise ConfigError("pinn.adam_lr", f"learning rates must be > 0, got {self.adam_lr}, {self.adam_lr_final}")
        if self.causal_slabs == 1 or self.causal_slabs < 0:
            raise ConfigError("pinn.causal_slabs", f"must be 0 (off) or >= 2, got {self.causal_slabs}")
        object.__setattr__(self, "causal_eps", tuple(float(e) for e in self.causal_eps))
        if self.rar_method not in RAR_METHODS:
            raise ConfigError("pinn.rar_method", f"must be one of {RAR_METHODS}, got {self.rar_method!r}")
        if self.rar_power < 0 or self.rar_floor < 0:
            raise ConfigError("pinn.rar_power", f"rar_power and rar_floor must be >= 0, got {self.rar_power}, {self.rar_floor}")
        if self.rar_points > self.rar_candidates:
            raise ConfigError("pinn.rar_points", f"{self.rar_points} exceeds rar_candidates {self.rar_candidates}")


@dataclass(frozen=True)
class TrainSettings:
    """`sciml pinn train`: fit a PINN to a ready-made forward problem and score it against its reference.

    Attributes:
        pde: the problem: "burgers", "heat", "poisson", "allen_cahn", "poisson_2d_cg" (PINNacle, four holes),
            "lid_driven_cavity" (PINNacle NS 2d-C, Re 100, fields u, v, p), "convection", "reaction", "wave"
            (Rathore et al. 2024), "poisson_nd" or "heat_nd" (PINNacle PNd and HNd, 5-D), "heat_2d_ms" (PINNacle
            Heat 2d-MS, multi-scale), "kuramoto_sivashinsky" (jaxpi's chaotic KS, t in [0, 0.1]).
        hard_constraints: impose the initial/boundary conditions exactly (False: penalise them); poisson_nd
            needs False (its boundary data is the exact solution), heat_nd's Neumann condition is always penalised.
        symmetry: exact symmetry of the solution, e.g. "odd_x" (odd in x about the domain centre;
            comma-separated for several coordinates; "none" = off).
        network: the MLP.
        train: the training run (its `seed` also seeds the network and the condition points).
        runtime: time limit of the workflow job in minutes (SLURM; not used by the computation).
    """

    pde: str = "burgers"
    hard_constraints: bool = True
    symmetry: str = "none"
    network: NetworkSettings = field(default_factory=NetworkSettings)
    train: PINNTrainConfig = field(default_factory=PINNTrainConfig)
    runtime: int = 30

    def __post_init__(self) -> None:
        if self.pde not in FORWARD:
            raise ConfigError("pde", f"must be one of {list(FORWARD)}, got {self.pde!r}")


@dataclass(frozen=True)
class InverseSettings:
    """`sciml pinn inverse`: identify Burgers' lambda1, lambda2 from scattered observations of the reference.

    Attributes:
        n_observations: observation points drawn from the reference solution.
        noise: relative Gaussian noise on the observations (0.01 = 1 %).
        network: the MLP.
        train: the training run (its `seed` also draws the observations and the network).
        runtime: time limit of the workflow job in minutes (SLURM; not used by the computation).
    """

    n_observations: int = 2000
    noise: float = 0.0
    network: NetworkSettings = field(default_factory=NetworkSettings)
    train: PINNTrainConfig = field(default_factory=PINNTrainConfig)
    runtime: int = 30

    def __post_init__(self) -> None:
        if self.n_observations < 1:
            raise ConfigError("n_observations", f"must be >= 1, got {self.n_observations}")
        if self.noise < 0:
            raise ConfigError("noise", f"must be >= 0, got {self.noise}")


# The base the workflow recipes below were tuned on (each recipe states its differences from it).
_RECIPE_BASE: dict[str, object] = dict(n_collocation=10000, adam_steps=2000, lbfgs_steps=5000, optimizer2="lbfgs",
                                       rar_rounds=0, rar_method="topk", rar_keep_history=False)


def _forward(pde: str, network: NetworkSettings, runtime: int, hard_constraints: bool = True,
             **train: object) -> TrainSettings:
    config = PINNTrainConfig(**{**_RECIPE_BASE, **train})  # type: ignore[arg-type]
    return TrainSettings(pde=pde, hard_constraints=hard_constraints, network=network, train=config, runtime=runtime)


def _inverse(noise: float) -> InverseSettings:
    config = PINNTrainConfig(**{**_RECIPE_BASE, "n_collocation": 2000, "adam_steps": 500, "lbfgs_steps": 2000,  # type: ignore[arg-type]
                                "optimizer2": "ssbroyden"})
    return InverseSettings(noise=noise, network=NetworkSettings(width=20, depth=8), runtime=30, train=config)


@dataclass(frozen=True)
class PINNWorkflowSettings:
    """The `pinn:` section of the workflow config; each problem's defaults are the workflow's recipe.

    Attributes:
        enabled: run the PINN part of the workflow.
        problems: forward problems to train (each has its settings below).
        inverse: also run the inverse Burgers problem (clean and 1 % noisy observations).
        threads: CPU threads per training job.
        gpu: GPUs per training job on SLURM (0 = CPU).
        burgers: `sciml pinn train` settings of Burgers (SSBroyden, four RAR-D rounds).
        heat: `sciml pinn train` settings of the heat equation.
        poisson: `sciml pinn train` settings of the Poisson problem.
        allen_cahn: `sciml pinn train` settings of Allen-Cahn (periodic embedding, three RAR rounds).
        poisson_2d_cg: `sciml pinn train` settings of PINNacle's Poisson 2d-CG (four holes, hard constraints).
        lid_driven_cavity: `sciml pinn train` settings of PINNacle's lid-driven cavity at Re 100 (u, v, p).
        convection: `sciml pinn train` settings of the convection problem (beta = 40, periodic embedding).
        reaction: `sciml pinn train` settings of the reaction problem (rho = 5).
        wave: `sciml pinn train` settings of the wave problem (beta = 5, both initial conditions exact).
        poisson_nd: `sciml pinn train` settings of PINNacle's 5-D Poisson problem (penalised boundary).
        heat_nd: `sciml pinn train` settings of PINNacle's 5-D heat problem (exact initial condition).
        heat_2d_ms: `sciml pinn train` settings of PINNacle's multi-scale heat problem Heat 2d-MS (Fourier
            embedding of x up to 24 pi x, exact initial and boundary conditions).
        kuramoto_sivashinsky: `sciml pinn train` settings of jaxpi's chaotic Kuramoto–Sivashinsky problem,
            t in [0, 0.1] (periodic embedding with harmonics, exact initial condition, Taylor-mode u_xxxx).
        burgers_inverse: `sciml pinn inverse` settings, clean observations.
        burgers_inverse_noisy: `sciml pinn inverse` settings, noisy observations.
    """

    enabled: bool = True
    problems: tuple[str, ...] = DEFAULT_RUN
    inverse: bool = True
    threads: int = 1
    gpu: int = 0
    burgers: TrainSettings = field(default_factory=lambda: _forward(
        "burgers", NetworkSettings(width=20, depth=8), 20, n_collocation=1000, adam_steps=500, lbfgs_steps=3000,
        optimizer2="ssbroyden", rar_rounds=4, rar_points=500, rar_method="density", rar_keep_history=True))
    heat: TrainSettings = field(default_factory=lambda: _forward(
        "heat", NetworkSettings(width=32, depth=3), 15, n_collocation=2000, adam_steps=500, lbfgs_steps=1000,
        optimizer2="ssbroyden"))
    poisson: TrainSettings = field(default_factory=lambda: _forward(
        "poisson", NetworkSettings(width=20, depth=3), 15, n_collocation=2000, adam_steps=500, lbfgs_steps=1000,
        optimizer2="ssbroyden"))
    allen_cahn: TrainSettings = field(default_factory=lambda: _forward(
        "allen_cahn", NetworkSettings(width=32, depth=4, periodic_harmonics=2), 30, n_collocation=3000,
        adam_steps=300, lbfgs_steps=2000, optimizer2="ssbroyden", rar_rounds=3, rar_points=500,
        rar_keep_history=True))
    poisson_2d_cg: TrainSettings = field(default_factory=lambda: _forward(
        "poisson_2d_cg", NetworkSettings(width=32, depth=3), 20, n_collocation=3000, adam_steps=500,
        lbfgs_steps=2000, optimizer2="ssbroyden", rar_rounds=2, rar_points=500, rar_method="density",
        rar_keep_history=True))
    lid_driven_cavity: TrainSettings = field(default_factory=lambda: _forward(
        "lid_driven_cavity", NetworkSettings(width=32, depth=4), 30, n_collocation=3000, adam_steps=500,
        lbfgs_steps=3000, optimizer2="ssbroyden", rar_rounds=2, rar_points=500, rar_method="density",
        rar_keep_history=True))
    convection: TrainSettings = field(default_factory=lambda: _forward(
        "convection", NetworkSettings(width=32, depth=4), 20, n_collocation=2000, adam_steps=500, lbfgs_steps=3000,
        optimizer2="ssbroyden", rar_rounds=2, rar_points=500, rar_method="density", rar_keep_history=True))
    reaction: TrainSettings = field(default_factory=lambda: _forward(
        "reaction", NetworkSettings(width=32, depth=3), 20, n_collocation=2000, adam_steps=500, lbfgs_steps=2000,
        optimizer2="ssbroyden", rar_rounds=2, rar_points=500, rar_method="density", rar_keep_history=True))
    wave: TrainSettings = field(default_factory=lambda: _forward(
        "wave", NetworkSettings(width=32, depth=4), 20, n_collocation=2000, adam_steps=500, lbfgs_steps=2000,
        optimizer2="ssbroyden", rar_rounds=2, rar_points=500, rar_method="density", rar_keep_history=True))
    poisson_nd: TrainSettings = field(default_factory=lambda: _forward(
        "poisson_nd", NetworkSettings(width=32, depth=3), 20, hard_constraints=False, n_collocation=2000,
        adam_steps=500, lbfgs_steps=2000, optimizer2="ssbroyden"))
    heat_nd: TrainSettings = field(default_factory=lambda: _forward(
        "heat_nd", NetworkSettings(width=32, depth=3), 20, n_collocation=1500, adam_steps=500, lbfgs_steps=3500,
        optimizer2="ssbroyden"))
    heat_2d_ms: TrainSettings = field(default_factory=lambda: _forward(
        "heat_2d_ms", NetworkSettings(width=32, depth=4, periodic_harmonics=24), 20, n_collocation=3000,
        adam_steps=500, lbfgs_steps=3400, optimizer2="ssbroyden", rar_rounds=2, rar_points=500,
        rar_method="density", rar_keep_history=True))
    kuramoto_sivashinsky: TrainSettings = field(default_factory=lambda: _forward(
        "kuramoto_sivashinsky", NetworkSettings(width=32, depth=4, periodic_harmonics=8), 30, n_collocation=1500,
        adam_steps=500, lbfgs_steps=2400, optimizer2="ssbroyden", rar_rounds=2, rar_points=500,
        rar_method="density", rar_keep_history=True))
    burgers_inverse: InverseSettings = field(default_factory=lambda: _inverse(0.0))
    burgers_inverse_noisy: InverseSettings = field(default_factory=lambda: _inverse(0.01))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.problems) - set(FORWARD))
        if unknown:
            raise ConfigError("pinn.problems", f"unknown problems {unknown}; choose from {list(FORWARD)}")


WORKFLOW_SETTINGS = PINNWorkflowSettings


def workflow_settings(section: Mapping[str, Any], source: str | None = None) -> PINNWorkflowSettings:
    """The `pinn:` config section over the default recipes: a partial `burgers: {train: {...}}` keeps the rest of
    Burgers' recipe (not the generic defaults of `TrainSettings`).

    Raises:
        ConfigError: an unknown key or a bad value, named by its dotted path.
    """
    merged = merge(to_dict(PINNWorkflowSettings()), section)
    settings = from_dict(PINNWorkflowSettings, merged, prefix="pinn", source=source)
    for name in FORWARD:
        if getattr(settings, name).pde != name:
            raise ConfigError(f"pinn.{name}.pde", f"must be {name!r}, got {getattr(settings, name).pde!r}", source)
    return settings
