from dataclasses import asdict

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.hic.biases import BiasParams
from sciml.hic.dataset import write_simulated_split
from sciml.hic.models import Denoiser, build_net
from sciml.hic.settings import DenoiserSettings, HiCPlusNetwork, HiCPlusSettings, UNetNetwork
from sciml.hic.simulate import SimulationParams
from sciml.hic.training import simulated_pairs, train_denoiser
from sciml.models import load_model, save_model
from sciml.train import FitConfig, seed_everything


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    root = tmp_path_factory.mktemp("sim")
    split = write_simulated_split(root / "s", 2, 48, SimulationParams(tad_size_bins=(10, 16)), BiasParams(),
                                  [16], seed=1)
    return simulated_pairs(split, [16])


def test_pairs_share_scale_and_mask(pairs):
    p = pairs[0]
    keep = np.outer(p.valid, p.valid)
    assert np.isclose(p.clean.sum(), p.noisy[keep].sum())
    assert (p.clean[~keep] == 0).all()


def test_training_reduces_loss_and_saves_a_loadable_model(pairs, tmp_path):
    settings = HiCPlusSettings(patch_size=16, stride=16, band_bins=12, model_kwargs=HiCPlusNetwork(filters=4))
    config = FitConfig(max_epochs=2, batch_size=8, lr=5e-3, seed=0, device="cpu")
    seed_everything(0)
    model, result = train_denoiser(pairs[:1], pairs[1:], settings, config, tmp_path / "m", tmp_path / "w")
    assert result.history[-1]["train_loss"] < result.history[0]["train_loss"]
    loaded = load_model(tmp_path / "m")
    assert isinstance(loaded, Denoiser) and loaded.model_config.kind == "hic.denoiser"
    assert loaded.settings.arch == "hicplus" and loaded.settings.band_bins == 12
    assert (tmp_path / "w" / "metrics.csv").is_file()
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_bin_corrector_ensemble_trains_attaches_and_averages_the_factors(pairs, tmp_path):
    from sciml.hic.bincorrect import apply_log_factor, predict_log_factor
    from sciml.hic.denoise import denoise_matrix
    from sciml.hic.models import load_denoiser
    from sciml.hic.training import (
        attach_correctors,
        corrector_examples,
        load_corrector_examples,
        save_corrector_examples,
        train_bin_corrector,
    )

    seed_everything(0)
    kwargs = {"channels": 8, "depth": 2}
    config = DenoiserSettings(model_kwargs=UNetNetwork(**kwargs), patch_size=16, band_bins=12, bin_tracks=False, reverse_average=False)
    unet = Denoiser(build_net("unet", **asdict(config.model_kwargs)), config)
    save_model(tmp_path / "unet", unet, kind="hic.denoiser", settings=config)
    examples = corrector_examples(pairs, unet, target_band=None)
    assert all(e.features.shape[1] == e.target.size == 48 for e in examples)
    # the shared inputs round-trip exactly (dtypes included)
    loaded = load_corrector_examples(save_corrector_examples(tmp_path / "ex.safetensors", examples))
    for a, b in zip(examples, loaded, strict=True):
        for x, y in ((a.features, b.features), (a.target, b.target), (a.valid, b.valid)):
            assert x.dtype == y.dtype and np.array_equal(x, y)
    correctors = []
    for seed in (0, 1):
        seed_everything(seed)
        fit_config = FitConfig(max_epochs=2, batch_size=1, lr=5e-3, seed=seed, device="cpu")
        corrector, result = train_bin_corrector(loaded[:1], loaded[1:], fit_config, tmp_path / f"c{seed}",
                                                {"channels": 8, "dilations": [1, 2]}, tmp_path / f"w{seed}")
        assert result.history[-1]["train_loss"] < result.history[0]["train_loss"]
        correctors.append(corrector)
    # the seed sets a corrector: the same seed gives the same weights, another seed others
    seed_everything(0)
    again, _ = train_bin_corrector(loaded[:1], loaded[1:], FitConfig(max_epochs=2, batch_size=1, lr=5e-3, seed=0,
                                   device="cpu"), tmp_path / "again", {"channels": 8, "dilations": [1, 2]})
    assert all(torch.equal(a, b) for a, b in zip(again.state_dict().values(), correctors[0].state_dict().values(), strict=True))
    assert not torch.equal(correctors[0].head.weight, correctors[1].head.weight)
    noisy = pairs[0].noisy
    valid = noisy.sum(axis=1) > 0
    plain = denoise_matrix(build_net("unet", **asdict(config.model_kwargs)), noisy, 16, 12)
    factors = [predict_log_factor(c, noisy, plain, valid, 12) for c in correctors]
    for members in ([0], [0, 1]):
        attach_correctors(tmp_path / "unet", [tmp_path / f"c{k}" for k in members], tmp_path / "m")
        denoiser = load_denoiser(tmp_path / "m")
        assert len(denoiser.correctors) == len(members)
        members_extra = denoiser.model_config.extra["correctors"]["members"]
        assert [m["best_epoch"] >= 1 for m in members_extra] == [True] * len(members)
        expected = apply_log_factor(plain, np.mean([factors[k] for k in members], axis=0), valid, 12)
        out = denoiser.denoise(noisy)
        assert np.allclose(out, expected) and np.allclose(out, out.T)
    assert np.array_equal(load_denoiser(tmp_path / "m").correctors[0].head.weight.detach(), correctors[0].head.weight.detach())
    assert len(load_denoiser(tmp_path / "unet").correctors) == 0
    with pytest.raises(ConfigError, match="seeds"):
        attach_correctors(tmp_path / "unet", [], tmp_path / "none")


def test_corrector_examples_file_errors_name_the_file(tmp_path):
    from sciml.errors import InputError
    from sciml.hic.training import load_corrector_examples

    bad = tmp_path / "bad.safetensors"
    bad.write_text("not safetensors")
    with pytest.raises(InputError, match="bad.safetensors"):
        load_corrector_examples(bad)
    with pytest.raises(InputError, match="missing.safetensors"):
        load_corrector_examples(tmp_path / "missing.safetensors")


def test_corrector_targets_fitted_within_a_narrower_band(pairs):
    from sciml.hic.bincorrect import oracle_log_factor
    from sciml.hic.denoise import denoise_chromosome
    from sciml.hic.training import corrector_examples

    seed_everything(0)
    kwargs = {"channels": 8, "depth": 2}
    config = DenoiserSettings(model_kwargs=UNetNetwork(**kwargs), patch_size=16, band_bins=12, bin_tracks=False, reverse_average=False)
    model = Denoiser(build_net("unet", **asdict(config.model_kwargs)), config)
    narrow = corrector_examples(pairs[:1], model, target_band=4)[0]
    full = corrector_examples(pairs[:1], model)[0]
    denoised = denoise_chromosome(model.net, config, pairs[0].noisy)
    assert np.allclose(narrow.target, oracle_log_factor(denoised, pairs[0].clean, narrow.valid, 4))
    assert not np.allclose(narrow.target, full.target)
    assert np.array_equal(narrow.features, full.features)  # only the target changes
    with pytest.raises(ConfigError, match="target_band_bins"):
        corrector_examples(pairs[:1], model, target_band=13)
