import numpy as np
import pytest
import torch

from sciml.errors import InputError
from sciml.hic.denoise import denoise_chromosome, denoise_matrix
from sciml.hic.models import Denoiser, build_net
from sciml.hic.settings import HiCPlusNetwork, HiCPlusSettings
from sciml.models import load_model, save_model


def _map(n, seed=0):
    rng = np.random.default_rng(seed)
    m = rng.poisson(20, (n, n)).astype(float)
    return np.triu(m) + np.triu(m, 1).T


@pytest.mark.parametrize("n", [10, 37, 90])
def test_output_is_symmetric_and_identity_model_is_exact_in_band(n):
    model = build_net("unet", channels=8, depth=2)  # zero head = identity
    counts = _map(n)
    out = denoise_matrix(model, counts, patch_size=16, band_bins=12)
    assert out.shape == (n, n) and np.allclose(out, out.T)
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    assert np.allclose(out[d <= 12], counts[d <= 12], rtol=1e-4)
    assert np.array_equal(out[d > 27], counts[d > 27])  # beyond the band + patch: input kept


def test_trained_weights_round_trip(tmp_path):
    torch.manual_seed(0)
    model = build_net("hicplus", filters=4)
    settings = HiCPlusSettings(model_kwargs=HiCPlusNetwork(filters=4), patch_size=16, band_bins=10)
    save_model(tmp_path / "m", Denoiser(model, settings), kind="hic.denoiser", settings=settings)
    loaded = load_model(tmp_path / "m")
    counts = _map(30)
    assert np.allclose(denoise_matrix(model, counts, 16, 10), denoise_matrix(loaded, counts, 16, 10))
    assert np.allclose(loaded.denoise(counts), denoise_matrix(model, counts, 16, 10))
    assert isinstance(loaded, Denoiser) and loaded.settings.band_bins == 10


def test_not_a_denoiser_directory(tmp_path):
    from sciml.hic.bincorrect import BinCorrector
    from sciml.hic.models import load_denoiser

    save_model(tmp_path / "m", BinCorrector(), kind="hic.bin_corrector", settings={"model_kwargs": {}})
    with pytest.raises(InputError, match="not a Hi-C denoiser"):
        load_denoiser(tmp_path / "m")
    with pytest.raises(InputError, match="not a sciml model folder"):
        load_denoiser(tmp_path)
    with pytest.raises(ValueError, match="unknown denoiser"):
        build_net("transformer")


@pytest.mark.parametrize("n", [10, 90])
def test_reverse_average_is_reversal_equivariant_and_keeps_the_identity(n):
    torch.manual_seed(0)
    model = build_net("hicplus", filters=4)  # random weights: not reversal-symmetric itself
    counts = _map(n, seed=1)
    flip = (slice(None, None, -1), slice(None, None, -1))
    plain = denoise_matrix(model, counts, 16, 12)
    averaged = denoise_matrix(model, counts, 16, 12, reverse_average=True)
    of_reversed = denoise_matrix(model, np.ascontiguousarray(counts[flip]), 16, 12, reverse_average=True)
    assert np.allclose(averaged, averaged.T) and np.allclose(of_reversed[flip], averaged)
    assert not np.allclose(averaged, plain)
    reversed_plain = denoise_matrix(model, np.ascontiguousarray(counts[flip]), 16, 12)[flip]
    assert np.allclose(np.log1p(averaged), (np.log1p(plain) + np.log1p(reversed_plain)) / 2)
    identity = build_net("unet", channels=8, depth=2)
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    assert np.allclose(denoise_matrix(identity, counts, 16, 12, reverse_average=True)[d <= 12], counts[d <= 12],
                       rtol=1e-4)


def test_denoise_chromosome_follows_the_configs_reverse_average():
    torch.manual_seed(0)
    model = build_net("hicplus", filters=4)
    counts = _map(40, seed=2)
    config = HiCPlusSettings(patch_size=16, band_bins=12)
    assert np.allclose(denoise_chromosome(model, config, counts), denoise_matrix(model, counts, 16, 12))
    assert np.allclose(denoise_chromosome(model, HiCPlusSettings(patch_size=16, band_bins=12, reverse_average=True),
                                          counts),
                       denoise_matrix(model, counts, 16, 12, reverse_average=True))
