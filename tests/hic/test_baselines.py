import cooler
import numpy as np
import pytest

from sciml.errors import InputError
from sciml.hic.baselines import apply_weights, balance, gaussian_smooth, ice_weights, unbalance
from sciml.hic.io import write_cool
from sciml.hic.simulate import thin


def test_ice_matches_cooler_balance_cooler(small_chrom, tmp_path):
    counts = thin(small_chrom.observed, 1 / 4, np.random.default_rng(0))
    ours = ice_weights(counts, ignore_diags=2)
    path = write_cool(tmp_path / "m.cool", {"c": counts}, binsize=1000)
    theirs, _ = cooler.balance_cooler(cooler.Cooler(str(path)), ignore_diags=2, store=False, max_iters=1000,
                                      tol=1e-8)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    ok = np.isfinite(ours)
    assert np.allclose(ours[ok], theirs[ok], rtol=2e-3)


def test_ice_recovers_planted_biases(small_chrom):
    w = ice_weights(small_chrom.expected)
    ok = np.isfinite(w) & ~small_chrom.dead
    # ICE equalises marginals, so it recovers b_i up to the structure's own marginal variation
    # (largest at the chromosome ends): the log-biases still agree closely.
    assert np.corrcoef(np.log(1 / w[ok]), np.log(small_chrom.bias[ok]))[0, 1] > 0.95
    assert np.isnan(w[small_chrom.dead]).all()


def test_balance_keeps_total_and_masks(small_chrom):
    b, valid = balance(small_chrom.observed.astype(float))
    assert np.allclose(b, b.T)
    assert np.isclose(b.sum(), small_chrom.observed[np.ix_(valid, valid)].sum())
    assert (b[~valid] == 0).all()


def test_empty_map_cannot_be_balanced():
    with pytest.raises(InputError, match="masked every bin"):
        ice_weights(np.zeros((5, 5)), path="empty.cool")


def test_apply_weights_and_masked_smoothing():
    m = np.ones((6, 6))
    assert np.allclose(apply_weights(m, np.array([1, 2, np.nan, 1, 1, 1.0]))[1, 1], 4)
    valid = np.array([True, True, False, True, True, True])
    s = gaussian_smooth(m, 1.0, valid)
    assert np.allclose(s[np.ix_(valid, valid)], 1.0) and (s[2] == 0).all()


def test_unbalance_inverts_the_weights(small_chrom):
    counts = small_chrom.observed.astype(float)
    weights = ice_weights(counts)
    valid = np.isfinite(weights)
    back = unbalance(apply_weights(counts, weights), weights)
    assert np.allclose(back[np.ix_(valid, valid)], counts[np.ix_(valid, valid)])
    assert (back[~valid] == 0).all()
