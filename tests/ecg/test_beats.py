import numpy as np
import pytest

from sciml.ecg.beats import (
    RECORD_NORMALISED_RR,
    RR_FEATURES,
    BeatSet,
    annotated_beats,
    extract_beats,
    local_median_beats,
    qrs_amplitude,
    rhythm_context,
    rr_features,
)
from sciml.ecg.records import read_record
from sciml.errors import InputError


def test_rr_features_by_hand():
    r = np.array([0, 100, 200, 260, 400])  # fs 100: RR 1.0, 1.0, 0.6, 1.4 s
    f = rr_features(r, fs=100.0, local_beats=2)
    assert f.shape == (5, len(RR_FEATURES))
    np.testing.assert_allclose(f[3, :4], [0.6, 1.4, 0.8, 1.0], rtol=1e-6)  # pre, post, local (mean of 1.0, 0.6), avg
    np.testing.assert_allclose(f[3, 4:8], [0.6 / 0.8, 1.4 / 0.8, 0.8, 0.6 / 1.4], rtol=1e-6)  # pre, post / local
    np.testing.assert_allclose(f[3, 13:], [0.6, 1.4], rtol=1e-6)  # pre, post / record average (1.0 s)
    assert set(RECORD_NORMALISED_RR) == set(RR_FEATURES) - {"pre_rr_s", "post_rr_s", "local_rr_s", "avg_rr_s"}
    assert f[0, 0] == f[0, 1] == pytest.approx(1.0) and f[-1, 1] == pytest.approx(1.4)


def test_rhythm_context_tells_premature_beats_from_irregular_rhythms():
    rng = np.random.default_rng(0)
    regular = 0.8 + 0.01 * rng.standard_normal(60)
    regular[30], regular[31] = 0.5, 1.1  # beat 31 premature, then the compensatory pause
    ctx = rhythm_context(regular, half_width=10)
    assert ctx.shape == (61, 5)
    assert ctx[:, 0].max() < 0.05 and ctx[:, 1].max() < 0.05  # the premature beat's own RRs are excluded
    assert ctx[31, 2] == pytest.approx(0.5 / 0.8, rel=0.05) and 0.95 < np.median(ctx[:, 2]) < 1.05
    assert ctx[31, 3] == pytest.approx(1.1 / 0.8, rel=0.05)  # post-RR over the context median
    assert ctx[31, 4] == pytest.approx(1.0, abs=0.03)  # 0.5 + 1.1 = 2 x 0.8: full compensatory pause
    reset = regular.copy()
    reset[31] = 0.8  # an atrial premature beat resets the sinus node: no compensatory pause
    assert rhythm_context(reset, half_width=10)[31, 4] == pytest.approx(1.3 / 1.6, rel=0.03)
    fibrillation = rng.gamma(25.0, 0.8 / 25.0, 60)  # independent RR, coefficient of variation 0.2
    irregular = rhythm_context(fibrillation, half_width=10)
    assert irregular[10:-10, 0].min() > 0.08 and irregular[10:-10, 1].min() > 0.08
    bigeminy = np.tile([0.55, 1.05], 30)  # regularly irregular: high at lag 1, low at lag 2
    pattern = rhythm_context(bigeminy, half_width=10)
    assert pattern[10:-10, 0].min() > 0.4 and pattern[10:-10, 1].max() < 1e-9
    assert np.isfinite(rhythm_context(np.array([0.8]))).all()  # two beats: no context, no NaN


def test_premature_beats_have_short_pre_rr(ecg_dir):
    beats = annotated_beats(read_record(ecg_dir / "r1", fs=180))
    pre_rel = beats.rr[:, RR_FEATURES.index("pre_rr_local")]
    assert pre_rel[beats.label == 1].max() < pre_rel[beats.label == 0].min()
    assert beats.waves.shape[1:] == (2, round(0.3 * 180) + round(0.5 * 180))
    # the window keeps only the beat's own samples: nothing within 0.15 s of the neighbouring R peaks
    t = (np.arange(beats.waves.shape[2]) - round(0.3 * 180)) / 180
    near_next = t[None, :] >= beats.rr[:, 1:2] - 0.15
    assert near_next.any() and (beats.waves[:, 0][near_next] == 0).all()


def test_local_median_follows_a_change_of_morphology():
    waves = np.concatenate([np.zeros((300, 4)), np.ones((300, 4))])  # morphology changes half-way
    local = local_median_beats(waves, half_width=50)
    assert (local[:250] == 0).all() and (local[350:] == 1).all()
    np.testing.assert_array_equal(local_median_beats(waves, half_width=10_000),
                                  np.broadcast_to(np.median(waves, axis=0), waves.shape))


def test_edge_beats_kept_with_zeros_beyond_the_record_and_bad_positions_refused(ecg_dir):
    record = read_record(ecg_dir / "r2", fs=180)
    peaks = np.array([10, 400, 800, len(record.signal) - 5])
    beats = extract_beats(record, peaks)
    assert list(beats.sample) == list(peaks) and (beats.label == -1).all()
    before = round(0.3 * 180)
    assert (beats.waves[0, :, : before - 10] == 0).all() and (beats.waves[-1, :, before + 5:] == 0).all()
    with pytest.raises(InputError, match="only 1 beats"):
        extract_beats(record, np.array([400]))
    with pytest.raises(InputError, match="1 beat positions lie outside the signal"):
        extract_beats(record, np.array([400, len(record.signal)]))
    with pytest.raises(InputError, match="not strictly increasing"):
        extract_beats(record, np.array([400, 400, 800]))


def test_save_load_roundtrip_and_subsets(tmp_path, ecg_dir):
    a = annotated_beats(read_record(ecg_dir / "r1", fs=180))
    b = annotated_beats(read_record(ecg_dir / "r2", fs=180))
    both = BeatSet.concatenate([a, b])
    both.meta = {"fs": 180.0}
    both.save(tmp_path / "b.npz")
    back = BeatSet.load(tmp_path / "b.npz")
    assert len(back) == len(a) + len(b) and back.meta == {"fs": 180.0}
    np.testing.assert_array_equal(back.of_records(["r2"]).sample, b.sample)
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="bad.npz"):
        BeatSet.load(tmp_path / "bad.npz")


def test_second_lead_adds_two_channels_and_one_lead_records_get_zeros(ecg_dir, tmp_path, synth, caplog):
    one = annotated_beats(read_record(ecg_dir / "r1", fs=180))
    record = read_record(ecg_dir / "r1", fs=180, second_leads=("V1", "V5", "MLII"))  # MLII is the first lead
    assert (record.lead, record.second_lead) == ("MLII", "V5")
    two = annotated_beats(record, two_leads=True)
    assert two.waves.shape == (len(one), 4, one.waves.shape[2])
    np.testing.assert_array_equal(two.waves[:, :2], one.waves)  # the first lead's channels are unchanged
    np.testing.assert_array_equal(two.rr, one.rr)
    r = two.sample[5:-5]
    assert np.median(np.abs(two.waves[5:-5, 2]).max(axis=1)) == pytest.approx(1.0, abs=0.15)  # scaled by its QRS
    assert qrs_amplitude(-3.0 * record.signal, r, 9) == pytest.approx(3.0 * qrs_amplitude(record.signal, r, 9))
    single = read_record(ecg_dir / "r2", fs=180, second_leads=("V1",))
    assert single.second_lead is None and single.second_signal is None
    assert (annotated_beats(single, two_leads=True).waves[:, 2:] == 0).all()
    synthetic_ecg, write_record = synth
    x, peaks, symbols = synthetic_ecg(360, 30, seed=5)
    lost = x.copy()
    lost[360 * 5: 360 * 9] = 0.0
    path = write_record(tmp_path, "v1off", np.stack([x, lost], axis=1), 360, ["MLII", "V1"], peaks, symbols)
    with caplog.at_level("WARNING", logger="sciml.ecg"):
        off = read_record(path, fs=180, second_leads=("V1",))  # a flat second lead is dropped, not an error
    assert off.second_lead is None and "second lead V1 not used: " in caplog.text and "flat line" in caplog.text
