"""Run settings of the ECG verbs: the only home of their defaults.

Each compute verb of `sciml ecg` reads one of these dataclasses from `--config FILE` (JSON or YAML,
a partial mapping; missing keys take the defaults below) and `--set key.sub=value` overrides.
`WORKFLOW_SETTINGS` is the `ecg:` section of `workflows/config/*.yaml`.

The defaults are the configuration the workflow runs by default (the inter-patient MIT-BIH
protocol): a dilated residual teacher with focal loss, a half-width two-block student distilled from
it, temperature scaling fitted on held-out DS1 records, and 5 labelled minutes for the patient-adaptive mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sciml.ecg.beats import RR_FEATURES
from sciml.ecg.records import DEFAULT_LEADS
from sciml.errors import ConfigError


def _check_fraction(key: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(key, f"must be in [0, 1] (a fraction of the N beats, each copied at most once), got {value}")


def _check_positive(prefix: str, obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if value <= 0:
            raise ConfigError(f"{prefix}.{name}" if prefix else name, f"must be > 0, got {value}")


@dataclass(frozen=True)
class Preprocessing:
    """How a WFDB record becomes model inputs; a trained model stores it and applies it to new records.

    Attributes:
        fs: working sampling rate in Hz; records at other rates are resampled to it.
        before_s: beat window before the R peak, in seconds.
        after_s: beat window after the R peak, in seconds.
        leads: lead names in order of preference; the first one present in a record is read
            (by name, never by position).
        band_hz: zero-phase band-pass (low, high) in Hz: removes baseline wander and noise.
        max_flat_s: longest flat-line (saturated or disconnected) stretch a record may hold, in seconds.
        second_leads: a second lead, read beside the first as two more window channels: the first of these
            names a record has besides its first lead. A record without one (or with NaN or flat stretches
            in it) gets zeros there. Empty: one lead.
    """

    fs: float = 180.0
    before_s: float = 0.3
    after_s: float = 0.5
    leads: tuple[str, ...] = DEFAULT_LEADS
    band_hz: tuple[float, float] = (0.5, 40.0)
    max_flat_s: float = 2.0
    second_leads: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_positive("preprocessing", self, "fs", "before_s", "after_s", "max_flat_s")
        if not self.leads:
            raise ConfigError("preprocessing.leads", "name at least one lead")
        low, high = self.band_hz
        if not 0 < low < high:
            raise ConfigError("preprocessing.band_hz", f"must be 0 < low < high, got {list(self.band_hz)}")


@dataclass(frozen=True)
class PreprocessSettings:
    """Settings of `sciml ecg preprocess` (WFDB records -> labelled beats).

    Attributes:
        preprocessing: how records become beat windows and RR features.
        records: record names to read; null = every DS1 and DS2 record present in the folder
            (paced records excluded).
    """

    preprocessing: Preprocessing = field(default_factory=Preprocessing)
    records: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RPeakSettings:
    """Settings of `sciml ecg rpeaks` (our R-peak detector and wfdb's XQRS against the reference beats).

    Attributes:
        preprocessing: how records are read (lead, rate, band-pass); the beat window is not used.
        records: record names to score; null = every DS1 and DS2 record present.
        window_s: a detection within this many seconds of a reference beat is a true positive.
    """

    preprocessing: Preprocessing = field(default_factory=Preprocessing)
    records: tuple[str, ...] | None = None
    window_s: float = 0.15

    def __post_init__(self) -> None:
        _check_positive("", self, "window_s")


@dataclass(frozen=True)
class Network:
    """Architecture choices of a `BeatNet` teacher (the input sizes come from the beats).

    Attributes:
        width: channels of the residual stack before the width multiplier.
        dilations: one residual block per entry, with that dilation.
        kernel_size: kernel of the dilated convolutions.
        stem_stride: stride of the first convolution (2 halves the cost of every block).
        separable: depthwise-separable convolutions in the residual blocks (the MobileNet-style variant; the stem
            is a full convolution either way).
        width_multiplier: scales `width` (MobileNet's alpha).
        squeeze_excitation: squeeze-and-excitation gate in each block.
        dropout: dropout rate in the blocks and before the head.
        hidden: size of the embedding the linear head reads.
        rr_features: the RR features (names of `sciml.ecg.RR_FEATURES`) the network reads; the others are
            computed but ignored (`sciml.ecg.beats.RECORD_NORMALISED_RR`: the ratios to the patient's own rhythm,
            without the four in seconds).
    """

    width: int = 24
    dilations: tuple[int, ...] = (1, 2, 4, 8)
    kernel_size: int = 5
    stem_stride: int = 2
    separable: bool = False
    width_multiplier: float = 1.0
    squeeze_excitation: bool = False
    dropout: float = 0.1
    hidden: int = 64
    rr_features: tuple[str, ...] = RR_FEATURES

    def __post_init__(self) -> None:
        _check_positive("network", self, "width", "kernel_size", "stem_stride", "width_multiplier", "hidden")
        unknown = [name for name in self.rr_features if name not in RR_FEATURES]
        if unknown or not self.rr_features:
            raise ConfigError("network.rr_features", f"name one or more of {list(RR_FEATURES)}; unknown: {unknown}")
        if not self.dilations or min(self.dilations) < 1:
            raise ConfigError("network.dilations", f"need one or more dilations >= 1, got {list(self.dilations)}")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError("network.dropout", f"must be in [0, 1), got {self.dropout}")

    @property
    def channels(self) -> int:
        """Channels of the residual stack: `width` x `width_multiplier`, at least 4."""
        return max(int(round(self.width * self.width_multiplier)), 4)


@dataclass(frozen=True)
class StudentNetwork(Network):
    """Architecture choices of a distilled student: a `Network` with the compact defaults (fields as in `Network`):
    half the teacher's width and two residual blocks, with full convolutions (deployed, a separable student runs
    the same dense kernels, so `separable` only shrinks the stored model, and it distils worse)."""

    dilations: tuple[int, ...] = (2, 4)
    width_multiplier: float = 0.5


@dataclass(frozen=True)
class BeatData:
    """Which beats train and validate a classifier, and the synthetic beats added to the training set.

    Attributes:
        train_records: training records; null = the DS1 records present.
        val_records: held-out training records for validation (early stopping, temperature): whole
            patients, never beats of a training record. The default group holds 391 of DS1's 944 S beats
            (118, 220: atrial premature beats and SVTA; 201: atrial fibrillation; 223: S, V and F beats) and
            leaves 209, the record with the most S beats, to training.
        beat_split: UNSAFE random beat-level validation fraction instead of `val_records`; it leaks
            patients and inflates every score (only for comparison with papers that used it).
        irregular_fraction: add this fraction of the training N beats again in synthetic irregular
            rhythms (atrial-fibrillation-like RR contexts, label N).
        aberrant_copies: add this many copies of each training S beat with a widened QRS (aberrant
            conduction; P wave and RR features kept, label S).
        class_weight_power: classes are weighted by inverse frequency to this power (0: unweighted).
        max_normal_per_record: train on at most this many N beats of each training record (a seeded
            draw; S, V, F and Q beats are all kept); null keeps every beat.
    """

    train_records: tuple[str, ...] | None = None
    val_records: tuple[str, ...] = ("118", "201", "220", "223")
    beat_split: float | None = None
    irregular_fraction: float = 0.3
    aberrant_copies: int = 0
    class_weight_power: float = 0.5
    max_normal_per_record: int | None = None

    def __post_init__(self) -> None:
        _check_fraction("data.irregular_fraction", self.irregular_fraction)
        if self.max_normal_per_record is not None and self.max_normal_per_record < 1:
            raise ConfigError("data.max_normal_per_record", f"must be >= 1 or null, got {self.max_normal_per_record}")
        if self.aberrant_copies < 0:
            raise ConfigError("data.aberrant_copies", f"must be >= 0, got {self.aberrant_copies}")
        if self.beat_split is not None and not 0.0 < self.beat_split < 1.0:
            raise ConfigError("data.beat_split", f"must be in (0, 1), got {self.beat_split}")


@dataclass(frozen=True)
class Optimiser:
    """AdamW settings of a training run.

    Attributes:
        batch_size: beats per step.
        lr: learning rate.
        weight_decay: AdamW weight decay.
        grad_clip_norm: gradients are clipped to this global norm.
    """

    batch_size: int = 128
    lr: float = 2e-3
    weight_decay: float = 1e-3
    grad_clip_norm: float = 1.0

    def __post_init__(self) -> None:
        _check_positive("optimiser", self, "batch_size", "lr", "grad_clip_norm")


@dataclass(frozen=True)
class Augmentation:
    """Random changes of the training waveforms, drawn anew for every batch (the RR features are kept).

    Attributes:
        gain: amplitude scaled by a factor drawn from 1 +- gain (electrode contact, lead gain).
        noise: standard deviation of added Gaussian noise (in units of the record's median R amplitude).
        baseline: a straight line with offset and end-to-end rise each drawn from +- baseline is added
            to the beat's own samples (residual baseline wander).
        time_scale: the window is stretched around the R peak by a factor drawn from 1 +- time_scale
            (wider or narrower waves: other patients, heart rates and sampling rates).
        lead_dropout: probability that a beat's second-lead channels are zeroed (beats of two-lead
            preprocessing only): the model learns to classify records that have one lead.
    """

    gain: float = 0.15
    noise: float = 0.02
    baseline: float = 0.0
    time_scale: float = 0.0
    lead_dropout: float = 0.0

    def __post_init__(self) -> None:
        for name in ("gain", "noise", "baseline", "time_scale", "lead_dropout"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise ConfigError(f"augmentation.{name}", f"must be in [0, 1), got {getattr(self, name)}")


@dataclass(frozen=True)
class Calibration:
    """Temperature scaling fitted on the validation beats (held-out records) after training.

    Attributes:
        min_temperature: lower bound of the fitted temperature (0: unbounded). A bound of 1 forbids
            sharpening; it defeats the calibration of a model that is under-confident on new patients, as
            focal-loss models are, so it is off by default.
    """

    min_temperature: float = 0.0

    def __post_init__(self) -> None:
        if self.min_temperature < 0:
            raise ConfigError("calibration.min_temperature", f"must be >= 0 (0: unbounded), got {self.min_temperature}")


@dataclass(frozen=True)
class TrainSettings:
    """Settings of `sciml ecg train` (the inter-patient teacher).

    Attributes:
        network: the architecture.
        data: training and validation beats.
        optimiser: AdamW settings.
        augmentation: random changes of the training waveforms.
        calibration: temperature scaling after training.
        epochs: maximum passes over the training beats.
        patience: epochs without a better validation macro-F1 before stopping.
        loss: `focal` (focal loss) or `weighted_ce` (class-weighted cross-entropy).
        gamma: focusing parameter of the focal loss.
        val_irregular_fraction: add this fraction of the validation N beats in synthetic irregular
            rhythms to the validation set that early stopping follows (the validation records have
            no atrial fibrillation).
        seed: seeds initialisation, augmentation and the synthetic beats.
    """

    network: Network = field(default_factory=Network)
    data: BeatData = field(default_factory=BeatData)
    optimiser: Optimiser = field(default_factory=Optimiser)
    augmentation: Augmentation = field(default_factory=Augmentation)
    calibration: Calibration = field(default_factory=Calibration)
    epochs: int = 8
    patience: int = 3
    loss: Literal["focal", "weighted_ce"] = "focal"
    gamma: float = 2.0
    val_irregular_fraction: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        _check_positive("", self, "epochs", "patience")
        _check_fraction("val_irregular_fraction", self.val_irregular_fraction)


@dataclass(frozen=True)
class KnowledgeDistillation:
    """How a student learns from a trained teacher (Hinton et al. 2015); shared by `sciml ecg distill` and the
    fine-tune of `sciml ecg prune`.

    Attributes:
        data: training and validation beats (the teacher's, for a fair comparison).
        optimiser: AdamW settings.
        augmentation: random changes of the training waveforms (the teacher labels the changed beats).
        calibration: temperature scaling after training.
        epochs: maximum passes over the training beats.
        patience: validations without improvement before stopping.
        kd_temperature: softmax temperature of the distillation targets.
        kd_alpha: weight of the distillation term (1 - alpha: the class-weighted label term).
        monitor: early stopping follows validation macro-F1 (`val_macro_f1`) or the distillation loss of
            the validation beats (`val_loss`: agreement with the teacher, which does not saturate when
            validation is easy).
        seed: seeds initialisation, augmentation and the synthetic beats.
    """

    data: BeatData = field(default_factory=BeatData)
    optimiser: Optimiser = field(default_factory=Optimiser)
    augmentation: Augmentation = field(default_factory=Augmentation)
    calibration: Calibration = field(default_factory=Calibration)
    epochs: int = 8
    patience: int = 3
    kd_temperature: float = 4.0
    kd_alpha: float = 0.7
    monitor: Literal["val_macro_f1", "val_loss"] = "val_loss"
    seed: int = 0

    def __post_init__(self) -> None:
        _check_positive("", self, "epochs", "patience", "kd_temperature")
        if not 0.0 <= self.kd_alpha <= 1.0:
            raise ConfigError("kd_alpha", f"must be in [0, 1], got {self.kd_alpha}")


@dataclass(frozen=True)
class DistillSettings(KnowledgeDistillation):
    """Settings of `sciml ecg distill` (a compact student learning from a trained teacher): the
    `KnowledgeDistillation` fields plus the student's architecture.

    Attributes:
        network: the student's architecture.
    """

    network: StudentNetwork = field(default_factory=StudentNetwork)


@dataclass(frozen=True)
class PruneSettings(KnowledgeDistillation):
    """Settings of `sciml ecg prune` (structured pruning of a distilled student, then a short fine-tune with
    the distillation loss): the `KnowledgeDistillation` fields, with shorter training and a lower learning rate,
    plus the pruning ratio.

    Attributes:
        ratio: fraction of the channels removed from each group: the residual stack, the inside of each
            residual block, and the hidden units of the embedding (at least one channel of each is kept).
    """

    optimiser: Optimiser = field(default_factory=lambda: Optimiser(lr=1e-3))
    epochs: int = 3
    patience: int = 2
    ratio: float = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        check_pruning_ratio(self.ratio)


def check_pruning_ratio(ratio: float) -> None:
    """ConfigError (key `ratio`) unless 0 < ratio < 1."""
    if not 0.0 < ratio < 1.0:
        raise ConfigError("ratio", f"must be in (0, 1) (the fraction of channels removed), got {ratio}")


@dataclass(frozen=True)
class Adaptation:
    """The patient-adaptive mode: the first minutes of each record are labelled by a clinician.

    Attributes:
        minutes: labelled minutes at the start of each record (those beats are never scored).
        l2: L2 penalty pulling the fine-tuned head towards the inter-patient head.
        prototype_weight: weight of the per-record prototype (nearest-centroid) head.
    """

    minutes: float = 5.0
    l2: float = 1.0
    prototype_weight: float = 0.5

    def __post_init__(self) -> None:
        _check_positive("adaptation", self, "minutes")
        if not 0.0 <= self.prototype_weight <= 1.0:
            raise ConfigError("adaptation.prototype_weight", f"must be in [0, 1], got {self.prototype_weight}")


@dataclass(frozen=True)
class EvaluateSettings:
    """Settings of `sciml ecg evaluate` (the held-out test records, touched once).

    Attributes:
        test_records: test records; null = the DS2 records present in the beat file.
        adaptation: the patient-adaptive mode.
        int8_calibration_beats: beats (drawn from the non-test records) that calibrate int8 quantization.
        saliency_beats: at most this many beats per class are averaged in the saliency figure.
        seed: seeds the draw of the int8 calibration beats.
    """

    test_records: tuple[str, ...] | None = None
    adaptation: Adaptation = field(default_factory=Adaptation)
    int8_calibration_beats: int = 2048
    saliency_beats: int = 500
    seed: int = 0

    def __post_init__(self) -> None:
        _check_positive("", self, "int8_calibration_beats", "saliency_beats")


@dataclass(frozen=True)
class WorkflowSettings:
    """The `ecg:` section of the workflow config.

    Attributes:
        enabled: run the ECG part of the workflow.
        records: records to preprocess; null = every DS1 and DS2 record present in the data set.
        rpeak_records: records the R-peak detectors are scored on; null = every DS1 and DS2 record present.
        preprocessing: how records become beats (shared by preprocessing, R-peak scoring and the models).
        data: training and validation beats, shared by the teacher and the student.
        teacher: settings of the teacher (`sciml ecg train`); `data` comes from the shared key.
        student: settings of the distilled student (`sciml ecg distill`); `data` comes from the shared key.
        prune_student: also prune the student (structured, `sciml ecg prune`) and evaluate the pruned model.
        prune: settings of the pruning and its fine-tune; `data` comes from the shared key.
        compare_losses: also train a teacher with the other loss (focal vs weighted_ce) and compare.
        evaluate: settings of the held-out evaluation.
        threads: CPU threads of each training job.
        gpu: GPUs a training job asks the scheduler for (0 on CPU machines).
    """

    enabled: bool = True
    records: tuple[str, ...] | None = None
    rpeak_records: tuple[str, ...] | None = None
    preprocessing: Preprocessing = field(default_factory=Preprocessing)
    data: BeatData = field(default_factory=BeatData)
    teacher: TrainSettings = field(default_factory=TrainSettings)
    student: DistillSettings = field(default_factory=DistillSettings)
    prune_student: bool = False
    prune: PruneSettings = field(default_factory=PruneSettings)
    compare_losses: bool = True
    evaluate: EvaluateSettings = field(default_factory=EvaluateSettings)
    threads: int = 1
    gpu: int = 0

    def __post_init__(self) -> None:
        for job in ("teacher", "student", "prune"):
            if getattr(self, job).data != BeatData():
                raise ConfigError(f"{job}.data", "the teacher and the students share the beats: set `data` instead")
        if self.threads < 1:
            raise ConfigError("threads", f"must be >= 1, got {self.threads}")


WORKFLOW_SETTINGS = WorkflowSettings
