import numpy as np
import pytest

from sciml.ecg.evaluate import cross_fitted_ece
from sciml.train.calibration import expected_calibration_error, softmax


def _under_confident(n: int, scale: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Logits whose softmax is too soft by `scale`: labels drawn from softmax(logits / scale)."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 2.0, (n, 3))
    sharp = softmax(logits, 1.0 / scale)
    labels = np.array([rng.choice(3, p=p) for p in sharp])
    return logits, labels


def test_cross_fitted_ece_calibrates_records_it_was_not_fitted_on():
    parts = [_under_confident(1500, 2.0, seed) for seed in range(3)]
    logits = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    records = np.repeat(["a", "b", "c"], 1500)
    before = expected_calibration_error(softmax(logits), labels)
    after = cross_fitted_ece(logits, labels, records)
    assert before > 0.05 and after < 0.03  # the fitted temperatures sharpen (T ~ 0.5)
    assert cross_fitted_ece(logits, labels, records, min_temperature=1.0) == pytest.approx(before)  # bound: identity
    with pytest.raises(ValueError, match="two records"):
        cross_fitted_ece(logits, labels, np.full(len(labels), "a"))
