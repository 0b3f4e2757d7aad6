import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.hic.biases import BiasParams
from sciml.hic.dataset import write_simulated_split
from sciml.hic.denoise import load_model
from sciml.hic.simulate import SimulationParams
from sciml.hic.training import DenoiserSettings, simulated_pairs, train_denoiser
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
    settings = DenoiserSettings(patch_size=16, stride=16, band_bins=12, arch="hicplus", model_kwargs={"filters": 4})
    config = FitConfig(max_epochs=2, batch_size=8, lr=5e-3, seed=0, device="cpu")
    seed_everything(0)
    model, result = train_denoiser(pairs[:1], pairs[1:], settings, config, tmp_path / "m", tmp_path / "w")
    assert result.history[-1]["train_loss"] < result.history[0]["train_loss"]
    loaded, saved = load_model(tmp_path / "m")
    assert saved["arch"] == "hicplus" and saved["band_bins"] == 12
    assert (tmp_path / "w" / "metrics.csv").is_file()
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_bin_corrector_trains_saves_beside_the_denoiser_and_is_applied(pairs, tmp_path):
    from sciml.hic.bincorrect import apply_log_factor, predict_log_factor
    from sciml.hic.denoise import build_model, denoise_matrix, load_denoiser
    from sciml.hic.training import corrector_examples, train_bin_corrector
    from sciml.train.checkpoint import save_model_dir

    seed_everything(0)
    kwargs = {"channels": 8, "depth": 2}
    config = {"arch": "unet", "model_kwargs": kwargs, "patch_size": 16, "band_bins": 12}
    save_model_dir(tmp_path / "unet", build_model("unet", **kwargs), config)
    examples = corrector_examples(pairs, build_model("unet", **kwargs), config)
    assert all(e.features.shape[1] == e.target.size == 48 for e in examples)
    fit_config = FitConfig(max_epochs=2, batch_size=1, lr=5e-3, seed=0, device="cpu")
    corrector, result = train_bin_corrector(examples[:1], examples[1:], tmp_path / "unet", fit_config, tmp_path / "m",
                                            {"channels": 8, "dilations": [1, 2]}, tmp_path / "w")
    assert result.history[-1]["train_loss"] < result.history[0]["train_loss"]
    denoiser = load_denoiser(tmp_path / "m")
    assert denoiser.corrector is not None and denoiser.config["bin_corrector"]["best_epoch"] >= 1
    noisy = pairs[0].noisy
    valid = noisy.sum(axis=1) > 0
    plain = denoise_matrix(denoiser.model, noisy, 16, 12)
    expected = apply_log_factor(plain, predict_log_factor(corrector, noisy, plain, valid, 12), valid, 12)
    out = denoiser(noisy)
    assert np.allclose(out, expected) and np.allclose(out, out.T)
    assert load_denoiser(tmp_path / "unet").corrector is None


def test_corrector_targets_fitted_within_a_narrower_band(pairs):
    from sciml.hic.bincorrect import oracle_log_factor
    from sciml.hic.denoise import build_model, denoise_chromosome
    from sciml.hic.training import corrector_examples

    seed_everything(0)
    kwargs = {"channels": 8, "depth": 2}
    config = {"arch": "unet", "model_kwargs": kwargs, "patch_size": 16, "band_bins": 12}
    model = build_model("unet", **kwargs)
    narrow = corrector_examples(pairs[:1], model, config, target_band=4)[0]
    full = corrector_examples(pairs[:1], model, config)[0]
    denoised = denoise_chromosome(model, config, pairs[0].noisy)
    assert np.allclose(narrow.target, oracle_log_factor(denoised, pairs[0].clean, narrow.valid, 4))
    assert not np.allclose(narrow.target, full.target)
    assert np.array_equal(narrow.features, full.features)  # only the target changes
    with pytest.raises(ConfigError, match="target_band_bins"):
        corrector_examples(pairs[:1], model, config, target_band=13)
