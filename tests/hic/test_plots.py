import numpy as np
import pandas as pd

from sciml.hic.plots import distance_curves, heatmaps


def test_figures_are_written(tmp_path):
    m = np.abs(np.random.default_rng(0).normal(size=(20, 20)))
    m = m + m.T
    heatmaps({"truth": m, "noisy": m * 0.5, "empty": np.zeros((20, 20))}, tmp_path / "h.png", "t")
    table = pd.DataFrame({"method": ["a", "a", "b", "b"], "distance_bp": [0, 10, 0, 10], "pearson": [1, .5, .9, .4]})
    distance_curves(table, tmp_path / "c.png", "t")
    for name in ("h.png", "c.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
