"""End-to-end runners of the Hi-C workflow: one function per `sciml hic` verb.

Each takes data paths and one settings dataclass (`sciml.hic.settings`), seeds the run where it
draws random numbers, and writes its outputs atomically.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.hic.dataset import write_simulated_split
from sciml.hic.evaluate import Evaluation
from sciml.hic.models import Denoiser, load_denoiser
from sciml.hic.settings import (
    CorrectorSettings,
    DeepHiCTrainSettings,
    EvaluateSettings,
    FinetuneSettings,
    PrepareRealSettings,
    RealEvalSettings,
    RealPairSettings,
    RealTrainSettings,
    SimulateSettings,
    TrainSettings,
    YeastSettings,
)
from sciml.hic.training import MapPair
from sciml.train.fit import FitResult

log = logging.getLogger("sciml.hic")

#: beside the corrector examples: the settings of the denoiser whose outputs they are
EXAMPLES_DENOISER = "denoiser.json"
#: the evaluation's figure of the real maps scored against independent targets
REAL_FIGURE = "real_scc.png"


def simulate(out_dir: str | os.PathLike[str], settings: SimulateSettings) -> Path:
    """Simulate one split (`settings.split`) into `out_dir` (see `sciml.hic.dataset.write_simulated_split`)."""
    return write_simulated_split(out_dir, settings.n_chroms, settings.n_bins, settings.simulation, settings.bias(),
                                 list(settings.depths), settings.split_seed(), settings.binsize)


def prepare_yeast(cool: str | os.PathLike[str], out_dir: str | os.PathLike[str],
                  settings: PrepareRealSettings) -> Path:
    """A real map at full depth and thinned to 1/`yeast.depth` (see `sciml.hic.yeast.prepare_real`)."""
    from sciml.hic.yeast import prepare_real

    return prepare_real(cool, out_dir, settings.yeast.depth, settings.seed)


def train(train_dir: str | os.PathLike[str], val_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str],
          settings: TrainSettings, work_dir: str | os.PathLike[str] | None = None, resume: bool = False,
          device: str = "auto") -> tuple[Denoiser, FitResult]:
    """Train a patch denoiser on a simulated split (all `depths`), validated at the headline depth.

    Args:
        train_dir: simulated training split.
        val_dir: simulated validation split.
        out_dir: the model folder to write (kind `hic.denoiser`).
        settings: architecture, fit, depths, seed.
        work_dir: the fit's checkpoint folder (resume after preemption).
        resume: resume from `work_dir`.
        device: where to train.
    """
    from sciml.hic.training import simulated_pairs, train_denoiser
    from sciml.train import seed_everything

    seed_everything(settings.seed)
    train_pairs = simulated_pairs(train_dir, settings.depths)
    val_pairs = simulated_pairs(val_dir, settings.depths[:1])
    return train_denoiser(train_pairs, val_pairs, settings.denoiser, settings.fit.fit_config(settings.seed, device),
                          out_dir, work_dir, resume=resume, resolution_bp=_binsize(Path(train_dir) / "observed.cool"))


def _binsize(cool: str | os.PathLike[str]) -> int:
    from sciml.hic.io import open_cool

    return int(open_cool(cool).binsize)


def _denoiser_record(model_dir: str | os.PathLike[str]) -> dict:
    from sciml.models import CONFIG_FILE

    return json.loads((Path(model_dir) / CONFIG_FILE).read_text())


def corrector_inputs(model_dir: str | os.PathLike[str], train_dir: str | os.PathLike[str],
                     val_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str],
                     settings: CorrectorSettings) -> Path:
    """The per-bin corrector's examples (the denoiser's outputs on two simulated splits), made once
    for every ensemble member; the whole folder appears at once.

    Writes `train/` and `val/` examples files and the denoiser's config beside them. Runs on the CPU.
    """
    from sciml.hic.training import EXAMPLES_FILE, corrector_examples, save_corrector_examples, simulated_pairs

    denoiser = load_denoiser(model_dir)
    pairs = {"train": simulated_pairs(train_dir, settings.depths), "val": simulated_pairs(val_dir, settings.depths)}
    with atomic_path(out_dir) as staged:
        for split, split_pairs in pairs.items():
            save_corrector_examples(staged / split / EXAMPLES_FILE,
                                    corrector_examples(split_pairs, denoiser, settings.target_band_bins))
        (staged / EXAMPLES_DENOISER).write_text(json.dumps(_denoiser_record(model_dir), indent=2, sort_keys=True)
                                                + "\n")
    return Path(out_dir)


def train_corrector(model_dir: str | os.PathLike[str], inputs_dir: str | os.PathLike[str],
                    out_dir: str | os.PathLike[str], settings: CorrectorSettings,
                    work_dir: str | os.PathLike[str] | None = None, device: str = "auto"):
    """Train ensemble member `settings.member` of the per-bin corrector (seed `1000 * seed + member`).

    Raises:
        InputError: the examples were not made by the denoiser in `model_dir`, or cannot be read.
    """
    from sciml.hic.training import EXAMPLES_FILE, load_corrector_examples, train_bin_corrector
    from sciml.models import load_model
    from sciml.train import seed_everything

    seed = settings.member_seed()
    seed_everything(seed)
    # the denoiser is loaded (its construction draws from the seeded generator) before the corrector is
    # built, as when one job made the inputs and trained the corrector: a seed gives the same corrector
    load_model(model_dir)
    recorded = Path(inputs_dir) / EXAMPLES_DENOISER
    if not recorded.is_file() or json.loads(recorded.read_text()) != _denoiser_record(model_dir):
        raise InputError(recorded, f"these corrector inputs were not made by the denoiser {model_dir}")
    train_set, val_set = (load_corrector_examples(Path(inputs_dir) / split / EXAMPLES_FILE) for split in ("train", "val"))
    return train_bin_corrector(train_set, val_set, settings.fit.fit_config(seed, device), out_dir,
                               asdict(settings.model_kwargs), work_dir, settings.target_band_bins)


def finetune(model_dir: str | os.PathLike[str], real_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str],
             settings: FinetuneSettings, work_dir: str | os.PathLike[str] | None = None, resume: bool = False,
             device: str = "auto") -> tuple[Denoiser, FitResult]:
    """Fine-tune a denoiser on the real map's training chromosomes (neither test nor validation ones)."""
    from sciml.hic.io import chromosome_sizes
    from sciml.hic.training import train_denoiser
    from sciml.hic.yeast import FULL, real_pairs, split_real
    from sciml.train import seed_everything

    seed_everything(settings.seed)
    model = load_denoiser(model_dir)
    yeast = settings.yeast
    chroms = list(chromosome_sizes(Path(real_dir) / FULL))
    train_chroms, val_chroms, _ = split_real(chroms, yeast.test_chromosomes, yeast.val_chromosomes)
    return train_denoiser(real_pairs(real_dir, yeast.depth, train_chroms, settings.thinning_draws, settings.seed),
                          real_pairs(real_dir, yeast.depth, val_chroms), model.settings,
                          settings.fit.fit_config(settings.seed, device), out_dir, work_dir, init_from=model,
                          resume=resume, resolution_bp=_binsize(Path(real_dir) / FULL))


def real_training_pairs(chrom_split_cool: str | os.PathLike[str] | None,
                        replicate_cools: Sequence[str | os.PathLike[str]], pairs: RealPairSettings,
                        yeast: YeastSettings, seed: int) -> tuple[list[MapPair], list[MapPair]]:
    """(train, val) pairs of real maps with independent targets (`sciml.hic.realpairs`).

    Training inputs are thinned to fractions drawn log-uniformly in `pairs.fraction_range`
    (`pairs.draws` per library and chromosome part, one seeded pool per run); validation inputs to
    `pairs.val_fractions`.

    Args:
        chrom_split_cool: a deep map split by chromosome: `yeast.test_chromosomes` are never read,
            `yeast.val_chromosomes` validate, the rest (>= 10 bins, not chrMito/2-micron) train.
        replicate_cools: libraries of one condition (same bins), split by bin at
            `pairs.replicate_split_bin` in every chromosome.
        pairs: fractions, draws, the replicates' split bin.
        yeast: the chromosome split.
        seed: the thinning draws' seed (the same arguments give the same pairs).

    Raises:
        InputError: a file is not a cooler (or has bad counts), or the libraries do not share their bins.
    """
    from sciml.hic.io import chromosome_sizes, read_matrix
    from sciml.hic.realpairs import informative, log_uniform_fractions, replicate_pairs, thinned_pairs
    from sciml.hic.yeast import split_real

    rng = np.random.default_rng(seed)
    train: list[MapPair] = []
    val: list[MapPair] = []

    def draw() -> np.ndarray:
        return log_uniform_fractions(*pairs.fraction_range, pairs.draws, rng)

    def tag(made: list[MapPair], cool: str | os.PathLike[str]) -> list[MapPair]:
        resolution = _binsize(cool)
        return [replace(p, resolution_bp=resolution) for p in made]

    if chrom_split_cool is not None:
        sizes = chromosome_sizes(chrom_split_cool)
        chroms = [c for c in sizes if c not in ("chrMito", "chr2-micron")]
        train_chroms, val_chroms, _ = split_real(chroms, yeast.test_chromosomes, yeast.val_chromosomes)
        for chrom in train_chroms:
            counts = read_matrix(chrom_split_cool, chrom)
            if counts.shape[0] >= 10:
                train += tag(thinned_pairs(counts, {}, draw(), rng, chrom_split_cool), chrom_split_cool)
        for chrom in val_chroms:
            val += tag(thinned_pairs(read_matrix(chrom_split_cool, chrom), {}, pairs.val_fractions, rng,
                                     chrom_split_cool), chrom_split_cool)
    if replicate_cools:
        _check_same_bins(replicate_cools)
        cut = pairs.replicate_split_bin
        for chrom in chromosome_sizes(replicate_cools[0]):
            maps = {str(p): read_matrix(p, chrom) for p in replicate_cools}
            for part, out, fractions in ((slice(0, cut), train, None), (slice(cut, None), val, pairs.val_fractions)):
                libraries = {k: m[part, part] for k, m in maps.items()}
                if min(m.shape[0] for m in libraries.values()) < 10:
                    continue
                per_library = {k: draw() if fractions is None else fractions for k in libraries}
                out += tag(replicate_pairs(libraries, per_library, rng, replicate_cools[0]), replicate_cools[0])
    return informative(train, pairs.min_valid_bins), informative(val, pairs.min_valid_bins)


def _check_same_bins(cools: Sequence[str | os.PathLike[str]]) -> None:
    """`InputError` naming the first of `cools` whose chromosomes or bin size differ from the first's."""
    from sciml.hic.io import open_cool

    first = open_cool(cools[0])
    for path in cools[1:]:
        other = open_cool(path)
        if other.binsize != first.binsize or dict(other.chromsizes) != dict(first.chromsizes):
            raise InputError(path, f"does not share the bins of {cools[0]} (libraries of one condition must)")


def default_model_pairs(chrom_split_cool: str | os.PathLike[str] | None,
                        replicate_cools: Sequence[str | os.PathLike[str]], pairs: RealPairSettings,
                        yeast: YeastSettings, seed: int, sim_train_dir: str | os.PathLike[str] | None = None,
                        job: str = "train-real") -> tuple[list[MapPair], list[MapPair]]:
    """The (train, val) pairs of the default model: `real_training_pairs` plus, with `sim_train_dir` and
    `pairs.sim_depths`, the simulated training split's thinned copies against their truth. The same
    arguments give the same pairs (the GAN baseline trains on exactly the default model's).

    Raises:
        ConfigError: no real map given (the validation set would be empty); `job` names the verb.
    """
    from sciml.errors import ConfigError
    from sciml.hic.training import simulated_pairs

    if chrom_split_cool is None and not replicate_cools:
        raise ConfigError(job, "give a chromosome-split map and/or replicate libraries")
    train_pairs, val_pairs = real_training_pairs(chrom_split_cool, replicate_cools, pairs, yeast, seed)
    log.info("real pairs: %d train, %d validation", len(train_pairs), len(val_pairs))
    if sim_train_dir is not None and pairs.sim_depths:
        resolution = _binsize(Path(sim_train_dir) / "observed.cool")
        train_pairs += [replace(p, resolution_bp=resolution) for p in simulated_pairs(sim_train_dir, pairs.sim_depths)]
    return train_pairs, val_pairs


def train_real(out_dir: str | os.PathLike[str], settings: RealTrainSettings,
               chrom_split_cool: str | os.PathLike[str] | None = None,
               replicate_cools: Sequence[str | os.PathLike[str]] = (),
               sim_train_dir: str | os.PathLike[str] | None = None,
               work_dir: str | os.PathLike[str] | None = None, resume: bool = False,
               device: str = "auto") -> tuple[Denoiser, FitResult]:
    """Train the default denoiser on real pairs with independent targets (plus simulated pairs),
    choosing the epoch on the real validation parts only.

    Args:
        out_dir: the model folder to write (kind `hic.denoiser`).
        settings: denoiser, pairs, splits, fit, seed.
        chrom_split_cool: a deep map split by chromosome (see `real_training_pairs`).
        replicate_cools: libraries of one condition, split by bin.
        sim_train_dir: a simulated training split (its `pairs.sim_depths` copies against the truth).
        work_dir: the fit's checkpoint folder.
        resume: resume from `work_dir`.
        device: where to train.

    Raises:
        ConfigError: no real map given (the validation set would be empty).
    """
    from sciml.hic.training import train_denoiser
    from sciml.train import seed_everything

    seed_everything(settings.seed)
    train_pairs, val_pairs = default_model_pairs(chrom_split_cool, replicate_cools, settings.pairs, settings.yeast,
                                                 settings.seed, sim_train_dir)
    return train_denoiser(train_pairs, val_pairs, settings.denoiser, settings.fit.fit_config(settings.seed, device),
                          out_dir, work_dir, resume=resume)


def train_deephic(out_dir: str | os.PathLike[str], settings: DeepHiCTrainSettings,
                  chrom_split_cool: str | os.PathLike[str] | None = None,
                  replicate_cools: Sequence[str | os.PathLike[str]] = (),
                  sim_train_dir: str | os.PathLike[str] | None = None,
                  work_dir: str | os.PathLike[str] | None = None, resume: bool = False,
                  device: str = "auto") -> tuple[Denoiser, FitResult]:
    """Train the DeepHiC-style GAN baseline (`sciml.hic.training.train_deephic`) on the pairs of
    `default_model_pairs`: with the default model's `pairs`, `yeast`, `seed` and patch geometry these
    are the default model's pairs and tiles, its epoch chosen on the same validation parts.

    Args:
        out_dir: the model folder to write (kind `hic.denoiser`, arch 'deephic').
        settings: generator, discriminator, loss weights, pairs, splits, fit, seed.
        chrom_split_cool: a deep map split by chromosome (see `real_training_pairs`).
        replicate_cools: libraries of one condition, split by bin.
        sim_train_dir: a simulated training split (its `pairs.sim_depths` copies against the truth).
        work_dir: the fit's checkpoint folder.
        resume: resume from `work_dir`.
        device: where to train.

    Raises:
        ConfigError: no real map given (the validation set would be empty).
    """
    from sciml.hic.training import train_deephic as train_gan
    from sciml.train import seed_everything

    seed_everything(settings.seed)
    train_pairs, val_pairs = default_model_pairs(chrom_split_cool, replicate_cools, settings.pairs, settings.yeast,
                                                 settings.seed, sim_train_dir, "train-deephic")
    return train_gan(train_pairs, val_pairs, settings, settings.fit.fit_config(settings.seed, device), out_dir,
                     work_dir, resume)


def evaluate(test_dir: str | os.PathLike[str], val_dir: str | os.PathLike[str], real_dir: str | os.PathLike[str],
             model_dir: str | os.PathLike[str], sim_model_dir: str | os.PathLike[str],
             hicplus_dir: str | os.PathLike[str], finetuned_dir: str | os.PathLike[str],
             out_dir: str | os.PathLike[str], settings: EvaluateSettings, device: str = "auto",
             real_eval_dirs: Sequence[str | os.PathLike[str]] = ()) -> Evaluation:
    """Run the evaluation protocol (`sciml.hic.evaluate.evaluate_all`) on the trained models (methods
    `model`: the default model; `model_sim`: the simulation-only U-Net with its correctors;
    `hicplus`; `model_finetuned` on the real map only) and write its metrics.json, tables and
    figures to `out_dir` (`write_evaluation`).

    The real maps scored against independent targets (`evaluate_real_map` folders in `real_eval_dirs`,
    each named by its folder) join metrics.json as blocks `real_<folder name>`, and their raw-space
    SCCs are drawn in `real_scc.png` (`sciml.hic.plots.real_scores`).
    """
    from sciml.hic.evaluate import evaluate_all, write_evaluation
    from sciml.hic.plots import real_scores
    from sciml.hic.realeval import read_cases
    from sciml.train import seed_everything, select_device

    cases = read_cases({Path(d).name: d for d in real_eval_dirs})  # before the long work: a missing case fails now
    seed_everything(settings.seed)
    device = select_device(device)
    model, sim_model, hicplus, finetuned = (load_denoiser(p, device)
                                            for p in (model_dir, sim_model_dir, hicplus_dir, finetuned_dir))
    result = evaluate_all(test_dir, val_dir, real_dir, {"hicplus": hicplus, "model_sim": sim_model, "model": model},
                          {"model_finetuned": finetuned}, settings, device)
    result.metrics |= {f"real_{name}": metrics for name, metrics in cases.items()}
    write_evaluation(result, out_dir)
    if cases:
        real_scores(cases, Path(out_dir) / REAL_FIGURE)
    return result


def evaluate_real_map(cool: str | os.PathLike[str], replicates: dict[str, str], model_dirs: dict[str, str],
                      out_dir: str | os.PathLike[str], settings: RealEvalSettings, device: str = "auto") -> dict:
    """`sciml.hic.realeval.evaluate_real` with models loaded from folders; writes `metrics.json`
    (with provenance) and `distance_pearson.tsv` to `out_dir` beside the thinned map and its complement."""
    from sciml.hic.io import open_cool
    from sciml.hic.realeval import evaluate_real, write_curves
    from sciml.provenance import write_metrics
    from sciml.train import select_device

    device = select_device(device)
    models = {name: load_denoiser(path, device) for name, path in model_dirs.items()}
    metrics, curves = evaluate_real(cool, replicates, models, out_dir, settings)
    metrics |= {"input": str(cool), "replicates": dict(replicates), "models": dict(model_dirs)}
    write_metrics(Path(out_dir) / "metrics.json", metrics, settings=asdict(settings), seed=settings.seed)
    write_curves(Path(out_dir) / "distance_pearson.tsv", curves, int(open_cool(cool).binsize))
    return metrics
