import numpy as np

from sciml.ecg.aberrant import add_aberrant_copies, widen_qrs
from sciml.ecg.beats import RR_FEATURES, BeatSet


def _qrs_beats(n: int = 40) -> BeatSet:
    """Windows of 144 samples at 180 Hz, R peak at sample 54: a P wave at -0.2 s and a 60 ms triangular QRS."""
    t = (np.arange(144) - 54) / 180
    wave = np.exp(-((t + 0.2) / 0.02) ** 2) * 0.2 + np.clip(1 - np.abs(t) / 0.03, 0, None)
    median = 0.9 * wave
    waves = np.stack([np.stack([wave, wave - median])] * n).astype(np.float32)
    rr = np.tile(np.full((1, len(RR_FEATURES)), 0.8, dtype=np.float32), (n, 1))
    label = np.where(np.arange(n) % 4 == 0, 1, 0)  # every fourth beat S
    return BeatSet(waves, rr, label, np.arange(n) * 144, np.full(n, "r1"), 180.0, {"before_s": 0.3})


def width_at_half_maximum(wave: np.ndarray) -> int:
    return int((wave > 0.5 * wave.max()).sum())


def test_widen_qrs_keeps_the_r_peak_and_widens_the_complex():
    beats = _qrs_beats(2)
    out = widen_qrs(beats.waves, np.array([1.0, 2.0]), r_index=54, onset=7)
    np.testing.assert_allclose(out[0], beats.waves[0], atol=1e-6)  # factor 1: unchanged
    assert np.argmax(out[1, 0]) == 54 and out[1, 0, 54] == beats.waves[1, 0, 54]
    assert width_at_half_maximum(out[1, 0]) >= 2 * width_at_half_maximum(beats.waves[1, 0]) - 1
    p_before, p_after = np.argmax(beats.waves[1, 0, :40]), np.argmax(out[1, 0, :40])
    assert p_before - p_after == 7  # the P wave is kept, moved earlier by onset * (factor - 1)


def test_aberrant_copies_are_wide_s_beats_with_their_rr_features():
    beats = _qrs_beats()
    out = add_aberrant_copies(beats, 2, seed=5)
    n_s = int((beats.label == 1).sum())
    added = out.subset(np.arange(len(beats), len(out)))
    assert len(added) == 2 * n_s and (added.label == 1).all()
    np.testing.assert_array_equal(out.waves[:len(beats)], beats.waves)
    np.testing.assert_array_equal(added.rr, beats.rr[beats.label == 1].repeat(2, axis=0))
    widths = [width_at_half_maximum(w) for w in added.waves[:, 0]]
    assert min(widths) > width_at_half_maximum(beats.waves[0, 0])
    # channel 1 is the widened window minus the same local median beat (0.9 x the original window)
    t = (np.arange(144) - 54) / 180
    inside = t < 0.8 - 0.15
    np.testing.assert_allclose((added.waves[:, 0] - added.waves[:, 1])[:, inside],
                               np.broadcast_to(0.9 * beats.waves[0, 0, inside], (len(added), inside.sum())), atol=1e-5)
    # samples within 0.15 s of the neighbouring R peaks are zero, as extract_beats leaves them
    assert (added.waves[:, :, t >= 0.8 - 0.15] == 0).all()
    np.testing.assert_array_equal(add_aberrant_copies(beats, 2, seed=5).waves, out.waves)
    assert add_aberrant_copies(beats, 0, seed=5) is beats


def test_aberrant_copies_widen_every_lead_of_two_lead_beats():
    beats = _qrs_beats()
    one = add_aberrant_copies(beats, 1, seed=3)
    second = beats.waves.copy()
    second[:, 0] *= -0.5  # a second lead: the same complex, inverted and smaller (V1-like)
    second[:, 1] = second[:, 0] - 0.8 * second[:, 0]
    two = add_aberrant_copies(BeatSet(np.concatenate([beats.waves, second], axis=1), beats.rr, beats.label,
                                      beats.sample, beats.record, beats.fs, beats.meta), 1, seed=3)
    np.testing.assert_array_equal(two.waves[:, :2], one.waves)  # the first lead as with one lead
    added = two.waves[len(beats):]
    assert min(width_at_half_maximum(-w) for w in added[:, 2]) > width_at_half_maximum(-second[0, 0])
    inside = (np.arange(144) - 54) / 180 < 0.8 - 0.15
    np.testing.assert_allclose((added[:, 2] - added[:, 3])[:, inside],
                               np.broadcast_to(0.8 * second[0, 0, inside], (len(added), inside.sum())), atol=1e-5)
