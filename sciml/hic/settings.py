"""Run settings of the Hi-C domain: the only home of its defaults.

Each compute verb of `sciml hic` reads one of these dataclasses from `--config FILE` (JSON or YAML,
partial: missing keys take the defaults below); `WORKFLOW_SETTINGS` is the `hic:` section of the
workflow config. Jobs whose defaults differ (the U-Net and HiCPlus denoisers, the fits of the
denoisers, the per-bin corrector and the fine-tuning, the bias families of the simulated splits)
get subclasses that redeclare those defaults, so a partial mapping never falls back to another
job's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Literal

import numpy as np

from sciml.errors import ConfigError

Range = tuple[float, float]
Value = float | tuple[float, float]
Split = Literal["train", "val", "test", "calib"]

#: simulated split -> the bias family its chromosomes are drawn with
SPLIT_BIAS: dict[str, str] = {"train": "train", "val": "heldout", "test": "heldout", "calib": "calib"}
#: simulated split -> offset of its seed (a split is simulated with `1000 * seed + offset`)
SPLIT_SEED_OFFSET: dict[str, int] = {"train": 1, "val": 2, "test": 3, "calib": 4}


def _check_range(key: str, value: object) -> None:
    if isinstance(value, tuple) and (len(value) != 2 or value[0] > value[1]):
        raise ConfigError(key, f"must be a [low, high] range with low <= high, got {list(value)}")


@dataclass(frozen=True)
class SimulationParams:
    """Ranges the per-chromosome structure parameters of a simulated map are drawn from (uniformly).

    Attributes:
        alpha: exponent range of the contact-probability decay P(s) ~ (s + 1)^-alpha.
        tad_size_bins: range of top-level TAD sizes (bins).
        tad_strength: range of the block enrichment inside a TAD.
        subtad_probability: chance that a TAD is split into two nested sub-TADs.
        subtad_strength: range of the extra enrichment inside a sub-TAD.
        compartment_strength: range of s in the compartment checkerboard exp(s * a_i * a_j).
        compartment_smooth_bins: correlation length (bins) of the compartment track a.
        loop_fraction: fraction of TADs with a loop dot at their corner.
        loop_strength: range of the peak enrichment of a loop dot (F *= 1 + strength * gaussian).
        loop_width_bins: Gaussian sd (bins) of a loop dot.
        contacts_per_bin: range of full-depth cis contacts per observable bin (sets the depth D).
        dispersion: negative-binomial size parameter of the counts; null = Poisson counts.
        max_distance_bins: contacts beyond this distance (bins) are zero; null = whole chromosome.
    """

    alpha: Range = (0.8, 1.2)
    tad_size_bins: Range = (12, 50)
    tad_strength: Range = (1.5, 3.0)
    subtad_probability: float = 0.3
    subtad_strength: Range = (1.3, 1.8)
    compartment_strength: Range = (0.1, 0.4)
    compartment_smooth_bins: float = 25.0
    loop_fraction: float = 0.5
    loop_strength: Range = (2.0, 6.0)
    loop_width_bins: float = 1.0
    contacts_per_bin: Range = (2_000.0, 20_000.0)
    dispersion: float | None = None
    max_distance_bins: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_range(f"hic.simulation.{f.name}", getattr(self, f.name))


@dataclass(frozen=True)
class SplitSimulation(SimulationParams):
    """The structure parameter ranges of the workflow's simulated splits (deeper and banded).

    Attributes:
        loop_strength: range of the peak enrichment of a loop dot.
    """

    contacts_per_bin: Range = (2_000.0, 100_000.0)
    max_distance_bins: int | None = 300


@dataclass(frozen=True)
class BiasParams:
    """How biased a simulated library is.

    Each field is a value or a [low, high] range that `draw` samples per chromosome (bias domain
    randomisation for training sets).

    Attributes:
        gc_sigma: log-sd of the smooth GC-like factor.
        gc_smooth_bins: correlation length (Gaussian sd, bins) of the GC-like track.
        mappability_floor: lowest mappability of an ordinary bin (sigmoid track in [floor, 1]).
        dead_fraction: fraction of bins (in short runs) with mappability ~0, to be masked.
        re_sigma: log-sd of the i.i.d. restriction-site density factor.
    """

    gc_sigma: Value = 0.3
    gc_smooth_bins: Value = 8.0
    mappability_floor: Value = 0.5
    dead_fraction: Value = 0.02
    re_sigma: Value = 0.15

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_range(f"hic.bias.{f.name}", getattr(self, f.name))

    def ranged(self) -> list[str]:
        """Names of the fields given as (low, high) ranges."""
        return [f.name for f in fields(self) if isinstance(getattr(self, f.name), tuple)]

    def draw(self, rng: np.random.Generator) -> BiasParams:
        """Fixed parameters for one chromosome: each range drawn uniformly (in field order).

        Draws nothing from `rng` when no field is a range.
        """
        return replace(self, **{name: float(rng.uniform(*getattr(self, name))) for name in self.ranged()})


@dataclass(frozen=True)
class TrainingBiases(BiasParams):
    """The bias family of the training split (ranges: bias domain randomisation).

    Attributes:
        mappability_floor: lowest mappability of an ordinary bin.
        dead_fraction: fraction of bins with mappability ~0, to be masked.
    """

    gc_sigma: Value = (0.2, 0.6)
    gc_smooth_bins: Value = (3.0, 12.0)
    mappability_floor: Value = (0.3, 0.6)
    dead_fraction: Value = (0.01, 0.04)
    re_sigma: Value = (0.1, 0.25)


@dataclass(frozen=True)
class HeldoutBiases(BiasParams):
    """The bias family of the validation and test splits (fixed values, not seen in training).

    Attributes:
        mappability_floor: lowest mappability of an ordinary bin.
        dead_fraction: fraction of bins with mappability ~0, to be masked.
    """

    gc_sigma: Value = 0.45
    gc_smooth_bins: Value = 5.0
    mappability_floor: Value = 0.4
    dead_fraction: Value = 0.03
    re_sigma: Value = 0.2


@dataclass(frozen=True)
class CalibrationBiases(BiasParams):
    """The bias family of the per-bin corrector's split: wider than the training family (covering, not
    copying, the held-out one).

    Attributes:
        mappability_floor: lowest mappability of an ordinary bin.
        dead_fraction: fraction of bins with mappability ~0, to be masked.
    """

    gc_sigma: Value = (0.2, 0.8)
    gc_smooth_bins: Value = (2.0, 12.0)
    mappability_floor: Value = (0.2, 0.6)
    dead_fraction: Value = (0.01, 0.06)
    re_sigma: Value = (0.1, 0.3)


@dataclass(frozen=True)
class BiasFamilies:
    """The bias families of the simulated splits (train -> `train`, val and test -> `heldout`, calib -> `calib`).

    Attributes:
        train: the training split's family.
        heldout: the validation and test splits' family (not seen in training).
        calib: the per-bin corrector's split's family.
    """

    train: TrainingBiases = field(default_factory=TrainingBiases)
    heldout: HeldoutBiases = field(default_factory=HeldoutBiases)
    calib: CalibrationBiases = field(default_factory=CalibrationBiases)


@dataclass(frozen=True)
class SimulateSettings:
    """Settings of `sciml hic simulate`: one simulated split (cools per depth + the planted truth).

    Attributes:
        split: which split (sets its bias family and seed offset).
        n_chroms: number of chromosomes.
        n_bins: bins per chromosome.
        binsize: bin size (bp) written to the cools.
        depths: thinned copies 1/K written next to the full depth.
        seed: run seed; the split is simulated with `1000 * seed + offset(split)`.
        simulation: structure parameter ranges.
        biases: the bias families.
    """

    split: Split = "train"
    n_chroms: int = 18
    n_bins: int = 500
    binsize: int = 10_000
    depths: tuple[int, ...] = (16, 32, 100)
    seed: int = 0
    simulation: SplitSimulation = field(default_factory=SplitSimulation)
    biases: BiasFamilies = field(default_factory=BiasFamilies)

    def __post_init__(self) -> None:
        if self.n_chroms < 1 or self.n_bins < 2:
            raise ConfigError("hic.simulate", f"need >= 1 chromosome of >= 2 bins, got {self.n_chroms} x {self.n_bins}")

    def bias(self) -> BiasParams:
        """The bias family of this split."""
        return getattr(self.biases, SPLIT_BIAS[self.split])

    def split_seed(self) -> int:
        """The seed the split is simulated with."""
        return 1000 * self.seed + SPLIT_SEED_OFFSET[self.split]


@dataclass(frozen=True)
class FitSettings:
    """Optimisation of one training run (the U-Net denoiser's defaults).

    Attributes:
        max_epochs: upper bound on epochs.
        batch_size: examples per step.
        lr: AdamW learning rate.
        weight_decay: AdamW weight decay.
        grad_clip_norm: gradient-norm clip; null = none.
        patience: validations without improvement before early stopping.
    """

    max_epochs: int = 12
    batch_size: int = 16
    lr: float = 0.002
    weight_decay: float = 0.0
    grad_clip_norm: float | None = 1.0
    patience: int = 3

    def fit_config(self, seed: int, device: str):
        """The engine's `FitConfig` of these settings."""
        from sciml.train.fit import FitConfig

        return FitConfig(max_epochs=self.max_epochs, batch_size=self.batch_size, lr=self.lr,
                         weight_decay=self.weight_decay, grad_clip_norm=self.grad_clip_norm,
                         patience=self.patience, seed=seed, device=device)


@dataclass(frozen=True)
class HiCPlusFit(FitSettings):
    """Optimisation of the HiCPlus baseline.
    """

    max_epochs: int = 8


@dataclass(frozen=True)
class CorrectorFit(FitSettings):
    """Optimisation of one per-bin corrector (one chromosome per step).

    Attributes:
        batch_size: chromosomes per step.
    """

    max_epochs: int = 40
    batch_size: int = 1
    weight_decay: float = 0.0001
    patience: int = 10


@dataclass(frozen=True)
class FinetuneFit(FitSettings):
    """Optimisation of the fine-tuning on the real map's training chromosomes.
    """

    max_epochs: int = 150
    batch_size: int = 8
    lr: float = 0.003
    patience: int = 15


@dataclass(frozen=True)
class UNetNetwork:
    """Architecture of the residual U-Net (`sciml.hic.unet.ResidualUNet`).

    Attributes:
        in_channels: input channels (2: counts and distance; set from the tracks when `bin_tracks`).
        channels: feature channels of the first level (<= 8 or a multiple of 8).
        depth: down-sampling levels.
        blocks: residual blocks per level.
        kernel_size: convolution kernel size.
        bin_head: add the per-bin log-correction head.
        gate: multiply the correction by a learned per-pixel gate in (0, 1) (`sciml.hic.unet`); with
            the zero-initialised head, an untrained network returns its first input channel.
    """

    in_channels: int = 2
    channels: int = 16
    depth: int = 2
    blocks: int = 1
    kernel_size: int = 3
    bin_head: bool = True
    gate: bool = False


@dataclass(frozen=True)
class HiCPlusNetwork:
    """Architecture of the HiCPlus baseline (`sciml.hic.hicplus.HiCPlus`).

    Attributes:
        filters: channels of its two hidden convolutions.
    """

    filters: int = 8


@dataclass(frozen=True)
class DeepHiCNetwork:
    """Architecture of the DeepHiC-style generator (`sciml.hic.deephic.DeepHiCGenerator`).

    Attributes:
        channels: feature channels of every convolution (published: 64).
        blocks: residual blocks (published: 5).
    """

    channels: int = 16
    blocks: int = 5


@dataclass(frozen=True)
class BinCorrectorNetwork:
    """Architecture of the per-bin corrector (`sciml.hic.bincorrect.BinCorrector`).

    Attributes:
        channels: feature channels.
        kernel_size: kernel size of the dilated residual blocks.
        dilations: one residual block per dilation.
    """

    channels: int = 32
    kernel_size: int = 5
    dilations: tuple[int, ...] = (1, 2, 4, 8, 16)


@dataclass(frozen=True)
class DenoiserSettings:
    """What a patch denoiser sees: patch geometry and architecture (the residual U-Net's defaults).

    Attributes:
        arch: 'unet' (`sciml.hic.unet.ResidualUNet`), 'hicplus' (`sciml.hic.hicplus.HiCPlus`) or
            'deephic' (the generator of `sciml.hic.deephic`).
        patch_size: side of the square patches (divisible by 4 for the U-Net).
        stride: grid stride of the training patches.
        band_bins: the distance band around the diagonal the model is trained and applied within.
        model_kwargs: the U-Net's architecture (`HiCPlusSettings` and `DeepHiCSettings` hold the others').
        bin_tracks: also feed the per-bin context tracks (`sciml.hic.tracks`) as 2 x N_TRACKS
            channels (U-Net only; its `in_channels` is set accordingly).
        rank1_penalty: weight of the penalty on the residual's per-bin factor
            (`sciml.hic.losses.rank1_penalised_mse`); 0 = plain masked MSE.
        reverse_average: inference only: average the denoised map with the denoised bin-reversed
            map (`sciml.hic.denoise.denoise_matrix`), also when the per-bin corrector's inputs are made.
        baseline: what the network corrects (its first input channel, which its output is added
            to): 'ice' (the ICE-balanced map) or 'ice_gauss' (ICE + 2D Gaussian smoothing, with
            the ICE map as an extra channel).
        baseline_sigma: sd (bins) of the 'ice_gauss' baseline's Gaussian.
        depth_channel: feed a constant channel log10(contacts per valid bin) / 5 (the depth of the input).
    """

    arch: Literal["unet", "hicplus", "deephic"] = "unet"
    patch_size: int = 64
    stride: int = 48
    band_bins: int = 100
    model_kwargs: UNetNetwork = field(default_factory=UNetNetwork)
    bin_tracks: bool = True
    rank1_penalty: float = 0.0
    reverse_average: bool = True
    baseline: Literal["ice", "ice_gauss"] = "ice"
    baseline_sigma: float = 1.0
    depth_channel: bool = False

    def __post_init__(self) -> None:
        for key in ("patch_size", "stride", "band_bins"):
            if getattr(self, key) < 1:
                raise ConfigError(f"hic.denoiser.{key}", f"must be >= 1, got {getattr(self, key)}")
        expected = {"unet": UNetNetwork, "hicplus": HiCPlusNetwork, "deephic": DeepHiCNetwork}[self.arch]
        if not isinstance(self.model_kwargs, expected):
            raise ConfigError("hic.denoiser.model_kwargs", f"arch '{self.arch}' needs a {expected.__name__}")
        if self.baseline_sigma <= 0:
            raise ConfigError("hic.denoiser.baseline_sigma", f"must be > 0, got {self.baseline_sigma}")

    def input_channels(self) -> int:
        """Channels of a patch: baseline, distance (+ row and column tracks, the ICE map, depth)."""
        from sciml.hic.tracks import N_TRACKS

        return (2 + (2 * N_TRACKS if self.bin_tracks else 0) + (self.baseline == "ice_gauss")
                + int(self.depth_channel))


@dataclass(frozen=True)
class HiCPlusSettings(DenoiserSettings):
    """The HiCPlus baseline's patch geometry and architecture.

    Attributes:
        arch: 'unet', 'hicplus' or 'deephic'.
        patch_size: side of the square patches.
        model_kwargs: the HiCPlus architecture.
        bin_tracks: also feed the per-bin context tracks (U-Net only).
        rank1_penalty: weight of the per-bin factor penalty; 0 = plain masked MSE.
        reverse_average: inference only: average with the denoised bin-reversed map.
    """

    arch: Literal["unet", "hicplus", "deephic"] = "hicplus"
    model_kwargs: HiCPlusNetwork = field(default_factory=HiCPlusNetwork)
    bin_tracks: bool = False
    reverse_average: bool = False


@dataclass(frozen=True)
class TrainSettings:
    """Settings of `sciml hic train --arch unet`: a patch denoiser on simulated (noisy, truth) pairs.

    Attributes:
        denoiser: patch geometry and architecture.
        fit: optimisation.
        depths: thinned depths 1/K of the training pairs; validation uses the first (the headline depth).
        seed: run seed (initial weights, batch order).
    """

    denoiser: DenoiserSettings = field(default_factory=DenoiserSettings)
    fit: FitSettings = field(default_factory=FitSettings)
    depths: tuple[int, ...] = (16, 32, 100)
    seed: int = 0


@dataclass(frozen=True)
class HiCPlusTrainSettings(TrainSettings):
    """Settings of `sciml hic train --arch hicplus`: the HiCPlus baseline.

    Attributes:
        depths: thinned depths 1/K of the training pairs; validation uses the first.
        seed: run seed.
    """

    denoiser: HiCPlusSettings = field(default_factory=HiCPlusSettings)
    fit: HiCPlusFit = field(default_factory=HiCPlusFit)


@dataclass(frozen=True)
class CorrectorSettings:
    """Settings of the per-bin corrector ensemble (`sciml hic corrector-inputs` and `train-corrector`).

    Attributes:
        seeds: ensemble members; member s trains with seed `1000 * seed + s`, their per-bin log
            factors are averaged.
        member: the member `train-corrector` trains.
        model_kwargs: the corrector's architecture.
        target_band_bins: the target factor is fitted within this many bins of the diagonal
            (null = the denoiser's band); it is always applied within the denoiser's band.
        depths: thinned depths 1/K of the corrector's examples.
        fit: optimisation.
        seed: run seed.
    """

    seeds: tuple[int, ...] = (0, 1)
    member: int = 0
    model_kwargs: BinCorrectorNetwork = field(default_factory=BinCorrectorNetwork)
    target_band_bins: int | None = 30
    depths: tuple[int, ...] = (16, 32, 100)
    fit: CorrectorFit = field(default_factory=CorrectorFit)
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.seeds:
            raise ConfigError("hic.bin_corrector.seeds", "at least one corrector is needed")

    def member_seed(self) -> int:
        """The seed of member `member`."""
        return 1000 * self.seed + self.member


@dataclass(frozen=True)
class YeastSettings:
    """The real-data protocol: a deep S. cerevisiae map (`hic-yeast-10kb`) thinned to 1/depth.

    Attributes:
        depth: the thinned map keeps 1/depth of the contacts.
        test_chromosomes: held-out chromosomes scored by the evaluation.
        val_chromosomes: chromosomes that select the fine-tuned model's epoch.
    """

    depth: int = 16
    test_chromosomes: tuple[str, ...] = ("chrII", "chrIV", "chrVI", "chrVIII", "chrX", "chrXII", "chrXIV", "chrXVI")
    val_chromosomes: tuple[str, ...] = ("chrXV",)

    def __post_init__(self) -> None:
        if self.depth < 1:
            raise ConfigError("hic.yeast.depth", f"must be >= 1, got {self.depth}")


@dataclass(frozen=True)
class PrepareRealSettings:
    """Settings of `sciml hic prepare-real`.

    Attributes:
        yeast: the real-data protocol (its `depth`).
        seed: thinning seed.
    """

    yeast: YeastSettings = field(default_factory=YeastSettings)
    seed: int = 0


@dataclass(frozen=True)
class FinetuneSettings:
    """Settings of `sciml hic finetune`: a denoiser fine-tuned on the real map's training chromosomes.

    Attributes:
        yeast: the real-data protocol (depth and held-out chromosomes).
        thinning_draws: pairs per training chromosome: the prepared 1/depth copy plus
            `thinning_draws - 1` fresh thinnings of the full-depth map.
        fit: optimisation.
        seed: run seed.
    """

    yeast: YeastSettings = field(default_factory=YeastSettings)
    thinning_draws: int = 16
    fit: FinetuneFit = field(default_factory=FinetuneFit)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.thinning_draws < 1:
            raise ConfigError("hic.finetune.thinning_draws", f"must be an integer >= 1, got {self.thinning_draws}")


@dataclass(frozen=True)
class GatedUNetNetwork(UNetNetwork):
    """Architecture of the real-data denoiser: the residual U-Net with its per-pixel gate.

    Attributes:
        gate: multiply the correction by a learned per-pixel gate in (0, 1).
    """

    gate: bool = True


@dataclass(frozen=True)
class RealDenoiser(DenoiserSettings):
    """Patch geometry and inputs of the real-data denoiser: a gated correction of ICE + Gaussian,
    told the input's depth.

    Attributes:
        model_kwargs: the gated U-Net's architecture.
        baseline: what the network corrects ('ice' or 'ice_gauss').
        depth_channel: feed log10(contacts per valid bin) / 5 as a constant channel.
    """

    model_kwargs: GatedUNetNetwork = field(default_factory=GatedUNetNetwork)
    baseline: Literal["ice", "ice_gauss"] = "ice_gauss"
    depth_channel: bool = True


@dataclass(frozen=True)
class RealFit(FitSettings):
    """Optimisation of the real-data denoiser.

    Attributes:
        max_epochs: upper bound on epochs.
        lr: AdamW learning rate.
        patience: validations without improvement before early stopping.
    """

    max_epochs: int = 10
    lr: float = 0.001
    patience: int = 3


@dataclass(frozen=True)
class RealPairSettings:
    """How the real training and validation pairs are drawn (`sciml.hic.realpairs`).

    Attributes:
        fraction_range: thinning fractions of the training inputs are drawn log-uniformly in [low, high].
        draws: thinned copies per training library (each with its own fraction).
        val_fractions: fixed thinning fractions of the validation inputs.
        replicate_split_bin: replicate libraries: bins below this train, bins from it on validate
            (each part is balanced as a map of its own).
        min_valid_bins: pairs with fewer bins valid in input and target are dropped.
        sim_depths: thinned depths 1/K of the simulated training split added to the real pairs
            (empty = real pairs only).
    """

    fraction_range: Range = (1 / 256, 1 / 4)
    draws: int = 12
    val_fractions: tuple[float, ...] = (1 / 16, 1 / 64, 1 / 160)
    replicate_split_bin: int = 300
    min_valid_bins: int = 20
    sim_depths: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_range("hic.real_model.pairs.fraction_range", self.fraction_range)
        if not 0 < self.fraction_range[0] <= self.fraction_range[1] <= 1:
            raise ConfigError("hic.real_model.pairs.fraction_range", f"must lie in (0, 1], got {list(self.fraction_range)}")
        if self.draws < 1 or not self.val_fractions or not all(0 < f < 1 for f in self.val_fractions):
            raise ConfigError("hic.real_model.pairs", "need draws >= 1 and validation fractions in (0, 1)")


@dataclass(frozen=True)
class RealTrainSettings:
    """Settings of `sciml hic train-real`: the default denoiser, trained on real pairs with independent
    targets (thinned library vs its complement and vs other libraries of its condition) and on
    simulated pairs, validated on real validation parts only.

    Attributes:
        denoiser: patch geometry, inputs and architecture.
        pairs: how the pairs are drawn.
        yeast: which chromosomes of the chromosome-split map are held out (test) and validate.
        fit: optimisation.
        seed: run seed (thinning draws, initial weights, batch order).
    """

    denoiser: RealDenoiser = field(default_factory=RealDenoiser)
    pairs: RealPairSettings = field(default_factory=RealPairSettings)
    yeast: YeastSettings = field(default_factory=YeastSettings)
    fit: RealFit = field(default_factory=RealFit)
    seed: int = 0


@dataclass(frozen=True)
class DeepHiCSettings(DenoiserSettings):
    """The DeepHiC-style GAN baseline's patch geometry and generator (the default model's tiles; the
    generator reads the ICE map alone, as published; no test-time reverse averaging).

    Attributes:
        arch: 'unet', 'hicplus' or 'deephic'.
        model_kwargs: the generator's architecture.
        bin_tracks: also feed the per-bin context tracks (U-Net only).
        reverse_average: inference only: average with the denoised bin-reversed map.
    """

    arch: Literal["unet", "hicplus", "deephic"] = "deephic"
    model_kwargs: DeepHiCNetwork = field(default_factory=DeepHiCNetwork)
    bin_tracks: bool = False
    reverse_average: bool = False


@dataclass(frozen=True)
class GANLossWeights:
    """Weights of the DeepHiC generator loss `MSE + adversarial L_adv + perceptual L_perc + total_variation L_tv`
    (Hong et al. 2020; `sciml.hic.deephic.generator_loss`).

    Attributes:
        adversarial: weight of L_adv = mean(1 - D(G(x))) (published: 0.001).
        perceptual: weight of the feature-space MSE (published: 0.006, on ImageNet VGG16 features; here
            on the fixed structure features of `sciml.hic.deephic.structure_features`).
        total_variation: weight of the total variation of the output (published: 2e-8).
    """

    adversarial: float = 0.001
    perceptual: float = 0.006
    total_variation: float = 2e-8

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ConfigError(f"hic.deephic.loss.{f.name}", f"must be >= 0, got {getattr(self, f.name)}")


@dataclass(frozen=True)
class DeepHiCFit(FitSettings):
    """Optimisation of the DeepHiC-style GAN: the default model's schedule (`RealFit`); one Adam over both
    networks (= one Adam each), no clipping, as published.

    Attributes:
        max_epochs: upper bound on epochs.
        lr: Adam learning rate of both networks.
        grad_clip_norm: gradient-norm clip; null = none.
        patience: validations without improvement of the generator's validation MSE before stopping.
    """

    max_epochs: int = 10
    lr: float = 0.001
    grad_clip_norm: float | None = None
    patience: int = 3


@dataclass(frozen=True)
class DeepHiCTrainSettings:
    """Settings of `sciml hic train-deephic`: the DeepHiC-style GAN baseline, trained on the default model's
    real pairs (the same `pairs`, `yeast` split and `seed` give the same tiles and targets), its epoch
    chosen by the generator's MSE on the real validation parts.

    Attributes:
        denoiser: patch geometry and generator.
        discriminator_channels: channels of the discriminator's first convolution (doubled twice; published: 64).
        loss: weights of the generator loss.
        pairs: how the real pairs are drawn (the default model's).
        yeast: which chromosomes of the chromosome-split map are held out and validate.
        fit: optimisation.
        seed: run seed (thinning draws, initial weights, batch order).
    """

    denoiser: DeepHiCSettings = field(default_factory=DeepHiCSettings)
    discriminator_channels: int = 16
    loss: GANLossWeights = field(default_factory=GANLossWeights)
    pairs: RealPairSettings = field(default_factory=RealPairSettings)
    yeast: YeastSettings = field(default_factory=YeastSettings)
    fit: DeepHiCFit = field(default_factory=DeepHiCFit)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.discriminator_channels < 1:
            raise ConfigError("hic.deephic.discriminator_channels", f"must be >= 1, got {self.discriminator_channels}")


@dataclass(frozen=True)
class EvalSettings:
    """Metric settings of the evaluation.

    Attributes:
        scc_max_bins: HiCRep SCC strata (bins).
        scc_h: HiCRep smoothing half-width.
        ssim_patch: side of the SSIM/PSNR patches.
        insulation_window: TAD calling when not tuned: insulation window.
        boundary_prominence: TAD calling when not tuned: minimum prominence.
        boundary_prominence_window: TAD calling when not tuned: prominence window (0 = whole chromosome).
        boundary_mask_distance: TAD calling when not tuned: drop calls this close to masked bins (0 = keep).
        tad_windows: insulation windows searched per method on the validation chromosomes.
        tad_prominences: prominences searched.
        tad_prominence_windows: prominence windows searched (0 = against the whole chromosome).
        tad_mask_distances: mask distances searched (see `sciml.hic.tads.call_boundaries`).
        loop_enrichment: loop calling: minimum enrichment over the local background.
        loop_max_bins: loop calling: largest distance (bins).
        curve_max_bins: distances of the Pearson-per-distance curve.
        gauss_sigma: sd of the ICE + Gaussian baseline.
    """

    scc_max_bins: int = 30
    scc_h: int = 1
    ssim_patch: int = 40
    insulation_window: int = 5
    boundary_prominence: float = 0.1
    boundary_prominence_window: int = 0
    boundary_mask_distance: int = 0
    tad_windows: tuple[int, ...] = (2, 3, 5, 7, 10)
    tad_prominences: tuple[float, ...] = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
    tad_prominence_windows: tuple[int, ...] = (0, 5, 7, 9, 11, 15, 21)
    tad_mask_distances: tuple[int, ...] = (0, 1, 2, 3)
    loop_enrichment: float = 2.0
    loop_max_bins: int = 60
    curve_max_bins: int = 50
    gauss_sigma: float = 1.0


@dataclass(frozen=True)
class RealEvalSettings:
    """Settings of `sciml hic evaluate-real`: a thinned real map scored against independent targets.

    Attributes:
        frac: share of the input's contacts kept by the thinning (`sciml hic sample --frac`); 1 = no
            thinning: the library as it is, scored against the replicates (library-to-library).
        seed: thinning seed.
        scc_h: HiCRep smoothing half-width (bins); written into every SCC key.
        scc_max_distance_bp: HiCRep strata up to this distance; written into every key.
        gauss_sigma: sd (bins) of the ICE + Gaussian baseline.
        chromosomes: chromosomes scored (empty = every chromosome of the input).
        bins: score only bins [low, high) of each chromosome, balanced as a map of their own
            (e.g. a validation region); null = the whole chromosome.
        protocol: also score the published protocol (`sciml.hic.protocol`: SSIM/PSNR on 40 x 40 tiles
            within 2 Mb against the thinned map's parent, kept apart from the SCC); needs frac < 1.
    """

    frac: float = 1 / 16
    seed: int = 0
    scc_h: int = 1
    scc_max_distance_bp: int = 5_000_000
    gauss_sigma: float = 1.0
    chromosomes: tuple[str, ...] = ()
    bins: tuple[int, int] | None = None
    protocol: bool = False

    def __post_init__(self) -> None:
        if self.protocol and self.frac == 1:
            raise ConfigError("protocol", "the published protocol scores a thinned map against its parent: needs frac < 1")
        if not 0 < self.frac <= 1:
            raise ConfigError("frac", f"must be in (0, 1], got {self.frac}")
        if self.scc_h < 0 or self.scc_max_distance_bp <= 0:
            raise ConfigError("scc_h", "scc_h must be >= 0 and scc_max_distance_bp > 0")
        if self.bins is not None and not 0 <= self.bins[0] < self.bins[1]:
            raise ConfigError("bins", f"must be [low, high) with 0 <= low < high, got {list(self.bins)}")


@dataclass(frozen=True)
class RealEvalCase:
    """One real map the workflow scores against independent targets (`sciml hic evaluate-real`).

    Attributes:
        cool: the input map: a file of `dataset` (raw integer counts).
        dataset: the registered data set holding the files (`sciml.data`).
        replicates: name -> file of `dataset`: another library of the same condition (same bins).
        scoring: thinning and scoring (its `seed` is replaced by the run's seed).
    """

    cool: str
    dataset: str = "hic-real"
    replicates: dict[str, str] = field(default_factory=dict)
    scoring: RealEvalSettings = field(default_factory=RealEvalSettings)

    def __post_init__(self) -> None:
        if self.scoring.frac == 1 and not self.replicates:
            raise ConfigError("scoring.frac", "frac 1 (the library as it is) needs replicates to score against")


def default_real_cases() -> dict[str, RealEvalCase]:
    """The held-out real maps the workflow scores: none is trained on or used to choose a setting.

    Yeast test chromosomes at 1/16 (also scored with the published protocol, `sciml.hic.protocol`) and
    at 1/160 (against the rest of the reads; h = 1, 500 kb); HCT-116 r4 (the
    condition not trained on) at 1/16 against its complement and the other libraries of its condition,
    and as it is (library-to-library); GM12878 and IMR90 chr2:8-48 Mb at 40 kb (a resolution and a lab
    not trained on) at 1/16 against their complements.
    """
    hct = "rao2017_hct116_chr22_100kb_r{}.cool"
    others = {"r5": hct.format(5), "r6": hct.format(6)}
    region = (200, 1200)  # chr2:8-48 Mb, the bins the Schmitt maps hold
    return {
        "yeast_1_16": RealEvalCase(
            cool="yeast.10kb.cool", dataset="hic-yeast-10kb",
            scoring=RealEvalSettings(frac=1 / 16, scc_max_distance_bp=500_000, protocol=True,
                                     chromosomes=YeastSettings().test_chromosomes)),
        "yeast_1_160": RealEvalCase(
            cool="yeast.10kb.cool", dataset="hic-yeast-10kb",
            scoring=RealEvalSettings(frac=1 / 160, scc_max_distance_bp=500_000,
                                     chromosomes=YeastSettings().test_chromosomes)),
        "hct116_r4_1_16": RealEvalCase(cool=hct.format(4), replicates=others, scoring=RealEvalSettings(frac=1 / 16)),
        "hct116_r4_library": RealEvalCase(cool=hct.format(4), replicates=others, scoring=RealEvalSettings(frac=1.0)),
        "gm12878_1_16": RealEvalCase(cool="schmitt2016_gm12878_chr2_40kb.cool",
                                     scoring=RealEvalSettings(frac=1 / 16, bins=region)),
        "imr90_1_16": RealEvalCase(cool="schmitt2016_imr90_chr2_40kb.cool",
                                   scoring=RealEvalSettings(frac=1 / 16, bins=region)),
    }


@dataclass(frozen=True)
class EvaluateSettings:
    """Settings of `sciml hic evaluate`: every method on simulated test chromosomes and on the thinned real map.

    Attributes:
        depths: thinned depths 1/K scored on the simulated test split; the first is the headline.
        yeast: the real-data protocol.
        metrics: metric settings.
        seed: run seed.
    """

    depths: tuple[int, ...] = (16, 32, 100)
    yeast: YeastSettings = field(default_factory=YeastSettings)
    metrics: EvalSettings = field(default_factory=EvalSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.depths:
            raise ConfigError("hic.depths", "at least one depth is needed")


@dataclass(frozen=True)
class SplitSizes:
    """Sizes of the simulated splits (chromosomes per split, bins per chromosome).

    Attributes:
        n_bins: bins per simulated chromosome.
        train: chromosomes the denoisers train on.
        val: chromosomes for early stopping, the corrector's validation and TAD-calling tuning.
        test: chromosomes scored once by the evaluation.
        calib: chromosomes the per-bin correctors train on.
    """

    n_bins: int = 500
    train: int = 18
    val: int = 12
    test: int = 12
    calib: int = 96


@dataclass(frozen=True)
class HicWorkflow:
    """The `hic:` section of the workflow config.

    Attributes:
        enabled: run the Hi-C part of the workflow.
        threads: CPU threads of the fine-tuning and evaluation jobs.
        gpu: GPUs requested by the training jobs (SLURM).
        depths: thinned depths 1/K simulated, trained on and scored; the first is the headline.
        splits: sizes of the simulated splits.
        simulate: simulation settings (structure, bias families, bin size).
        unet: training of the residual U-Net.
        hicplus: training of the HiCPlus baseline.
        bin_corrector: the per-bin corrector ensemble.
        finetune: fine-tuning on the real map.
        real_model: training of the default denoiser on real replicate pairs (and simulated pairs).
        real_replicates: files of the `hic-real` data set the default denoiser trains on: libraries of
            one condition (split by bin at `real_model.pairs.replicate_split_bin`).
        deephic_baseline: train the DeepHiC-style GAN baseline on the default model's real pairs and
            score it (`deephic`) in every `real_eval` case.
        deephic: training of the GAN baseline (its pairs, split, patch geometry and seed are the
            default model's: `real_model`).
        yeast: the real-data protocol.
        evaluate: metric settings of the evaluation.
        real_eval: name -> a held-out real map scored against independent targets by the default model,
            the simulation-only model and HiCPlus beside raw, ICE and ICE + Gaussian (a mapping given
            in a config replaces these cases, it does not add to them).
    """

    enabled: bool = True
    threads: int = 2
    gpu: int = 0
    depths: tuple[int, ...] = (16, 32, 100)
    splits: SplitSizes = field(default_factory=SplitSizes)
    simulate: SimulateSettings = field(default_factory=SimulateSettings)
    unet: TrainSettings = field(default_factory=TrainSettings)
    hicplus: HiCPlusTrainSettings = field(default_factory=HiCPlusTrainSettings)
    bin_corrector: CorrectorSettings = field(default_factory=CorrectorSettings)
    finetune: FinetuneSettings = field(default_factory=FinetuneSettings)
    real_model: RealTrainSettings = field(default_factory=RealTrainSettings)
    real_replicates: tuple[str, ...] = ("rao2017_hct116_chr22_100kb_r1.cool", "rao2017_hct116_chr22_100kb_r2.cool",
                                        "rao2017_hct116_chr22_100kb_r3.cool")
    deephic_baseline: bool = False
    deephic: DeepHiCTrainSettings = field(default_factory=DeepHiCTrainSettings)
    yeast: YeastSettings = field(default_factory=YeastSettings)
    evaluate: EvalSettings = field(default_factory=EvalSettings)
    real_eval: dict[str, RealEvalCase] = field(default_factory=default_real_cases)


WORKFLOW_SETTINGS = HicWorkflow
