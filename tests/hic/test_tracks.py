import numpy as np

from sciml.hic.baselines import balance, ice_weights
from sciml.hic.simulate import thin
from sciml.hic.tracks import N_TRACKS, TRACK_NAMES, bin_tracks, distance_expected, pad_tracks, track_channels


def test_distance_expected_is_the_diagonal_mean_over_valid_bins():
    m = np.add.outer(np.arange(6.0), np.arange(6.0))
    valid = np.array([True, True, False, True, True, True])
    p = distance_expected(m, valid, 2)
    assert p[0] == np.mean([0, 2, 6, 8, 10]) and p[1] == np.mean([1, 7, 9])


def test_tracks_see_chromosome_ends_masked_bins_and_a_boosted_row(small_chrom):
    low = thin(small_chrom.observed, 1 / 4, np.random.default_rng(0))
    balanced, valid = balance(low)
    tracks = bin_tracks(balanced, valid, 40)
    assert tracks.shape == (N_TRACKS, 200) and tracks.dtype == np.float32
    named = dict(zip(TRACK_NAMES, tracks, strict=True))
    assert (tracks[:, ~valid] == 0).all()
    mid = np.flatnonzero(valid)[100]
    # fewer partners at the chromosome ends: lower coverage, larger ICE weight of the distance-only map
    assert named["log_partner_coverage"][valid][0] < named["log_partner_coverage"][mid] - 0.3
    assert named["log_expected_ice_weight"][valid][0] > named["log_expected_ice_weight"][mid]
    assert named["end_distance"][valid][0] < named["end_distance"][mid] == 1.0
    # a row whose contacts are doubled shows up in the observed/expected tracks
    boosted = balanced.copy()
    boosted[mid, :] *= 2
    boosted[:, mid] *= 2
    up = bin_tracks(boosted, valid, 40)
    for k in range(3):
        assert up[k, mid] > tracks[k, mid] + 0.5


def test_track_channels_broadcast_rows_then_columns():
    tracks = pad_tracks(np.arange(10, dtype=np.float32).reshape(2, 5), 8)
    assert tracks.shape == (2, 8) and (tracks[:, 5:] == 0).all()
    ch = track_channels(tracks, 1, 3, 4)
    assert ch.shape == (4, 4, 4)
    assert (ch[0] == tracks[0, 1:5][:, None]).all() and (ch[2] == tracks[0, 3:7][None, :]).all()
    assert (ch[3] == tracks[1, 3:7][None, :]).all()


def test_tiny_maps_give_finite_tracks():
    for n in (1, 2, 3):
        tracks = bin_tracks(np.ones((n, n)), np.ones(n, dtype=bool), 40)
        assert tracks.shape == (N_TRACKS, n) and np.isfinite(tracks).all()


def test_expected_ice_weight_track_equals_dense_ice_of_the_distance_map():
    rng = np.random.default_rng(3)
    n = 120
    valid = rng.random(n) > 0.15
    expected = 50.0 * (1.0 + np.arange(n)) ** -1.1
    distance = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    dense = ice_weights(expected[distance] * np.outer(valid, valid), min_nnz=1, mad_max=0)
    logs = np.log(dense[valid])
    track = bin_tracks(expected[distance], valid, n)[TRACK_NAMES.index("log_expected_ice_weight")]
    np.testing.assert_allclose(track[valid], logs - logs.mean(), atol=1e-6)
    assert (track[~valid] == 0).all()
