import numpy as np
import pandas as pd

from sciml.crystals.evaluate import Predictions
from sciml.crystals.plots import learning_curve_plot, parity_plot


def test_figures_are_written(tmp_path, cu_alloy):
    prediction = Predictions(np.array([cu_alloy.get_potential_energy() + 0.01]), [cu_alloy.get_forces() * 0.9], 1.0)
    parity = parity_plot(tmp_path / "parity.png", [cu_alloy], prediction, "test")
    curve = pd.DataFrame({"family": ["metals"] * 4, "model": ["invariant", "invariant", "equivariant", "equivariant"],
                          "n_train": [10, 30, 10, 30], "energy_mae_mev_per_atom": [9.0, 5.0, 8.0, 4.0],
                          "force_mae_mev_per_A": [90.0, 60.0, 80.0, 50.0]})
    plot = learning_curve_plot(tmp_path / "curve.png", curve)
    for path in (parity, plot):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curve.png", "parity.png"]
