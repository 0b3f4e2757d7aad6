import numpy as np

from sciml.hic.loops import call_loops, donut_kernel, loop_recall_precision, observed_over_expected


def test_oe_is_one_on_a_pure_decay():
    n = 30
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    oe = observed_over_expected((d + 1.0) ** -1)
    assert np.allclose(oe, 1.0)


def test_planted_dot_is_called():
    n = 60
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    m = (d + 1.0) ** -1
    m[19:22, 39:42] *= 4  # a 3x3 dot, as planted loops are Gaussian dots
    m[20, 40] *= 2
    m = np.triu(m) + np.triu(m, 1).T
    found = call_loops(m, enrichment=2.0)
    assert len(found) == 1
    assert loop_recall_precision(found, np.array([[20, 40]]))["recall"] == 1.0
    assert [20, 40] in found.tolist()


def test_scoring_and_kernel():
    res = loop_recall_precision(np.array([[10, 30], [50, 90]]), np.array([[11, 29], [70, 80]]))
    assert res == {"recall": 0.5, "precision": 0.5}
    k = donut_kernel(1, 3)
    assert np.isclose(k.sum(), 1) and k[3, 3] == 0
