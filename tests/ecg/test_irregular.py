import numpy as np

from sciml.ecg.beats import RR_FEATURES, BeatSet
from sciml.ecg.irregular import add_irregular_context, irregular_rr_features

LAG1 = RR_FEATURES.index("context_irregularity_lag1")


def _beats(n: int = 200) -> BeatSet:
    rng = np.random.default_rng(0)
    rr = np.tile(np.array([[0.8, 0.8, 0.8, 0.8, 1, 1, 1, 1, 0.01, 0.01, 1, 1, 1, 1, 1]], dtype=np.float32), (n, 1))
    label = np.where(np.arange(n) % 10 == 0, 1, 0)
    return BeatSet(rng.standard_normal((n, 2, 144)).astype(np.float32) + 1, rr, label, np.arange(n) * 144,
                   np.full(n, "r1"), 180.0, {"before_s": 0.3})


def test_irregular_rr_features_look_like_fibrillation():
    rows = irregular_rr_features(300, np.random.default_rng(1))
    assert rows.shape == (300, len(RR_FEATURES)) and np.isfinite(rows).all()
    assert np.median(rows[:, LAG1]) > 0.08
    assert 0.4 <= rows[:, RR_FEATURES.index("local_rr_s")].mean() <= 1.0


def test_added_beats_are_normal_copies_in_irregular_contexts():
    beats = _beats()
    out = add_irregular_context(beats, 0.25, seed=3)
    n_normal = int((beats.label == 0).sum())
    added = out.subset(np.arange(len(beats), len(out)))
    assert len(added) == round(0.25 * n_normal) and (added.label == 0).all()
    np.testing.assert_array_equal(out.waves[:len(beats)], beats.waves)
    assert added.rr[:, LAG1].min() > beats.rr[:, LAG1].max()
    np.testing.assert_allclose(added.rr[:, RR_FEATURES.index("avg_rr_s")], 0.8)  # the record's own average
    for ratio, seconds in (("pre_rr_avg", "pre_rr_s"), ("post_rr_avg", "post_rr_s")):  # recomputed against it
        np.testing.assert_allclose(added.rr[:, RR_FEATURES.index(ratio)], added.rr[:, RR_FEATURES.index(seconds)] / 0.8,
                                   rtol=1e-5)
    # samples within 0.15 s of the new neighbouring R peaks are zeroed, as extract_beats does
    t = (np.arange(144) - 54) / 180
    near_next = t[None, :] >= added.rr[:, 1:2] - 0.15
    assert (added.waves[:, 0][near_next] == 0).all()
    again = add_irregular_context(beats, 0.25, seed=3)
    np.testing.assert_array_equal(again.rr, out.rr)
    assert add_irregular_context(beats, 0.0, seed=3) is beats
