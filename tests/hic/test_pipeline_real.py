"""`train-real`: real pairs drawn from the right parts of the maps, and a model that trains and loads."""

import numpy as np
import pytest

from sciml.cli import main
from sciml.errors import ConfigError
from sciml.hic.biases import BiasParams
from sciml.hic.io import write_cool
from sciml.hic.models import load_denoiser
from sciml.hic.pipeline import real_training_pairs, train_real
from sciml.hic.settings import (
    GatedUNetNetwork,
    RealDenoiser,
    RealFit,
    RealPairSettings,
    RealTrainSettings,
    SimulationParams,
    YeastSettings,
)
from sciml.hic.simulate import sample_counts, simulate_chromosome


def _settings(**pairs):
    return RealTrainSettings(
        denoiser=RealDenoiser(patch_size=16, stride=12, band_bins=12, model_kwargs=GatedUNetNetwork(channels=4, depth=1)),
        pairs=RealPairSettings(**({"fraction_range": (0.2, 0.5), "draws": 2, "val_fractions": (0.25,),
                                   "replicate_split_bin": 40,
                                   "min_valid_bins": 10, "sim_depths": ()} | pairs)),
        yeast=YeastSettings(test_chromosomes=("cT",), val_chromosomes=("cV",)),
        fit=RealFit(max_epochs=2, batch_size=8), seed=0)


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    root = tmp_path_factory.mktemp("realtrain")
    rng = np.random.default_rng(0)
    params = SimulationParams(contacts_per_bin=(2000.0, 2000.0), tad_size_bins=(8, 14))
    deep = {c: simulate_chromosome(n, params, BiasParams(), rng).observed
            for c, n in (("cA", 36), ("cB", 30), ("cV", 32), ("cT", 30))}
    split = write_cool(root / "split.cool", deep, 10_000)
    chrom = simulate_chromosome(70, params, BiasParams(), rng)
    reps = [write_cool(root / f"r{k}.cool", {"c1": sample_counts(chrom.expected, rng)}, 100_000) for k in range(3)]
    return split, reps


def test_pairs_come_from_the_training_and_validation_parts_only(maps):
    split, reps = maps
    settings = _settings()
    train, val = real_training_pairs(split, reps, settings.pairs, settings.yeast, settings.seed)
    # split map: cA, cB x 2 draws (complement targets); replicates: 3 libraries x 2 draws x 3 targets (bins < 40)
    assert len(train) == 2 * 2 + 3 * 2 * 3
    assert sorted({p.noisy.shape[0] for p in train}) == [30, 36, 40]
    # validation: cV at 1/4; the replicates' bins 40..69 at 1/4 (3 libraries x 3 targets); cT never read
    assert len(val) == 1 + 3 * 3 and sorted({p.noisy.shape[0] for p in val}) == [30, 32]
    assert {p.resolution_bp for p in train} == {10_000, 100_000}
    with pytest.raises(ConfigError):
        train_real("unused", _settings())


def test_train_real_writes_a_gated_model_with_its_training_range(maps, tmp_path):
    split, reps = maps
    model, result = train_real(tmp_path / "m", _settings(draws=1), split, reps, work_dir=tmp_path / "w", device="cpu")
    assert result.epochs_run == 2 and np.isfinite(result.best_value)
    loaded = load_denoiser(tmp_path / "m")
    assert loaded.settings.baseline == "ice_gauss" and loaded.settings.depth_channel
    assert loaded.net.gate is not None
    trained = loaded.model_config.extra["training_range"]
    assert trained["resolution_bp"] == [10_000, 100_000]


def test_cli_train_real(maps, tmp_path):
    split, reps = maps
    args = ["hic", "train-real", "--replicates", *map(str, reps), "--out", str(tmp_path / "m"),
            "--set", "denoiser.patch_size=16", "--set", "denoiser.stride=12", "--set", "denoiser.band_bins=12",
            "--set", "denoiser.model_kwargs.channels=4", "--set", "denoiser.model_kwargs.depth=1",
            "--set", "pairs.replicate_split_bin=40", "--set", "pairs.draws=1", "--set", "pairs.min_valid_bins=10",
            "--set", "pairs.fraction_range=[0.2, 0.5]", "--set", "pairs.val_fractions=[0.25]",
            "--set", "fit.max_epochs=1", "--threads", "1", "--device", "cpu"]
    assert main(args) == 0
    assert load_denoiser(tmp_path / "m").settings.baseline == "ice_gauss"


def test_cli_train_deephic_trains_the_gan_on_the_default_models_pairs(maps, tmp_path):
    split, reps = maps
    args = ["hic", "train-deephic", "--chrom-split", str(split), "--replicates", *map(str, reps),
            "--out", str(tmp_path / "gan"), "--work", str(tmp_path / "work"),
            "--set", "denoiser.patch_size=16", "--set", "denoiser.stride=12", "--set", "denoiser.band_bins=12",
            "--set", "denoiser.model_kwargs.channels=4", "--set", "denoiser.model_kwargs.blocks=1",
            "--set", "discriminator_channels=4", "--set", "yeast.test_chromosomes=[cT]",
            "--set", "yeast.val_chromosomes=[cV]", "--set", "pairs.replicate_split_bin=40", "--set", "pairs.draws=1",
            "--set", "pairs.min_valid_bins=10", "--set", "pairs.fraction_range=[0.2, 0.5]",
            "--set", "pairs.val_fractions=[0.25]", "--set", "fit.max_epochs=1", "--threads", "1", "--device", "cpu"]
    assert main(args) == 0
    gan = load_denoiser(tmp_path / "gan")
    assert gan.settings.arch == "deephic"
    assert gan.model_config.extra["training_range"]["resolution_bp"] == [10_000, 100_000]
    assert (tmp_path / "work" / "metrics.csv").is_file()
