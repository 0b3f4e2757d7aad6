import numpy as np
import pytest

from sciml.hic.protocol import HR_CLIP, diagonal_tiles, protocol_scores


def test_tiles_lie_on_the_grid_within_the_bound():
    m = np.arange(100 * 100, dtype=float).reshape(100, 100)
    tiles = diagonal_tiles(m, max_offset_bins=40)
    assert tiles.shape == (4, 40, 40)  # (0, 0), (0, 40), (40, 0), (40, 40); the 80..99 rest is no full tile
    np.testing.assert_array_equal(tiles[1], m[0:40, 40:80])
    assert diagonal_tiles(m, max_offset_bins=0).shape == (2, 40, 40)
    assert diagonal_tiles(m[:30, :30], max_offset_bins=40).shape == (0, 40, 40)


def test_an_output_on_the_parents_scale_scores_perfectly_and_the_clips_apply():
    rng = np.random.default_rng(0)
    n, frac = 90, 0.25
    parent = rng.poisson(400 / (1 + np.abs(np.subtract.outer(np.arange(n), np.arange(n))))).astype(float)
    thinned = rng.binomial(parent.astype(int), frac).astype(float)
    valid = np.ones(n, dtype=bool)
    valid[5] = False
    # any global factor: an output proportional to the parent is put on the parent's depth (up to the thinning's
    # sampling error of the total, 0.1 % here)
    scores = protocol_scores(thinned, {"perfect": parent * 7.0, "noisy": thinned}, parent, frac, 10_000, valid)
    assert scores["protocol_ssim_perfect"] == pytest.approx(1.0, abs=1e-3)
    assert scores["protocol_psnr_perfect"] > 40
    assert scores["protocol_ssim_noisy"] < 1 and np.isfinite(scores["protocol_psnr_noisy"])
    assert 0 < scores["protocol_ssim_raw"] < 1
    assert parent.max() > HR_CLIP  # the diagonal is clipped, so the perfect score is not trivial
    tiny = protocol_scores(thinned[:20, :20], {}, parent[:20, :20], frac, 10_000, valid[:20])
    assert np.isnan(tiny["protocol_ssim_raw"])
