import numpy as np

from sciml.ecg.scores import class_scores, confusion, macro_f1


def test_scores_by_hand():
    labels = np.array([0, 0, 0, 1, 1, 2])
    pred = np.array([0, 0, 1, 1, 0, 2])
    m = confusion(labels, pred)
    assert m[0, 1] == 1 and m[1, 0] == 1 and m.sum() == 6
    s = class_scores(labels, pred)
    assert s["accuracy"] == 4 / 6
    assert s["N_se"] == 2 / 3 and s["N_ppv"] == 2 / 3 and s["S_se"] == 0.5 and s["V_ppv"] == 1.0
    assert np.isnan(s["F_se"]) and np.isnan(s["F_ppv"]) and s["F_n"] == 0
    assert macro_f1(labels, pred) == np.mean([2 / 3, 0.5, 1.0])  # absent classes do not count
