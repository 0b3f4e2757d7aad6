import numpy as np
import pytest

from sciml.hic.metrics import distance_pearson, patch_ssim_psnr, psnr, scc, ssim
from sciml.hic.simulate import thin


def test_scc_identity_and_noise_ordering(small_chrom):
    truth = small_chrom.expected
    valid = ~small_chrom.dead
    assert scc(truth, truth, 30, valid=valid) == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    high = thin(small_chrom.observed, 1 / 2, rng)
    low = thin(small_chrom.observed, 1 / 100, rng)
    assert scc(high, truth, 30, valid=valid) > scc(low, truth, 30, valid=valid) > 0


def test_scc_is_scale_invariant(small_chrom):
    m = small_chrom.observed.astype(float)
    assert scc(m, 3 * m, 20) == pytest.approx(1.0)


def test_distance_pearson_curve(small_chrom):
    m = small_chrom.observed.astype(float)
    curve = distance_pearson(m, m, 10, ~small_chrom.dead)
    assert curve.shape == (11,) and np.allclose(curve, 1.0)


def test_ssim_psnr_known_values():
    rng = np.random.default_rng(0)
    x = rng.random((40, 40))
    assert ssim(x, x) == pytest.approx(1.0)
    assert psnr(x, x) == float("inf")
    y = np.clip(x + 0.1, 0, 1)
    assert ssim(x, y) < 1 and 10 < psnr(x, y) < 30
    assert psnr(np.zeros((4, 4)), np.full((4, 4), 0.1)) == pytest.approx(20.0)


def test_patch_ssim_prefers_the_deeper_map(small_chrom):
    truth = small_chrom.expected
    rng = np.random.default_rng(1)
    deep, shallow = thin(small_chrom.observed, 1 / 2, rng), thin(small_chrom.observed, 1 / 64, rng)
    s_deep, p_deep = patch_ssim_psnr(deep, truth, 40, ~small_chrom.dead)
    s_low, p_low = patch_ssim_psnr(shallow, truth, 40, ~small_chrom.dead)
    assert s_deep > s_low and p_deep > p_low
