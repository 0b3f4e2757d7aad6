"""Reference grids and the relative L2 error of a model on them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError, InputError
from sciml.pinn import evaluate
from sciml.pinn.evaluate import grid_error, reference_grid, reference_points, validation_points
from sciml.pinn.models import PINN
from sciml.pinn.network import MLP


class _Exact(PINN):
    """A 'model' that returns the analytic heat solution (zero error) or a scaled copy."""

    def __init__(self, scale: float) -> None:
        super().__init__(MLP((0.0, 0.0), (1.0, 1.0), width=2, depth=2).double())
        self.scale = scale

    def forward(self, x):
        return self.scale * torch.exp(-(torch.pi**2) * 0.4 * x[:, 1:2]) * torch.sin(torch.pi * x[:, 0:1])


def test_grid_error_is_relative_l2():
    grid = reference_grid("heat")
    assert grid.points.shape == (201 * 201, 2) and grid.u.shape == (201, 201)
    assert grid_error(_Exact(1.0), grid) < 1e-14
    assert grid_error(_Exact(1.1), grid) == pytest.approx(0.1, rel=1e-9)


def test_burgers_grid_matches_the_published_grid(data_mirror, tmp_path):
    from sciml.data import fetch

    folder = fetch("pinn-reference", root=tmp_path, mirror=data_mirror)
    with_file, rebuilt = reference_grid("burgers", folder), reference_grid("burgers")
    assert np.array_equal(with_file.axes[0], rebuilt.axes[0]) and np.allclose(with_file.u, rebuilt.u)
    assert reference_grid("allen_cahn", folder).u.shape == (512, 201)


def test_kuramoto_sivashinsky_grid_is_jaxpis_first_window(data_mirror, tmp_path):
    from sciml.data import fetch
    from sciml.pinn.reference import ks_initial

    grid = reference_grid("kuramoto_sivashinsky", fetch("pinn-benchmarks", root=tmp_path, mirror=data_mirror))
    x, t = grid.axes
    assert grid.u.shape == (512, 25) and x[0] == 0.0 and x[-1] == pytest.approx(2 * np.pi)
    assert t[0] == 0.0 and t[-1] == pytest.approx(0.096)
    assert np.allclose(grid.u[:, 0], ks_initial(x), atol=1e-10)
    assert np.allclose(grid.u[0], grid.u[-1])  # periodic: the last x repeats the first


def test_allen_cahn_needs_the_data_and_unknown_problems_raise():
    with pytest.raises(ConfigError, match="pinn-reference"):
        reference_grid("allen_cahn")
    with pytest.raises(ConfigError, match="pinn-benchmarks"):
        reference_grid("kuramoto_sivashinsky")
    with pytest.raises(ConfigError, match="navier"):
        reference_grid("navier")


def test_rathore_grids_and_five_dimensional_nodes():
    for name, x_end in (("convection", 2 * np.pi), ("reaction", 2 * np.pi), ("wave", 1.0)):
        grid = reference_grid(name)
        assert grid.u.shape == (129, 101) and grid.axes[0][-1] == pytest.approx(x_end) and grid.axes[1][-1] == 1.0
    assert np.allclose(reference_grid("convection").u[:, 0], np.sin(reference_grid("convection").axes[0]))
    pnd, hnd = reference_points("poisson_nd", None), reference_points("heat_nd", None)
    assert pnd.points.shape == (32768, 5) and hnd.points.shape == (32768, 6) and pnd.values.shape == (32768, 1)
    assert np.all((pnd.points > 0) & (pnd.points < 1)) and np.all(np.linalg.norm(hnd.points[:, :5], axis=1) < 1)
    assert np.array_equal(reference_points("poisson_nd", None).points, pnd.points)  # a fixed test set


def test_heat_2d_ms_test_grid_has_pinnacles_time_levels_and_validation_nodes_are_other_points():
    from sciml.pinn.reference import heat_2d_ms_exact

    test = reference_points("heat_2d_ms", None)
    assert test.points.shape == (201 * 51 * 26, 3) and test.names == ("x", "y", "t")
    assert np.allclose(np.unique(test.points[:, 2]), np.linspace(0.0, 5.0, 26))
    assert np.allclose(np.unique(test.points[:, 0]), np.linspace(0.0, 1.0, 201))
    assert np.allclose(test.values.ravel(), heat_2d_ms_exact(test.points))
    val = validation_points("heat_2d_ms")
    assert val.points.shape == (20000, 3) and np.allclose(val.values.ravel(), heat_2d_ms_exact(val.points))
    assert np.all((val.points > 0) & (val.points < [1.0, 1.0, 5.0]))
    assert len(np.unique(np.round(val.points[:, 2], 12))) == 20000  # random times, not the test grid's 26 levels
    pnd = validation_points("poisson_nd", n=100)
    assert pnd.points.shape == (100, 5) and not np.isin(pnd.points, reference_points("poisson_nd", None).points).any()
    with pytest.raises(ConfigError, match="validation"):
        validation_points("kuramoto_sivashinsky")


def test_a_non_finite_reference_is_named_before_training(monkeypatch):
    monkeypatch.setitem(evaluate.ANALYTIC_NODES, "poisson_nd", lambda p: np.where(p[:, 0] > 0.5, np.nan, 1.0))
    with pytest.raises(InputError, match="poisson_nd: .* NaN or inf"):
        reference_points("poisson_nd", None)
