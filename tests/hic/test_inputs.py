from dataclasses import asdict, replace

import numpy as np
import pytest
import torch

from sciml.hic.band import BandMatrix
from sciml.hic.baselines import balance, gaussian_smooth
from sciml.hic.denoise import band_width
from sciml.hic.inputs import (
    DEPTH_SCALE,
    baseline_band,
    baseline_reach,
    depth_value,
    gaussian_smooth_band,
    input_bands,
)
from sciml.hic.models import Denoiser, build_net
from sciml.hic.patches import encode_counts
from sciml.hic.settings import DenoiserSettings, RealDenoiser, UNetNetwork


def _map(n, seed=0, masked=(3, 4, 40)):
    rng = np.random.default_rng(seed)
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    m = np.triu(rng.poisson(500.0 / (d + 1)))
    m = m + np.triu(m, 1).T
    valid = np.ones(n, bool)
    valid[[k for k in masked if k < n]] = False
    return (m * np.outer(valid, valid)).astype(float), valid


@pytest.mark.parametrize("n", [30, 300, 600])  # shorter than, about and longer than a tile of rows
def test_band_smoothing_equals_the_dense_baseline_within_the_band(n):
    m, valid = _map(n)
    width = 40
    bm = BandMatrix.from_dense(m, valid, width)
    smooth = gaussian_smooth_band(bm, 1.0)
    dense = gaussian_smooth(m, 1.0, valid)
    assert smooth.shape == (n, width + 1)
    for d in range(min(width - 8, n - 1) + 1):  # exact up to width - 2 x radius (radius 4 at sigma 1)
        np.testing.assert_allclose(smooth[: n - d, d], np.diagonal(dense, d), rtol=1e-10, atol=1e-10)
    assert np.all(smooth[~valid] == 0)


def test_depth_channel_reads_contacts_per_valid_bin():
    m, valid = _map(50)
    bm = BandMatrix.from_dense(m, valid, 60)
    assert depth_value(bm) == pytest.approx(np.log10(m.sum() / valid.sum()) / DEPTH_SCALE)


def test_input_bands_per_baseline():
    m, valid = _map(80)
    bm = BandMatrix.from_dense(m, valid, 60)
    ice = input_bands(bm, DenoiserSettings())
    assert ice.extra == [] and ice.depth is None and np.array_equal(ice.first, encode_counts(bm.values))
    gauss = input_bands(bm, RealDenoiser())
    assert np.array_equal(gauss.extra[0], ice.first) and gauss.depth == depth_value(bm)
    np.testing.assert_allclose(gauss.first, encode_counts(gaussian_smooth_band(bm, 1.0)))
    assert baseline_band(bm, DenoiserSettings(band_bins=10)).shape == (80, 11)


def test_untrained_real_denoiser_returns_ice_plus_gauss_out_to_twice_the_band():
    torch.manual_seed(0)
    counts, _ = _map(90, masked=(5, 50))
    balanced, valid = balance(counts)
    settings = RealDenoiser(patch_size=16, stride=12, band_bins=20, model_kwargs=replace(
        RealDenoiser().model_kwargs, channels=4, depth=1))
    settings = replace(settings, model_kwargs=replace(settings.model_kwargs, in_channels=settings.input_channels()))
    assert settings.input_channels() == 2 + 14 + 1 + 1
    net = build_net("unet", **asdict(settings.model_kwargs))
    out = Denoiser(net, settings).denoise(balanced)
    expected = gaussian_smooth(balanced, 1.0, valid)
    d = np.abs(np.subtract.outer(np.arange(90), np.arange(90)))
    width = band_width(16, 20)
    assert baseline_reach(settings, width) == 40
    inside = (d <= 40) & np.outer(valid, valid)  # the model within its band, its baseline beyond
    np.testing.assert_allclose(out[inside], expected[inside], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out[d > 40], balanced[d > 40])  # further out: the input
    assert baseline_reach(settings, 45) == 37  # only as far as the held band smooths exactly (radius 4)
    assert baseline_reach(replace(settings, baseline="ice"), width) == 20
    np.testing.assert_allclose(baseline_band(BandMatrix.from_dense(balanced, valid, width), settings)[:, 0],
                               np.diagonal(expected, 0), rtol=1e-10)


def test_ice_settings_input_channels_unchanged():
    assert DenoiserSettings(bin_tracks=False).input_channels() == 2
    assert DenoiserSettings(model_kwargs=UNetNetwork()).input_channels() == 16
