import numpy as np
import pytest

from sciml.errors import ConfigError
from sciml.hic.realpairs import informative, log_uniform_fractions, replicate_pairs, thinned_pairs


def _library(n, seed, depth=400.0):
    rng = np.random.default_rng(seed)
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    m = np.triu(rng.poisson(depth / (d + 1)))
    return m + np.triu(m, 1).T


def test_fractions_are_log_uniform_and_seeded():
    f = log_uniform_fractions(1 / 256, 1 / 4, 4000, np.random.default_rng(0))
    assert f.min() >= 1 / 256 and f.max() <= 1 / 4
    logs = np.log(f)
    assert abs(np.median(logs) - np.log(1 / 32)) < 0.1  # the log-midpoint of [1/256, 1/4]
    np.testing.assert_array_equal(f[:5], log_uniform_fractions(1 / 256, 1 / 4, 4000, np.random.default_rng(0))[:5])
    with pytest.raises(ConfigError):
        log_uniform_fractions(0.5, 0.1, 3, np.random.default_rng(0))


def test_thinned_pairs_target_the_complement_and_other_libraries():
    a, b = _library(60, 1), _library(60, 2)
    pairs = thinned_pairs(a, {"b": b}, [0.1, 0.3], np.random.default_rng(0))
    assert len(pairs) == 4  # per fraction: the complement, then library b
    for pair in pairs:
        keep = np.outer(pair.valid, pair.valid)
        assert pair.noisy.shape == pair.clean.shape == (60, 60)
        assert np.isclose(pair.clean.sum(), pair.noisy[keep].sum())  # target on the input's scale
        assert np.all(pair.clean[~keep] == 0)
    # the complement of a 10 % thinning is deeper than the input: its ICE map is closer to a's
    assert not np.allclose(pairs[0].noisy, pairs[0].clean)
    assert pairs[0].noisy.sum() < pairs[2].noisy.sum()  # a 30 % copy keeps more contacts


def test_replicate_pairs_pair_every_library_with_the_others_and_empty_regions_are_dropped():
    libs = {"r1": _library(40, 1), "r2": _library(40, 2), "r3": _library(40, 3)}
    pairs = replicate_pairs(libs, {k: [0.2] for k in libs}, np.random.default_rng(0))
    assert len(pairs) == 3 * 3
    sparse = _library(40, 4)
    sparse[15:] = 0
    sparse[:, 15:] = 0
    few = thinned_pairs(sparse, {}, [0.5], np.random.default_rng(0))
    assert informative(pairs + few, 20) == pairs


def test_a_copy_too_sparse_to_balance_is_left_out():
    a = _library(30, 1)
    pairs = thinned_pairs(a, {}, [1e-7, 0.5], np.random.default_rng(0))  # the first copy keeps no contact
    assert len(pairs) == 1 and pairs[0].noisy.sum() > 0
