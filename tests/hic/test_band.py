import numpy as np
import pytest

from sciml.hic.band import BandMatrix, band_to_dense, reverse_band
from sciml.hic.baselines import ice_weights, ice_weights_pixels
from sciml.hic.bincorrect import apply_log_factor, apply_log_factor_band, bin_features
from sciml.hic.tracks import bin_tracks, distance_expected


def _map(n=60, seed=0):
    rng = np.random.default_rng(seed)
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    m = rng.poisson(300.0 / (d + 1) ** 1.2).astype(float)
    m = np.triu(m) + np.triu(m, 1).T
    valid = np.ones(n, dtype=bool)
    valid[[7, 8, 30]] = False
    return m, valid


def test_band_holds_the_near_diagonal_and_summaries_of_the_rest():
    m, valid = _map()
    masked = m * np.outer(valid, valid)
    bm = BandMatrix.from_dense(m, valid, width=10)
    d = np.abs(np.subtract.outer(np.arange(60), np.arange(60)))
    np.testing.assert_array_equal(bm.to_dense(), np.where(d <= 10, masked, 0))
    np.testing.assert_allclose(bm.far_sums, np.where(d > 10, masked, 0).sum(axis=1))
    np.testing.assert_allclose(bm.expected(), distance_expected(m, valid, 59))
    assert bm.valid_total() == pytest.approx(masked.sum())
    np.testing.assert_array_equal(bm.patch(20, 22, 8), masked[20:28, 22:30])
    np.testing.assert_array_equal(bm.patch(55, 55, 8)[:5, :5], masked[55:, 55:])
    with pytest.raises(ValueError):
        bm.patch(0, 20, 8)


def test_reversal_and_dense_assembly():
    m, valid = _map()
    bm = BandMatrix.from_dense(m, valid, width=12)
    flipped = BandMatrix.from_dense(m[::-1, ::-1], valid[::-1], width=12)
    np.testing.assert_array_equal(bm.reversed().values, flipped.values)
    np.testing.assert_array_equal(reverse_band(reverse_band(bm.values)), bm.values)
    outside = np.full((60, 60), -1.0)
    dense = band_to_dense(bm.values[:, :4], outside)
    d = np.abs(np.subtract.outer(np.arange(60), np.arange(60)))
    np.testing.assert_array_equal(dense[d <= 3], (m * np.outer(valid, valid))[d <= 3])
    assert (dense[d > 3] == -1).all()


def test_tracks_features_and_factor_on_a_band_equal_the_dense_ones():
    m, valid = _map()
    balanced = m * np.outer(valid, valid)
    bm = BandMatrix.from_dense(balanced, valid, width=100)
    np.testing.assert_allclose(bin_tracks(bm, valid, 15), bin_tracks(balanced, valid, 15), atol=1e-5)
    np.testing.assert_allclose(bin_features(bm, bm, valid, 15), bin_features(balanced, balanced, valid, 15),
                               atol=1e-5)
    factor = np.where(valid, np.random.default_rng(1).normal(0, 0.2, 60), 0)
    dense = apply_log_factor(balanced, factor, valid, 9)
    np.testing.assert_allclose(band_to_dense(apply_log_factor_band(bm.values[:, :10], factor, valid), balanced),
                               dense)


def test_ice_from_pixels_equals_dense_ice():
    m, _ = _map(80, 3)
    i, j = np.nonzero(np.triu(m))
    a, b = ice_weights(m), ice_weights_pixels(i, j, m[i, j], 80)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_allclose(a[np.isfinite(a)], b[np.isfinite(b)], rtol=1e-9)


def test_with_near_on_a_chromosome_shorter_than_the_band():
    m, _ = _map(40, 2)
    m, valid = m[:12, :12], np.ones(12, dtype=bool)
    bm = BandMatrix.from_dense(m, valid, width=30)
    doubled = bm.with_near(2 * bm.values[:, :20])
    np.testing.assert_allclose(doubled.diag_sums, 2 * bm.diag_sums)
    np.testing.assert_array_equal(doubled.to_dense(), 2 * bm.to_dense())
