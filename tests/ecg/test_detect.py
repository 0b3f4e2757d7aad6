import numpy as np

from sciml.ecg.detect import detect_r_peaks, merge_close_peaks, score_detections, xqrs_r_peaks
from sciml.ecg.records import read_record


def test_detector_finds_synthetic_beats(ecg_dir):
    record = read_record(ecg_dir / "r1", fs=180)
    score = score_detections(record.ann_sample, detect_r_peaks(record.signal, record.fs), record.fs)
    assert score.sensitivity == 1.0 and score.ppv == 1.0


def test_score_counts_misses_and_extras():
    ref = np.array([100, 300, 500, 700])
    score = score_detections(ref, np.array([102, 310, 900]), fs=100.0)  # window 15 samples
    assert (score.tp, score.fn, score.fp) == (2, 2, 1)
    assert score.sensitivity == 0.5 and score.ppv == 2 / 3


def test_real_record_against_xqrs(mitdb_dir):
    record = read_record(mitdb_dir / "100", fs=180)
    end = int(300 * record.fs)  # first 5 minutes keep the test short
    record.signal, record.ann_sample = record.signal[:end], record.ann_sample[record.ann_sample < end - 20]
    ours = score_detections(record.ann_sample, detect_r_peaks(record.signal, record.fs), record.fs)
    theirs = score_detections(record.ann_sample, xqrs_r_peaks(record.signal, record.fs), record.fs)
    assert ours.sensitivity > 0.995 and ours.ppv > 0.995
    assert theirs.sensitivity > 0.99


def test_merge_drops_double_detections_and_small_waves_beside_a_qrs():
    fs = 100.0
    peaks = np.array([100, 110, 200, 230, 300, 330, 400])  # 110: same QRS; 230: T wave; 330: real close beat
    amplitude = np.array([1.0, 0.9, 1.0, 0.3, 1.0, 0.9, 1.0])
    kept = merge_close_peaks(peaks, amplitude, fs)
    np.testing.assert_array_equal(kept, [100, 200, 300, 330, 400])
    # a beat 0.5 s from its neighbour is kept however small it is
    np.testing.assert_array_equal(merge_close_peaks(np.array([0, 50]), np.array([1.0, 0.1]), fs), [0, 50])


def test_tall_p_waves_do_not_hide_the_qrs(synth):
    """A sharp P wave 180 ms before each QRS: the refractory rule must keep the QRS, not the P wave."""
    from sciml.ecg.records import remove_baseline_and_noise

    synthetic_ecg, _ = synth
    fs = 180.0
    x, r_samples, _ = synthetic_ecg(fs, 60, seed=1)
    t = np.arange(len(x)) / fs
    for rt in r_samples / fs:
        x += 0.6 * np.exp(-0.5 * ((t - rt + 0.18) / 0.012) ** 2)
    x = remove_baseline_and_noise(x, fs)
    score = score_detections(r_samples, detect_r_peaks(x, fs), fs, window_s=0.05)
    assert score.fn == 0 and score.fp == 0


def test_detector_recovers_after_a_large_artefact(synth):
    """A 0.6 s burst 15x the QRS amplitude must not raise the threshold above the following beats."""
    from sciml.ecg.records import remove_baseline_and_noise

    synthetic_ecg, _ = synth
    fs = 180.0
    x, r_samples, _ = synthetic_ecg(fs, 60, seed=2)
    t = np.arange(len(x)) / fs
    burst = (t > 20) & (t < 20.6)
    x[burst] += 15 * np.random.default_rng(0).standard_normal(burst.sum())
    peaks = detect_r_peaks(remove_baseline_and_noise(x, fs), fs)
    start = int(21.5 * fs)
    score = score_detections(r_samples[r_samples > start], peaks[peaks > start - 10], fs)
    assert score.sensitivity > 0.9 and score.fp == 0


def test_flutter_intervals_from_brackets_and_rhythm_annotations(tmp_path):
    import wfdb

    from sciml.ecg.detect import flutter_intervals, outside_intervals

    sample = np.array([10, 100, 200, 300, 400, 500, 600, 700])
    symbol = ["N", "[", "!", "]", "+", "!", "+", "N"]
    aux = ["", "", "", "", "(VFL", "", "(N", ""]
    wfdb.wrann("rec", "atr", sample, symbol=symbol, aux_note=aux, write_dir=str(tmp_path))
    intervals = flutter_intervals(str(tmp_path / "rec"))
    assert intervals.tolist() == [[100, 300], [400, 600]]
    keep = outside_intervals(np.array([50, 150, 350, 450, 650]), intervals)
    assert keep.tolist() == [True, False, True, False, True]
    wfdb.wrann("plain", "atr", sample[:1], symbol=["N"], write_dir=str(tmp_path))
    assert flutter_intervals(str(tmp_path / "plain")).shape == (0, 2)
