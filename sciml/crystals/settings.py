"""Run settings of the crystals domain: the only home of its defaults.

Each verb of `sciml crystals` reads one of these frozen dataclasses from `--config FILE` (JSON or
YAML, a partial mapping: missing keys take the defaults below) and `--set key=value`:

- `generate`: `GenerateSettings`;
- `train`: `TrainSettings` (with the network settings `InvariantSettings` / `EquivariantSettings`);
- `evaluate`: `EvaluateSettings`;
- `report`: `ReportSettings`.

`CrystalsWorkflow` (`WORKFLOW_SETTINGS`) is the `crystals:` section of the workflow config. The
defaults reproduce the measured default run: per-family choices (the silicon cutoff, the metals
invariant model's longer training, the silicon equivariant model's l_max 2 and learning rate 0.04,
all chosen on validation data; see `notes/experiments/`) live in `FamilyOverrides`, and
`train_job` turns the section into the `TrainSettings` of one (family, model, size) job.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sciml.errors import ConfigError
from sciml.settings import from_dict, merge, to_dict

Family = Literal["metals", "silicon"]
ModelName = Literal["invariant", "equivariant"]
FAMILIES: tuple[str, ...] = ("metals", "silicon")
MODELS: tuple[str, ...] = ("invariant", "equivariant")


def _positive(key: str, value: float | int | None, *, allow_zero: bool = False) -> None:
    if value is None:
        return
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigError(key, f"must be {'>= 0' if allow_zero else '> 0'}, got {value}")


@dataclass(frozen=True)
class GenerateSettings:
    """Settings of `sciml crystals generate`: one seeded, labelled data set of a family.

    Attributes:
        family: "metals" (EMT fcc/bcc/hcp metals and alloys) or "silicon" (Stillinger-Weber phases).
        n_train: training structures written to `train.extxyz`.
        n_val: validation structures (best-epoch selection) written to `val.extxyz`.
        n_test: held-out test structures written to `test.extxyz`.
        max_atoms: largest number of atoms per generated cell (1..256).
        max_strain: largest entry of the random symmetric strain.
        rattle: largest standard deviation of the Gaussian rattle (A).
        vacancy_probability: probability of removing one atom from a cell.
        seed: random seed; the same settings always give the same structures.
    """

    family: Family = "metals"
    n_train: int = 1000
    n_val: int = 100
    n_test: int = 300
    max_atoms: int = 64
    max_strain: float = 0.05
    rattle: float = 0.1
    vacancy_probability: float = 0.2
    seed: int = 0

    def __post_init__(self) -> None:
        for key in ("n_train", "n_val", "n_test"):
            _positive(key, getattr(self, key))
        if not 1 <= self.max_atoms <= 256:
            raise ConfigError("max_atoms", f"must be in 1..256, got {self.max_atoms}")
        _positive("max_strain", self.max_strain, allow_zero=True)
        _positive("rattle", self.rattle, allow_zero=True)
        if not 0.0 <= self.vacancy_probability <= 1.0:
            raise ConfigError("vacancy_probability", f"must be in [0, 1], got {self.vacancy_probability}")


StressUnit = Literal["eV/A^3", "GPa", "kBar"]


@dataclass(frozen=True)
class LabelKeys:
    """Where an extended XYZ file keeps its labels, and the unit of its stress.

    ASE's own keys are the defaults; files written by other codes often use others (the Zuo 2020
    Cu/Ni sets keep forces under `force`, libAtoms files a `virial` instead of a stress).

    Attributes:
        energy: per-structure total energy (eV) in the comment line.
        forces: per-atom force array (eV/A).
        stress: per-structure stress, 6 Voigt values (xx yy zz yz xz xy) or 9 values, tensile positive.
        virial: per-structure virial (eV), 6 or 9 values, libAtoms convention virial = -stress x volume;
            used when a structure has no stress.
        stress_unit: unit of the values under `stress`.
    """

    energy: str = "energy"
    forces: str = "forces"
    stress: str = "stress"
    virial: str = "virial"
    stress_unit: StressUnit = "eV/A^3"

    def __post_init__(self) -> None:
        for key in ("energy", "forces", "stress", "virial"):
            if not getattr(self, key):
                raise ConfigError(f"keys.{key}", "must be a non-empty name")


@dataclass(frozen=True)
class PrepareSettings:
    """Settings of `sciml crystals prepare`: a training/validation split of one benchmark file.

    Attributes:
        element: element of the Zuo 2020 benchmark (Si, Ge, Li, Mo, Cu, Ni).
        val_fraction: fraction of every group (AIMD-NVT, Elastic, Surface, Vacancy, ...) held out.
        seed: seed of the split.
    """

    element: str = "Si"
    val_fraction: float = 0.15
    seed: int = 0

    def __post_init__(self) -> None:
        from sciml.crystals.zuo2020 import ELEMENTS

        if self.element not in ELEMENTS:
            raise ConfigError("element", f"must be one of {list(ELEMENTS)}, got {self.element!r}")
        if not 0.0 < self.val_fraction < 1.0:
            raise ConfigError("val_fraction", f"must be in (0, 1), got {self.val_fraction}")


@dataclass(frozen=True)
class MDSettings:
    """Settings of `sciml crystals md`: one molecular-dynamics run with a trained potential.

    Attributes:
        ensemble: "nve" (velocity Verlet) or "nvt" (Langevin thermostat).
        temperature: K; the initial Maxwell-Boltzmann velocities and the thermostat's target.
        steps: MD steps.
        timestep_fs: time step (fs).
        friction_per_fs: Langevin friction (1/fs), NVT only.
        log_every: record energies, temperature and the closest pair every N steps (and write the frame).
        min_distance: A; a run whose closest atom pair comes nearer is unstable.
        max_temperature_ratio: a run whose temperature exceeds this multiple of the target is unstable
            (NVT; NVE runs are judged by their drift).
        dtype: "float64" or "float32" arithmetic of the potential.
        seed: seed of the initial velocities and of the thermostat's noise.
    """

    ensemble: Literal["nve", "nvt"] = "nvt"
    temperature: float = 300.0
    steps: int = 1000
    timestep_fs: float = 1.0
    friction_per_fs: float = 0.01
    log_every: int = 10
    min_distance: float = 1.5
    max_temperature_ratio: float = 3.0
    dtype: Literal["float32", "float64"] = "float64"
    seed: int = 0

    def __post_init__(self) -> None:
        for key in ("temperature", "steps", "timestep_fs", "friction_per_fs", "log_every", "min_distance",
                    "max_temperature_ratio"):
            _positive(key, getattr(self, key))


@dataclass(frozen=True)
class MDCheckSettings:
    """Settings of `sciml crystals md-check`: the stability checks of one element's potential.

    An NVE run at `nve_temperature` for `nve_steps` (the energy drift per atom) and an NVT run at
    each of `nvt_temperatures` for `nvt_steps` (closest pair and temperature), all from the same
    starting structure; the other fields are those of `MDSettings`.

    Attributes:
        nve_temperature: K.
        nve_steps: steps of the NVE run (200 steps of 1 fs = 200 fs).
        nvt_temperatures: K, one NVT run each.
        nvt_steps: steps of each NVT run.
        timestep_fs: time step (fs).
        friction_per_fs: Langevin friction (1/fs).
        log_every: record every N steps.
        min_distance: A; closest allowed atom pair.
        max_temperature_ratio: highest allowed temperature as a multiple of the target.
        seed: seed of velocities and thermostat.
    """

    nve_temperature: float = 300.0
    nve_steps: int = 200
    nvt_temperatures: tuple[float, ...] = (300.0, 1000.0)
    nvt_steps: int = 1000
    timestep_fs: float = 1.0
    friction_per_fs: float = 0.01
    log_every: int = 10
    min_distance: float = 1.5
    max_temperature_ratio: float = 3.0
    seed: int = 0

    def run(self, ensemble: str, temperature: float) -> MDSettings:
        """The `MDSettings` of one of the runs."""
        steps = self.nve_steps if ensemble == "nve" else self.nvt_steps
        return MDSettings(ensemble=ensemble, temperature=temperature, steps=steps,  # type: ignore[arg-type]
                          timestep_fs=self.timestep_fs, friction_per_fs=self.friction_per_fs,
                          log_every=self.log_every, min_distance=self.min_distance,
                          max_temperature_ratio=self.max_temperature_ratio, seed=self.seed)


@dataclass(frozen=True)
class InvariantSettings:
    """Architecture of the invariant network (`sciml.crystals.invariant.InvariantNetwork`).

    Attributes:
        hidden: feature width F of every atom.
        num_interactions: message-passing steps.
        num_basis: Bessel radial basis functions.
        l_max: highest angular degree of the bond-angle power spectrum (0 = distances only).
        angular_channels: channels C of the power spectrum.
    """

    hidden: int = 32
    num_interactions: int = 2
    num_basis: int = 8
    l_max: int = 2
    angular_channels: int = 8

    def __post_init__(self) -> None:
        for key in ("hidden", "num_interactions", "num_basis", "angular_channels"):
            _positive(key, getattr(self, key))
        _positive("l_max", self.l_max, allow_zero=True)


@dataclass(frozen=True)
class EquivariantSettings:
    """Architecture of the e3nn equivariant network (`sciml.crystals.equivariant.EquivariantNetwork`).

    Attributes:
        l_max: highest degree of the spherical harmonics and of the hidden features.
        channels: multiplicity C of each hidden irrep.
        num_layers: interaction blocks.
        num_basis: Bessel radial basis functions.
        radial_hidden: width of the radial MLP giving the tensor-product weights.
    """

    l_max: int = 1
    channels: int = 8
    num_layers: int = 2
    num_basis: int = 8
    radial_hidden: int = 16

    def __post_init__(self) -> None:
        for key in ("channels", "num_layers", "num_basis", "radial_hidden"):
            _positive(key, getattr(self, key))
        _positive("l_max", self.l_max, allow_zero=True)


@dataclass(frozen=True)
class TrainSettings:
    """Settings of `sciml crystals train`: a potential fitted to energies, forces and stresses.

    Attributes:
        model: "invariant" or "equivariant" network.
        n_train: use only the first N training structures (nested learning-curve subsets); null: all.
        cutoff: graph cutoff radius (A).
        steps: optimiser-step budget; the run trains ceil(steps / batches per epoch) epochs, so a
            small training set gets as many updates as a large one.
        validate_steps: validate about every N optimiser steps (whole epochs, at least every
            epoch, always after the last); null: every epoch.
        batch_size: structures per optimiser step.
        lr: initial AdamW learning rate.
        lr_decay: the cosine schedule ends at lr * lr_decay.
        warmup_epochs: linear learning-rate warm-up epochs before the cosine decay.
        energy_weight: weight of the squared energy-per-atom error (eV^2).
        force_weight: weight of the squared force-component error ((eV/A)^2).
        stress_weight: weight of the squared virial-per-atom error (needs a stress on every structure).
        stage_two_fraction: final fraction of the epochs trained with `stage_two_energy_weight`
            (MACE's stage two); 0: none.
        stage_two_energy_weight: energy weight of the stage-two epochs and of every validation
            loss; required with a positive `stage_two_fraction`.
        grad_clip_norm: gradient-norm clipping threshold.
        invariant: network settings used when `model` is "invariant".
        equivariant: network settings used when `model` is "equivariant".
        seed: random seed (initial weights, batch order).
    """

    model: ModelName = "invariant"
    n_train: int | None = None
    cutoff: float = 4.5
    steps: int = 3750
    validate_steps: int | None = 125
    batch_size: int = 8
    lr: float = 0.01
    lr_decay: float = 0.01
    warmup_epochs: int = 1
    energy_weight: float = 10.0
    force_weight: float = 1.0
    stress_weight: float = 1.0
    stage_two_fraction: float = 0.0
    stage_two_energy_weight: float | None = None
    grad_clip_norm: float = 10.0
    invariant: InvariantSettings = field(default_factory=InvariantSettings)
    equivariant: EquivariantSettings = field(default_factory=EquivariantSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        if not 1.0 < self.cutoff <= 10.0:
            raise ConfigError("cutoff", f"must be in (1, 10] A, got {self.cutoff}")
        for key in ("n_train", "steps", "validate_steps", "batch_size", "lr", "grad_clip_norm"):
            _positive(key, getattr(self, key))
        for key in ("lr_decay", "warmup_epochs", "energy_weight", "force_weight", "stress_weight",
                    "stage_two_energy_weight"):
            _positive(key, getattr(self, key), allow_zero=True)
        if not 0.0 <= self.stage_two_fraction < 1.0:
            raise ConfigError("stage_two_fraction", f"must be in [0, 1), got {self.stage_two_fraction}")
        if self.stage_two_fraction > 0 and self.stage_two_energy_weight is None:
            raise ConfigError("stage_two_energy_weight", "needed with a positive stage_two_fraction")

    @property
    def network(self) -> InvariantSettings | EquivariantSettings:
        """The settings of the chosen network."""
        return self.invariant if self.model == "invariant" else self.equivariant


@dataclass(frozen=True)
class EvaluateSettings:
    """Settings of `sciml crystals evaluate`: held-out errors, throughput and physics checks.

    Attributes:
        batch_size: structures per prediction batch.
        n_physics: test structures used for the float64 symmetry and extensivity checks.
        seed: seed of the random rotations and permutations of the physics checks.
    """

    batch_size: int = 16
    n_physics: int = 5
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("batch_size", self.batch_size)
        _positive("n_physics", self.n_physics, allow_zero=True)


@dataclass(frozen=True)
class ReportSettings:
    """Settings of `sciml crystals report`: metrics.json and the learning curve.

    Attributes:
        n_train: training-set size of the main models, whose evaluations fill metrics.json.
        seed: the workflow seed, recorded in the provenance block.
        workflow: the workflow's crystals section, recorded in the provenance block.
    """

    n_train: int = 1000
    seed: int = 0
    workflow: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelOverride:
    """Training settings of one model on one family that differ from the shared `train` section.

    Attributes:
        cutoff: graph cutoff (A); null: `train.cutoff`.
        steps: optimiser-step budget of the main model; null: `train.steps`.
        curve_steps: step budget of the learning-curve models; null: `learning_curve.steps`.
        lr: initial learning rate (main and learning-curve models); null: `train.lr`.
        l_max: the network's l_max; null: the `train.<model>` value.
        stage_two_fraction: see `TrainSettings`; null: `train.stage_two_fraction`.
        stage_two_energy_weight: see `TrainSettings`; null: `train.stage_two_energy_weight`.
    """

    cutoff: float | None = None
    steps: int | None = None
    curve_steps: int | None = None
    lr: float | None = None
    l_max: int | None = None
    stage_two_fraction: float | None = None
    stage_two_energy_weight: float | None = None


@dataclass(frozen=True)
class MetalsInvariant(ModelOverride):
    """Invariant model on metals: 4x the shared step budget (chosen on validation data).

    Attributes:
        steps: optimiser-step budget of the main model.
    """

    steps: int | None = 15000


@dataclass(frozen=True)
class SiliconInvariant(ModelOverride):
    """Invariant model on silicon: Stillinger-Weber's 3.77 A range as cutoff.

    Attributes:
        cutoff: graph cutoff (A).
    """

    cutoff: float | None = 3.8


@dataclass(frozen=True)
class SiliconEquivariant(ModelOverride):
    """Equivariant model on silicon: l_max 2 and learning rate 0.04 (chosen on validation data).

    Attributes:
        cutoff: graph cutoff (A).
        lr: initial learning rate.
        l_max: the network's l_max.
    """

    cutoff: float | None = 3.8
    lr: float | None = 0.04
    l_max: int | None = 2


@dataclass(frozen=True)
class MetalsOverrides:
    """Per-model overrides of the metals family.

    Attributes:
        invariant: overrides of the invariant model.
        equivariant: overrides of the equivariant model.
    """

    invariant: MetalsInvariant = field(default_factory=MetalsInvariant)
    equivariant: ModelOverride = field(default_factory=ModelOverride)


@dataclass(frozen=True)
class SiliconOverrides:
    """Per-model overrides of the silicon family.

    Attributes:
        invariant: overrides of the invariant model.
        equivariant: overrides of the equivariant model.
    """

    invariant: SiliconInvariant = field(default_factory=SiliconInvariant)
    equivariant: SiliconEquivariant = field(default_factory=SiliconEquivariant)


@dataclass(frozen=True)
class FamilyOverrides:
    """Per-family, per-model training choices that differ from the shared `train` section.

    Attributes:
        metals: overrides on the metals family.
        silicon: overrides on the silicon family.
    """

    metals: MetalsOverrides = field(default_factory=MetalsOverrides)
    silicon: SiliconOverrides = field(default_factory=SiliconOverrides)


@dataclass(frozen=True)
class LearningCurveSettings:
    """Extra models trained on nested subsets of the training set.

    Attributes:
        sizes: training-set sizes besides the main `n_train` (empty: no learning curve).
        families: families that get the learning-curve models (the others only their main model).
        steps: optimiser-step budget of every learning-curve model (the same at every size).
    """

    sizes: tuple[int, ...] = (100, 300)
    families: tuple[Family, ...] = ("silicon",)
    steps: int = 1200

    def __post_init__(self) -> None:
        for size in self.sizes:
            if size < 2:
                raise ConfigError("learning_curve.sizes", f"sizes must be >= 2, got {size}")
        _positive("learning_curve.steps", self.steps)


def _benchmark_train() -> TrainSettings:
    """DFT training: 2 structures per step, 6,000 steps (66 epochs of the Si training split); energy weight 10
    for the first 70 % of the epochs, 100 for the last 30 % (forces first, then energies; all chosen on Si
    validation, see notes/experiments/2026-12-06-crystals-zuo2020-force-loss-schedule.md)."""
    return TrainSettings(cutoff=5.0, steps=6000, validate_steps=460, batch_size=2, energy_weight=10.0,
                         stage_two_fraction=0.3, stage_two_energy_weight=100.0)


@dataclass(frozen=True)
class BenchmarkWorkflow:
    """The DFT benchmark part of the workflow: Zuo 2020 elements, trained, chosen and run in MD.

    For every element: `prepare` (a validation split stratified by group) -> one model per entry
    of `models` -> validation evaluation -> the best (`selection_score`) copied to
    `results/crystals/zuo2020/<element>/model` -> MD checks.

    Attributes:
        elements: Zuo 2020 elements (Si, Ge, Li, Mo, Cu, Ni).
        models: candidate networks of every element.
        val_fraction: fraction of every group held out for validation.
        train: training settings shared by the elements (model and seed filled in by the rule).
        overrides: element -> partial `train` mapping of the choices that differ for that element
            (Cu and Ni carry no stresses: stress weight 0).
        md: the MD checks of every chosen model.
        committee_elements: elements that also get a committee: `committee_size` models of
            `committee_model` differing only in their seed (the candidate trained with the workflow
            seed, the others with the next seeds), joined as `<element>/committee/model` and ranked
            on the validation split (`<element>/committee.json`: Spearman of spread vs error).
        committee_model: the network of the committee members.
        committee_size: members of a committee (>= 2).
        train_runtime_minutes: SLURM runtime of a training job.
        md_runtime_minutes: SLURM runtime of an MD-check job.
    """

    elements: tuple[str, ...] = ("Si", "Mo")
    models: tuple[ModelName, ...] = MODELS  # type: ignore[assignment]
    val_fraction: float = 0.15
    train: TrainSettings = field(default_factory=_benchmark_train)
    overrides: dict[str, dict[str, Any]] = field(default_factory=lambda: {"Cu": {"stress_weight": 0.0},
                                                                          "Ni": {"stress_weight": 0.0}})
    md: MDCheckSettings = field(default_factory=MDCheckSettings)
    committee_elements: tuple[str, ...] = ()
    committee_model: ModelName = "invariant"
    committee_size: int = 3
    train_runtime_minutes: int = 60
    md_runtime_minutes: int = 30

    def __post_init__(self) -> None:
        from sciml.crystals.zuo2020 import ELEMENTS

        unknown = sorted(set(self.elements) - set(ELEMENTS))
        if unknown:
            raise ConfigError("benchmark.elements", f"unknown element(s) {unknown}; choose from {list(ELEMENTS)}")
        if not self.models or len(set(self.models)) != len(self.models):
            raise ConfigError("benchmark.models", f"must be a non-empty list without repeats, got {list(self.models)}")
        if not 0.0 < self.val_fraction < 1.0:
            raise ConfigError("benchmark.val_fraction", f"must be in (0, 1), got {self.val_fraction}")
        outside = sorted(set(self.committee_elements) - set(self.elements))
        if outside:
            raise ConfigError("benchmark.committee_elements", f"{outside} are not among the benchmark's elements "
                              f"{list(self.elements)}")
        if self.committee_model not in self.models:
            raise ConfigError("benchmark.committee_model", f"must be one of the candidate models {list(self.models)}, "
                              f"got {self.committee_model!r}")
        if self.committee_size < 2:
            raise ConfigError("benchmark.committee_size", f"a committee needs >= 2 members, got {self.committee_size}")
        for element in self.overrides:
            if element not in ELEMENTS:
                raise ConfigError(f"benchmark.overrides.{element}", f"unknown element; choose from {list(ELEMENTS)}")

    def prepare_job(self, element: str, seed: int) -> PrepareSettings:
        """The split settings of one element."""
        return PrepareSettings(element=element, val_fraction=self.val_fraction, seed=seed)

    def train_job(self, element: str, model: str, seed: int) -> TrainSettings:
        """The training settings of one (element, model) job: `train` with the element's overrides."""
        patch = merge(dict(self.overrides.get(element, {})), {"model": model, "seed": seed})
        return from_dict(TrainSettings, merge(to_dict(self.train), patch), prefix=f"crystals.benchmark.{element}")


@dataclass(frozen=True)
class CrystalsWorkflow:
    """The `crystals:` section of the workflow config.

    Attributes:
        enabled: run this domain's part of the workflow.
        families: data families to generate and model.
        models: potentials trained on every family.
        n_train: training structures of the main models (results/crystals/<family>/<model>).
        learning_curve: sizes, families and step budget of the learning-curve models.
        generate: data-generation settings shared by the families (family, n_train and seed are
            filled in by the rule).
        train: training settings shared by every family and model (model, n_train and seed are
            filled in by the rule).
        overrides: per-family, per-model choices that differ from `train`.
        evaluate: evaluation settings (seed filled in by the rule).
        generate_runtime_minutes: SLURM runtime of a generation job.
        train_runtime_minutes: SLURM runtime of a training job.
        gpu: GPUs requested per training job (0 on a CPU machine).
        benchmark: the DFT benchmark (Zuo 2020) part; no elements: none.
    """

    enabled: bool = True
    families: tuple[Family, ...] = FAMILIES  # type: ignore[assignment]
    models: tuple[ModelName, ...] = MODELS  # type: ignore[assignment]
    n_train: int = 1000
    learning_curve: LearningCurveSettings = field(default_factory=LearningCurveSettings)
    generate: GenerateSettings = field(default_factory=GenerateSettings)
    train: TrainSettings = field(default_factory=TrainSettings)
    overrides: FamilyOverrides = field(default_factory=FamilyOverrides)
    evaluate: EvaluateSettings = field(default_factory=EvaluateSettings)
    generate_runtime_minutes: int = 30
    train_runtime_minutes: int = 60
    gpu: int = 0
    benchmark: BenchmarkWorkflow = field(default_factory=BenchmarkWorkflow)

    def __post_init__(self) -> None:
        if not self.families or len(set(self.families)) != len(self.families):
            raise ConfigError("families", f"must be a non-empty list without repeats, got {list(self.families)}")
        if not self.models or len(set(self.models)) != len(self.models):
            raise ConfigError("models", f"must be a non-empty list without repeats, got {list(self.models)}")
        if self.n_train < 2:
            raise ConfigError("n_train", f"must be >= 2, got {self.n_train}")

    def sizes(self, family: str) -> list[int]:
        """Training-set sizes of `family`: the main size plus the learning curve's (if it has one)."""
        if family in self.learning_curve.families:
            return sorted(set(self.learning_curve.sizes) | {self.n_train})
        return [self.n_train]

    def generate_job(self, family: str, seed: int) -> GenerateSettings:
        """Generation settings of `family`: enough training structures for its largest model."""
        largest = max((*self.learning_curve.sizes, self.n_train))
        return from_dict(GenerateSettings, {**asdict(self.generate), "family": family, "n_train": largest,
                                            "seed": seed})

    def train_job(self, family: str, model: str, n_train: int, seed: int) -> TrainSettings:
        """Training settings of one (family, model, size) job: `train` with the family's overrides."""
        override: ModelOverride = getattr(getattr(self.overrides, family), model)
        curve = n_train != self.n_train
        steps = (override.curve_steps or self.learning_curve.steps) if curve else (override.steps or self.train.steps)
        patch: dict[str, Any] = {"model": model, "n_train": n_train, "steps": steps, "seed": seed}
        for key in ("cutoff", "lr", "stage_two_fraction", "stage_two_energy_weight"):
            if getattr(override, key) is not None:
                patch[key] = getattr(override, key)
        if override.l_max is not None:
            patch[model] = {"l_max": override.l_max}
        return from_dict(TrainSettings, merge(to_dict(self.train), patch), prefix="crystals.train")

    def evaluate_job(self, seed: int) -> EvaluateSettings:
        """Evaluation settings with the workflow seed."""
        return from_dict(EvaluateSettings, {**asdict(self.evaluate), "seed": seed})


WORKFLOW_SETTINGS = CrystalsWorkflow
