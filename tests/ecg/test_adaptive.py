import numpy as np

from sciml.ecg.adaptive import adapt_head, adapted_logits


def test_adaptation_learns_the_patients_classes():
    rng = np.random.default_rng(0)
    centers = np.array([[2.0, 0.0], [-2.0, 0.0]])
    labels = rng.integers(0, 2, 200)
    emb = centers[labels] + 0.3 * rng.standard_normal((200, 2))
    w0 = np.zeros((5, 2), dtype=np.float32)  # an uninformative global head
    b0 = np.zeros(5, dtype=np.float32)
    time_s = np.linspace(0, 600, 200)
    logits, adapted = adapted_logits(w0, b0, emb, time_s, labels, adapt_s=300.0, l2=0.01)
    assert adapted.sum() == (time_s < 300).sum()
    assert np.mean(logits[~adapted].argmax(1) == labels[~adapted]) > 0.95


def test_strong_anchor_keeps_global_head():
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal((5, 3)).astype(np.float32)
    b0 = rng.standard_normal(5).astype(np.float32)
    w, b = adapt_head(w0, b0, rng.standard_normal((20, 3)), rng.integers(0, 2, 20), l2=1e4)
    np.testing.assert_allclose(w, w0, atol=1e-3)
    np.testing.assert_allclose(b, b0, atol=1e-3)


def test_prototype_head_prefers_the_nearest_centroid_and_leaves_absent_classes_neutral():
    from sciml.ecg.adaptive import prototype_log_probs

    rng = np.random.default_rng(2)
    labels = np.array([0] * 30 + [2] * 10)
    labelled = np.where(labels[:, None] == 0, 1.0, -1.0) * np.array([[3.0, 0.0]]) + 0.2 * rng.standard_normal((40, 2))
    out = prototype_log_probs(np.array([[2.5, 0.1], [-2.5, 0.0]]), labelled, labels, 5)
    assert out[0].argmax() == 0 and out[1].argmax() == 2
    np.testing.assert_allclose(np.exp(out[:, [0, 2]]).sum(axis=1), 1.0)
    np.testing.assert_allclose(out[:, [1, 3, 4]], np.log(0.5))  # no labelled S, F, Q beats: a uniform guess
