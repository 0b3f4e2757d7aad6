import numpy as np

from sciml.train.calibration import expected_calibration_error, fit_temperature, reliability_bins, softmax


def test_temperature_recovers_overconfidence():
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 5)) * 1.5
    labels = np.array([rng.choice(5, p=p) for p in softmax(true_logits)])
    over = 3.0 * true_logits  # an over-confident model
    t = fit_temperature(over, labels)
    assert 2.5 < t < 3.5
    assert expected_calibration_error(softmax(over, t), labels) < expected_calibration_error(softmax(over), labels)
    assert expected_calibration_error(softmax(over, t), labels) < 0.03


def test_ece_by_hand():
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    labels = np.array([0, 1, 0, 0])
    # bins: conf 0.9 -> acc 0.5 (gap 0.4); conf 0.6 -> acc 1.0 (gap 0.4)
    assert abs(expected_calibration_error(probs, labels, n_bins=10) - 0.4) < 1e-12
    conf, acc, count = reliability_bins(probs, labels, n_bins=10)
    assert count.sum() == 4 and np.isnan(conf[0])
