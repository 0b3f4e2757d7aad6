import numpy as np

from sciml.ecg.detect import detect_r_peaks, score_detections, xqrs_r_peaks
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
