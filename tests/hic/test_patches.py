import numpy as np
import torch

from sciml.hic.patches import (
    PatchDataset,
    band_positions,
    decode_counts,
    distance_channel,
    encode_counts,
    in_band,
    pad_to,
)


def test_positions_cover_the_band():
    n, size, band = 100, 16, 20
    covered = np.zeros((n, n), dtype=bool)
    for i0, j0 in band_positions(n, size, 8, band):
        assert j0 >= i0 and i0 + size <= n and j0 + size <= n
        covered[i0:i0 + size, j0:j0 + size] = True
    d = np.subtract.outer(np.arange(n), np.arange(n))
    assert covered[(-d >= 0) & (-d <= band)].all()


def test_small_chromosome_has_one_padded_patch():
    assert band_positions(10, 16, 8, 50) == [(0, 0)]
    assert pad_to(np.ones((10, 10)), 16).shape == (16, 16)
    mask = in_band(0, 0, 16, 50, 10)
    assert mask[:10, :10].all() and not mask[10:].any()


def test_encoding_round_trip_and_distance_channel():
    x = np.array([[0.0, 3.0], [3.0, 10.0]])
    assert np.allclose(decode_counts(encode_counts(x)), x, rtol=1e-5)
    ch = distance_channel(0, 4, 4, 7)
    assert ch.shape == (4, 4) and ch[0, 3] == np.float32(1.0) and ch.min() > 0


def test_dataset_items_shapes_and_weights():
    n = 40
    m = np.arange(n * n, dtype=np.float32).reshape(n, n)
    valid = np.ones(n, dtype=bool)
    valid[5] = False
    ds = PatchDataset([m], [m + 1], [valid], size=16, stride=8, band=10)
    x, y, w = ds[0]
    assert x.shape == (2, 16, 16) and y.shape == (1, 16, 16) and w.shape == (1, 16, 16)
    assert torch.equal(y[0], x[0] + 1)
    assert w[0, 5].sum() == 0 and w[0, 0, 15] == 0 and w[0, 0, 10] == 1


def test_dataset_with_tracks_adds_row_and_column_channels():
    n = 20
    m = np.ones((n, n), dtype=np.float32)
    tracks = np.arange(2 * n, dtype=np.float32).reshape(2, n)
    ds = PatchDataset([m], [m], [np.ones(n, dtype=bool)], size=8, stride=8, band=10, tracks=[tracks])
    k, i0, j0 = ds.index[1]
    x, _, _ = ds[1]
    assert x.shape == (6, 8, 8)
    assert torch.equal(x[2, :, 0], torch.from_numpy(tracks[0, i0:i0 + 8]))
    assert torch.equal(x[5, 0], torch.from_numpy(tracks[1, j0:j0 + 8]))
