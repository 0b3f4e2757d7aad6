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
