"""Run settings of the enhancers verbs: the only home of their defaults.

Each compute verb of `sciml enhancers` reads one of these dataclasses from `--config FILE`
(JSON or YAML, a partial mapping: missing keys take the defaults below) and `--set KEY=VALUE`.
`WORKFLOW_SETTINGS` is the `enhancers:` section of the workflow config; its job fields hold the
settings of the verb each workflow rule runs.

Example:
    >>> from sciml.settings import from_dict
    >>> s = from_dict(SyntheticSettings, {"n_sequences": 600, "train": {"max_epochs": 1}})
    >>> (s.n_sequences, s.train.max_epochs, s.train.lr)
    (600, 1, 0.003)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sciml.errors import ConfigError

#: The 12 transcription factors of the Koo & Eddy (2019) planted-motif set.
KOO_EDDY_TFS: tuple[str, ...] = ("Arid3a", "CEBPB", "FOSL1", "Gabpa", "MAFK", "MAX", "MEF2A", "NFYB", "SP1", "SRF",
                                 "STAT1", "YY1")
#: Predictors of the iEnhancer job: CNN alone, k-mer logistic regression, gapped k-mer SVM, mean of CNN and k-mer.
PREDICTORS: tuple[str, ...] = ("cnn", "kmer", "gkm", "ensemble")


def _positive(prefix: str, obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None and value < 1:
            raise ConfigError(f"{prefix}{name}", f"must be >= 1, got {value}")


@dataclass(frozen=True)
class MotifCNNSettings:
    """Architecture of a motif CNN (the input length and the tasks come from the data).

    Attributes:
        kind: "motif" (shallow conv stack) or "dilated" (dilated residual stack covering the input).
        n_filters: first-layer (motif) filters.
        filter_size: width in bp of the first-layer filters.
        activation: first-layer activation, "exp" (exponential, Koo & Ploenzke 2021) or "relu".
        pool_size: max pooling after the first layer.
        conv_channels: channels of the second conv layer (and the residual blocks).
        conv_size: width of the second conv layer.
        pool2_size: max pooling before the dense head.
        hidden: units of the dense hidden layer.
        dropout: dropout of the deeper layers and the head.
        first_dropout: dropout on the pooled first-layer output; null = dropout / 2.
        strand_shared: filters also scan the reverse strand (reverse-complement weights), max of both.
        global_pool: the dense head also sees each motif filter's mean activation over the whole
            sequence (how often and how strongly a motif occurs anywhere: the composition a k-mer
            model sees), beside the pooled positional features.
        conjoined: the output is the mean of the model's outputs on the sequence and on its
            reverse complement, in training and in prediction (a reverse-complement-invariant,
            "conjoined" model; Zhou et al. 2021); costs a second pass per batch.
    """

    kind: Literal["motif", "dilated"] = "motif"
    n_filters: int = 32
    filter_size: int = 19
    activation: Literal["exp", "relu"] = "relu"
    pool_size: int = 4
    conv_channels: int = 64
    conv_size: int = 5
    pool2_size: int = 5
    hidden: int = 128
    dropout: float = 0.2
    first_dropout: float | None = None
    strand_shared: bool = False
    global_pool: bool = False
    conjoined: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("motif", "dilated"):
            raise ConfigError("model.kind", f"must be 'motif' or 'dilated', got {self.kind!r}")
        if self.activation not in ("exp", "relu"):
            raise ConfigError("model.activation", f"must be 'exp' or 'relu', got {self.activation!r}")
        for key in ("dropout", "first_dropout"):
            value = getattr(self, key)
            if value is not None and not 0 <= value < 1:
                raise ConfigError(f"model.{key}", f"must be in [0, 1), got {value}")
        _positive("model.", self, "n_filters", "filter_size", "pool_size", "conv_channels", "conv_size", "pool2_size",
                  "hidden")


@dataclass(frozen=True)
class TrainSettings:
    """Optimisation of one motif CNN (early stopping on validation AUROC).

    Attributes:
        max_epochs: passes over the training set, at most.
        batch_size: sequences per batch.
        lr: AdamW learning rate.
        weight_decay: AdamW weight decay.
        patience: epochs without a better validation AUROC before stopping.
        grad_clip_norm: clip the gradient norm to this value; null = no clipping.
        max_shift: shift augmentation: each training sequence is moved by a random offset of up to
            this many bp either way (filled with N); 0 = none.
    """

    max_epochs: int = 50
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.0
    patience: int = 10
    grad_clip_norm: float | None = None
    max_shift: int = 0

    def __post_init__(self) -> None:
        _positive("train.", self, "max_epochs", "batch_size", "patience")
        if self.max_shift < 0:
            raise ConfigError("train.max_shift", f"must be >= 0, got {self.max_shift}")
        if self.lr <= 0:
            raise ConfigError("train.lr", f"must be > 0, got {self.lr}")
        if self.weight_decay < 0:
            raise ConfigError("train.weight_decay", f"must be >= 0, got {self.weight_decay}")


@dataclass(frozen=True)
class LossSettings:
    """Task weighting of the multi-task training loss (RC-augmented binary cross-entropy).

    Attributes:
        weighting: "none" (plain BCE), "focal" (focal BCE with exponent gamma) or "ema" (each task
            weighted by the running average of its own training BCE, weights of mean 1).
        gamma: focal exponent (weighting "focal").
        ema_decay: per-batch decay of the running per-task loss (weighting "ema").
    """

    weighting: Literal["none", "focal", "ema"] = "none"
    gamma: float = 2.0
    ema_decay: float = 0.99

    def __post_init__(self) -> None:
        if self.weighting not in ("none", "focal", "ema"):
            raise ConfigError("loss.weighting", f"unknown value {self.weighting!r} (none, focal, ema)")
        if self.gamma < 0:
            raise ConfigError("loss.gamma", f"must be >= 0, got {self.gamma}")
        if not 0.0 <= self.ema_decay < 1.0:
            raise ConfigError("loss.ema_decay", f"must be in [0, 1), got {self.ema_decay}")


@dataclass(frozen=True)
class SyntheticModelSettings(MotifCNNSettings):
    __doc__ = MotifCNNSettings.__doc__
    activation: Literal["exp", "relu"] = "exp"
    n_filters: int = 64
    first_dropout: float | None = 0.2


@dataclass(frozen=True)
class SyntheticTrainSettings(TrainSettings):
    __doc__ = TrainSettings.__doc__
    max_epochs: int = 30
    batch_size: int = 128
    lr: float = 0.003
    weight_decay: float = 0.0001
    patience: int = 8


@dataclass(frozen=True)
class SyntheticLossSettings(LossSettings):
    __doc__ = LossSettings.__doc__
    weighting: Literal["none", "focal", "ema"] = "ema"


@dataclass(frozen=True)
class GrammarModelSettings(MotifCNNSettings):
    __doc__ = MotifCNNSettings.__doc__
    kind: Literal["motif", "dilated"] = "dilated"
    n_filters: int = 24
    pool_size: int = 2
    conv_channels: int = 32


@dataclass(frozen=True)
class GrammarTrainSettings(TrainSettings):
    __doc__ = TrainSettings.__doc__
    max_epochs: int = 15
    batch_size: int = 128
    lr: float = 0.003
    weight_decay: float = 0.0001
    patience: int = 4


@dataclass(frozen=True)
class IEnhancerModelSettings(MotifCNNSettings):
    __doc__ = MotifCNNSettings.__doc__
    n_filters: int = 64
    dropout: float = 0.3


@dataclass(frozen=True)
class IEnhancerTrainSettings(TrainSettings):
    __doc__ = TrainSettings.__doc__
    max_epochs: int = 15
    weight_decay: float = 0.001
    patience: int = 4


@dataclass(frozen=True)
class Irf1ModelSettings(MotifCNNSettings):
    __doc__ = MotifCNNSettings.__doc__
    activation: Literal["exp", "relu"] = "exp"
    pool2_size: int = 10


@dataclass(frozen=True)
class Irf1TrainSettings(TrainSettings):
    __doc__ = TrainSettings.__doc__
    max_epochs: int = 15
    weight_decay: float = 0.0001
    patience: int = 4


@dataclass(frozen=True)
class ChipSeqModelSettings(MotifCNNSettings):
    __doc__ = MotifCNNSettings.__doc__
    activation: Literal["exp", "relu"] = "exp"
    n_filters: int = 64
    pool2_size: int = 10
    global_pool: bool = True


@dataclass(frozen=True)
class ChipSeqTrainSettings(TrainSettings):
    __doc__ = TrainSettings.__doc__
    max_epochs: int = 20
    batch_size: int = 128
    lr: float = 0.003
    weight_decay: float = 0.0001
    patience: int = 4


@dataclass(frozen=True)
class GkmSettings:
    """Gapped k-mer features of the gkm-SVM (Ghandi et al. 2014).

    Attributes:
        word: window length l in bp.
        informative: informative (non-gap) positions k of each window.
    """

    word: int = 6
    informative: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.informative <= self.word:
            raise ConfigError("gkm", f"need 1 <= informative <= word, got word={self.word}, "
                              f"informative={self.informative}")


@dataclass(frozen=True)
class ExtractSettings:
    """Windows at BED regions and GC-matched background (`sciml enhancers extract`).

    Attributes:
        length: window length in bp, centred on each region.
        n_background: GC-matched background windows per region.
        gc_bins: equal-width GC bins a background window must share with its region.
        max_tries: random draws per wanted background window before giving up.
        seed: random seed of the background draws.
    """

    length: int = 200
    n_background: int = 1
    gc_bins: int = 20
    max_tries: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "length", "gc_bins", "max_tries")
        if self.n_background < 0:
            raise ConfigError("n_background", f"must be >= 0, got {self.n_background}")


@dataclass(frozen=True)
class TrainModelSettings:
    """Train a motif CNN on a user's sequences (`sciml enhancers train`).

    Attributes:
        length: crop/pad length in bp; null = all sequences must have one length.
        split: train, validation and test fractions (inputs without their own split).
        baseline_kmer_ks: k-mer sizes of the k-mer baseline scored beside the model.
        model: motif CNN architecture.
        train: optimisation.
        n_models: motif CNNs trained from seeds seed, seed + 1, ...; the saved model is their
            mean (`MotifCNNEnsemble`) when more than one.
        seed: random seed (split, initialisation, batches).
    """

    length: int | None = None
    split: tuple[float, float, float] = (0.8, 0.1, 0.1)
    baseline_kmer_ks: tuple[int, ...] = (6,)
    model: MotifCNNSettings = field(default_factory=MotifCNNSettings)
    train: TrainSettings = field(default_factory=TrainSettings)
    n_models: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "length", "n_models")
        if not self.baseline_kmer_ks or any(k < 1 for k in self.baseline_kmer_ks):
            raise ConfigError("baseline_kmer_ks", f"need k-mer sizes >= 1, got {list(self.baseline_kmer_ks)}")
        if any(f < 0 for f in self.split) or abs(sum(self.split) - 1.0) > 1e-6:
            raise ConfigError("split", f"need three non-negative fractions summing to 1, got {list(self.split)}")


@dataclass(frozen=True)
class ModiscoSettings:
    """TF-MoDISco (modisco-lite) on DeepLIFT/SHAP hypothetical contributions.

    Attributes:
        max_sequences: sequences attributed and clustered, at most (the first ones of the input).
        n_shuffles: dinucleotide-shuffled references per sequence (DeepLIFT/SHAP).
        max_seqlets: seqlets per metacluster, at most.
        n_leiden_runs: Leiden clusterings per round.
        sliding_window_size: seqlet core width in bp.
        flank_size: flank in bp added on each side of a seqlet core.
        trim_threshold: pattern matrices keep the positions with >= this fraction of the maximum contribution.
        top_matches: JASPAR matches listed per pattern (matches.tsv, the modisco report).
        report_examples: seqlet examples per pattern in the modisco report.
    """

    max_sequences: int = 5000
    n_shuffles: int = 20
    max_seqlets: int = 20000
    n_leiden_runs: int = 50
    sliding_window_size: int = 21
    flank_size: int = 10
    trim_threshold: float = 0.3
    top_matches: int = 3
    report_examples: int = 10

    def __post_init__(self) -> None:
        _positive("modisco.", self, "max_sequences", "n_shuffles", "max_seqlets", "n_leiden_runs",
                  "sliding_window_size", "top_matches")
        if not 0 < self.trim_threshold < 1:
            raise ConfigError("modisco.trim_threshold", f"must be in (0, 1), got {self.trim_threshold}")


@dataclass(frozen=True)
class MotifsSettings:
    """Motifs of a trained motif CNN (`sciml enhancers motifs`): TF-MoDISco patterns and filter PWMs,
    both matched to JASPAR.

    Attributes:
        jaspar_release: JASPAR release of the pyjaspar database (e.g. JASPAR2024).
        max_logos: filters drawn in filter_logos.png (those with the most significant matches).
        target: the model output (task index) explained.
        modisco: attribution and TF-MoDISco settings.
        seed: seed of the DeepLIFT/SHAP reference shuffles.
    """

    jaspar_release: str = "JASPAR2024"
    max_logos: int = 16
    target: int = 0
    modisco: ModiscoSettings = field(default_factory=ModiscoSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.target < 0:
            raise ConfigError("target", f"must be >= 0, got {self.target}")


@dataclass(frozen=True)
class SpacingSettings:
    """Spacing and orientation preferences between two discovered motifs (`sciml enhancers spacing`):
    their consensus sequences inserted into dinucleotide-shuffled backgrounds at every gap in four
    arrangements, the model's logit interaction beside shuffled-motif controls.

    Attributes:
        patterns: the two modisco patterns probed (e.g. ["pos_patterns.pattern_0",
            "pos_patterns.pattern_2"]); empty = the two leading positive patterns (the leading one
            with itself when there is only one).
        max_gap: largest gap in bp between the end of the first motif and the start of the second.
        n_backgrounds: dinucleotide-shuffled background sequences every arrangement is inserted into.
        n_controls: position-shuffled copies of each motif used as controls.
        target: the model output probed.
        seed: seed of the backgrounds and the control shuffles.
    """

    patterns: tuple[str, ...] = ()
    max_gap: int = 40
    n_backgrounds: int = 64
    n_controls: int = 1
    target: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "n_backgrounds", "n_controls")
        if len(self.patterns) not in (0, 2):
            raise ConfigError("patterns", f"name two patterns (or none), got {list(self.patterns)}")
        if self.max_gap < 0:
            raise ConfigError("max_gap", f"must be >= 0, got {self.max_gap}")
        if self.target < 0:
            raise ConfigError("target", f"must be >= 0, got {self.target}")


@dataclass(frozen=True)
class SyntheticSettings:
    """Planted-motif set (Koo & Eddy 2019): train, test AUROC, filter PWMs vs JASPAR, attribution.

    Attributes:
        n_sequences: sequences generated (70/10/20 train/validation/test split).
        length: sequence length in bp.
        tfs: JASPAR names of the planted motifs (one task each).
        count_weights: relative probabilities of 1..5 planted instances per sequence; null = uniform.
        attribution_examples: top-scoring test sequences shown with DeepLIFT/SHAP and ISM.
        jaspar_release: JASPAR release the planted motifs and the filter matches come from.
        model: motif CNN architecture.
        train: optimisation.
        loss: task weighting of the loss.
        seed: random seed (data, split, training).
    """

    n_sequences: int = 25000
    length: int = 200
    tfs: tuple[str, ...] = KOO_EDDY_TFS
    count_weights: tuple[float, ...] | None = (0.5, 0.25, 0.17, 0.05, 0.03)
    attribution_examples: int = 3
    jaspar_release: str = "JASPAR2024"
    model: SyntheticModelSettings = field(default_factory=SyntheticModelSettings)
    train: SyntheticTrainSettings = field(default_factory=SyntheticTrainSettings)
    loss: SyntheticLossSettings = field(default_factory=SyntheticLossSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "n_sequences", "length")
        if self.attribution_examples < 0:
            raise ConfigError("attribution_examples", f"must be >= 0, got {self.attribution_examples}")
        if not self.tfs:
            raise ConfigError("tfs", "name at least one JASPAR motif")


@dataclass(frozen=True)
class GrammarSettings:
    """Grammar set: motif A then motif B at a fixed gap; a dilated model; spacing/order probes.

    Attributes:
        n_sequences: sequences generated (70/10/20 train/validation/test split).
        length: sequence length in bp.
        motif_a: JASPAR name of the first motif.
        motif_b: JASPAR name of the second motif.
        gap: the positive class's gap in bp between the two motifs.
        max_gap: largest gap of the negatives and of the spacing probe.
        n_backgrounds: dinucleotide-shuffled test backgrounds the probe inserts the motifs into.
        jaspar_release: JASPAR release the motifs and the filter matches come from.
        model: motif CNN architecture.
        train: optimisation.
        seed: random seed (data, split, training, backgrounds).
    """

    n_sequences: int = 8000
    length: int = 200
    motif_a: str = "SP1"
    motif_b: str = "CEBPB"
    gap: int = 8
    max_gap: int = 30
    n_backgrounds: int = 100
    jaspar_release: str = "JASPAR2024"
    model: GrammarModelSettings = field(default_factory=GrammarModelSettings)
    train: GrammarTrainSettings = field(default_factory=GrammarTrainSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "n_sequences", "length", "n_backgrounds")
        if not 0 <= self.gap <= self.max_gap:
            raise ConfigError("gap", f"need 0 <= gap <= max_gap, got gap={self.gap}, max_gap={self.max_gap}")


@dataclass(frozen=True)
class IEnhancerSettings:
    """iEnhancer-2L layer 1 (enhancer vs non-enhancer): stratified k-fold CV, then a final model.

    Attributes:
        length: crop/pad length in bp.
        folds: outer cross-validation folds.
        max_sequences: class-stratified subsample of the training set; null = all.
        kmer_ks: k-mer sizes of the k-mer logistic regression; empty = no k-mer model.
        gkm: gapped k-mer SVM features; null = no gkm-SVM.
        predictor: the model whose CV metrics are reported as `cv_*` and which the saved model
            predicts with: "cnn", "kmer", "gkm" or "ensemble" (mean of CNN and k-mer).
        model: motif CNN architecture.
        train: optimisation.
        seed: random seed (folds, subsample, training).
    """

    length: int = 200
    folds: int = 5
    max_sequences: int | None = None
    kmer_ks: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    gkm: GkmSettings | None = field(default_factory=GkmSettings)
    predictor: Literal["cnn", "kmer", "gkm", "ensemble"] = "kmer"
    model: IEnhancerModelSettings = field(default_factory=IEnhancerModelSettings)
    train: IEnhancerTrainSettings = field(default_factory=IEnhancerTrainSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "length", "max_sequences")
        if self.folds < 2:
            raise ConfigError("folds", f"must be >= 2, got {self.folds}")
        if self.predictor not in PREDICTORS:
            raise ConfigError("predictor", f"must be one of {list(PREDICTORS)}, got {self.predictor!r}")
        if self.predictor in ("kmer", "ensemble") and not self.kmer_ks:
            raise ConfigError("kmer_ks", f"predictor {self.predictor!r} needs k-mer sizes")
        if self.predictor == "gkm" and self.gkm is None:
            raise ConfigError("gkm", "predictor 'gkm' needs gkm: {word, informative}")
        if any(k < 1 for k in self.kmer_ks):
            raise ConfigError("kmer_ks", f"k-mer sizes must be >= 1, got {list(self.kmer_ks)}")


@dataclass(frozen=True)
class Irf1Settings:
    """IRF1 ChIP-seq (Koo & Ploenzke 2021): train, test AUROC, filters vs JASPAR, IRF family check.

    Attributes:
        max_sequences: class-stratified subsample of the training split; null = all.
        jaspar_release: JASPAR release the filter matches come from.
        model: motif CNN architecture.
        train: optimisation.
        seed: random seed (subsample, training).
    """

    max_sequences: int | None = None
    jaspar_release: str = "JASPAR2024"
    model: Irf1ModelSettings = field(default_factory=Irf1ModelSettings)
    train: Irf1TrainSettings = field(default_factory=Irf1TrainSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "max_sequences")


@dataclass(frozen=True)
class MpraModelSettings(MotifCNNSettings):
    __doc__ = MotifCNNSettings.__doc__
    activation: Literal["exp", "relu"] = "exp"
    n_filters: int = 64
    pool2_size: int = 10


@dataclass(frozen=True)
class MpraTrainSettings(TrainSettings):
    __doc__ = TrainSettings.__doc__
    max_epochs: int = 20
    batch_size: int = 128
    lr: float = 0.003
    patience: int = 4


@dataclass(frozen=True)
class MpraSettings:
    """lentiMPRA activity (lentimpra-wtc11, log2 RNA/DNA): element-grouped k-fold cross-validation
    of a regression motif CNN beside the k-mer ridge and GC-only baselines.

    Attributes:
        folds: cross-validation folds (an element and its reverse complement share one).
        valid_fraction: share of the data held out of each fold's training part for early stopping.
        baseline_kmer_ks: k-mer sizes of the ridge baseline.
        model: motif CNN architecture.
        train: optimisation.
        seed: random seed (folds, initialisation; fold k trains with seed + k).
    """

    folds: int = 5
    valid_fraction: float = 0.1
    baseline_kmer_ks: tuple[int, ...] = (6,)
    model: MpraModelSettings = field(default_factory=MpraModelSettings)
    train: MpraTrainSettings = field(default_factory=MpraTrainSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.folds < 2:
            raise ConfigError("folds", f"need >= 2 folds, got {self.folds}")
        if not 0 < self.valid_fraction < 1 - 1 / self.folds:
            raise ConfigError("valid_fraction", f"must lie in (0, {1 - 1 / self.folds:.2f}), got {self.valid_fraction}")

    def training(self) -> TrainModelSettings:
        """The `train` verb's settings that cross-validate the same model (`train --folds`)."""
        test = 1 / self.folds
        return TrainModelSettings(split=(1 - test - self.valid_fraction, self.valid_fraction, test),
                                  baseline_kmer_ks=self.baseline_kmer_ks, model=self.model, train=self.train,
                                  seed=self.seed)


@dataclass(frozen=True)
class MpraWorkflow(MpraSettings):
    """The workflow's lentiMPRA job (`sciml enhancers mpra`): whether it runs, and its settings.

    Attributes:
        enabled: run the job (on in `full.yaml`; ~6 CPU-min, so off in the default run).
        folds: cross-validation folds (an element and its reverse complement share one).
        valid_fraction: share of the data held out of each fold's training part for early stopping.
        baseline_kmer_ks: k-mer sizes of the ridge baseline.
        model: motif CNN architecture.
        train: optimisation.
        seed: random seed (folds, initialisation; fold k trains with seed + k).
    """

    enabled: bool = False


#: The Koo lab ChIP-seq tasks (data set koo-chipseq-200) and the JASPAR family text their motif must match.
CHIPSEQ_FAMILIES: dict[str, str] = {"FOXK2": "FOX", "GABPA": "Ets", "LEF1": "TCF-7"}


@dataclass(frozen=True)
class ChipSeqSettings:
    """One ChIP-seq task (peaks vs background, own train/valid/test split): train a motif CNN on
    train (early stopping on valid), score it and the GC / k-mer baselines on test, discover motifs
    with TF-MoDISco on the test peaks and check the expected TF family among the top patterns.

    Attributes:
        tf: the task: file `<tf>_200.h5` of the data folder.
        expected_family: text of the JASPAR TF family the task's motif belongs to (e.g. "FOX");
            null = no check.
        top_patterns: the expected family must be the best JASPAR match (q < 0.05) of one of
            this many leading positive patterns.
        max_sequences: class-stratified subsample of the training split; null = all.
        baseline_kmer_ks: k-mer sizes of the k-mer baseline.
        attribution_examples: top-scoring test peaks drawn with their attribution maps.
        jaspar_release: JASPAR release the motifs are matched against.
        model: motif CNN architecture.
        train: optimisation.
        motifs: attribution and TF-MoDISco settings.
        spacing: spacing/orientation probe of the two leading patterns (backgrounds: dinucleotide
            shuffles of the test split's background sequences); null = none.
        n_models: motif CNNs trained from seeds seed, seed + 1, ...; the job scores, explains and
            saves their mean (a `MotifCNNEnsemble`; the filter PWMs are the first model's).
        seed: random seed (subsample, training, attribution references).
    """

    tf: str = "FOXK2"
    expected_family: str | None = None
    top_patterns: int = 3
    max_sequences: int | None = None
    baseline_kmer_ks: tuple[int, ...] = (6,)
    attribution_examples: int = 2
    jaspar_release: str = "JASPAR2024"
    model: ChipSeqModelSettings = field(default_factory=ChipSeqModelSettings)
    train: ChipSeqTrainSettings = field(default_factory=ChipSeqTrainSettings)
    motifs: MotifsSettings = field(default_factory=MotifsSettings)
    spacing: SpacingSettings | None = field(default_factory=SpacingSettings)
    n_models: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        _positive("", self, "max_sequences", "top_patterns", "n_models")
        if not self.baseline_kmer_ks or any(k < 1 for k in self.baseline_kmer_ks):
            raise ConfigError("baseline_kmer_ks", f"need k-mer sizes >= 1, got {list(self.baseline_kmer_ks)}")


@dataclass(frozen=True)
class ChipSeqWorkflow:
    """The ChIP-seq tasks of the workflow: one job per task, each with the settings of `ChipSeqSettings`.

    Attributes:
        tasks: the tasks run (files `<tf>_200.h5` of koo-chipseq-200).
        families: task -> the JASPAR family text its motif must match (a task without one is not checked).
        max_sequences: class-stratified subsample of each training split; null = all.
        model: motif CNN architecture.
        train: optimisation.
        motifs: attribution and TF-MoDISco settings.
        spacing: spacing/orientation probe of the two leading patterns; null = none.
        n_models: motif CNNs per task trained from consecutive seeds; the job uses their mean.
    """

    tasks: tuple[str, ...] = tuple(CHIPSEQ_FAMILIES)
    families: dict[str, str] = field(default_factory=lambda: dict(CHIPSEQ_FAMILIES))
    max_sequences: int | None = None
    model: ChipSeqModelSettings = field(default_factory=ChipSeqModelSettings)
    train: ChipSeqTrainSettings = field(default_factory=ChipSeqTrainSettings)
    motifs: MotifsSettings = field(default_factory=MotifsSettings)
    spacing: SpacingSettings | None = field(default_factory=SpacingSettings)
    n_models: int = 1

    def __post_init__(self) -> None:
        _positive("", self, "max_sequences", "n_models")


@dataclass(frozen=True)
class ReportSettings:
    """metrics.json and report.html from the analysis folders (`sciml enhancers report`).

    Attributes:
        seed: the workflow seed, recorded in the metrics' provenance.
    """

    seed: int = 0


@dataclass(frozen=True)
class EnhancersWorkflow:
    """The `enhancers:` section of the workflow config.

    Attributes:
        enabled: run the enhancers rules.
        threads: threads per enhancers job (torch, Tomtom).
        gpu: GPUs requested per training job (SLURM).
        jaspar_release: JASPAR release shared by every job.
        synthetic: settings of the planted-motif job (`sciml enhancers synthetic`).
        grammar: settings of the grammar job (`sciml enhancers grammar`).
        ienhancer: settings of the iEnhancer-2L job (`sciml enhancers ienhancer`).
        irf1: settings of the IRF1 ChIP-seq job (`sciml enhancers irf1`).
        chipseq: the ChIP-seq tasks (`sciml enhancers chipseq`, one job per task).
        mpra: the lentiMPRA cross-validation job (`sciml enhancers mpra`).
    """

    enabled: bool = True
    threads: int = 1
    gpu: int = 0
    jaspar_release: str = "JASPAR2024"
    synthetic: SyntheticSettings = field(default_factory=SyntheticSettings)
    grammar: GrammarSettings = field(default_factory=GrammarSettings)
    ienhancer: IEnhancerSettings = field(default_factory=IEnhancerSettings)
    irf1: Irf1Settings = field(default_factory=Irf1Settings)
    chipseq: ChipSeqWorkflow = field(default_factory=ChipSeqWorkflow)
    mpra: MpraWorkflow = field(default_factory=MpraWorkflow)

    def __post_init__(self) -> None:
        _positive("", self, "threads")
        if self.gpu < 0:
            raise ConfigError("gpu", f"must be >= 0, got {self.gpu}")


WORKFLOW_SETTINGS = EnhancersWorkflow
