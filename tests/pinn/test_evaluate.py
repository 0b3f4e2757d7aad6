"""Reference grids and the relative L2 error of a model on them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.evaluate import grid_error, reference_grid
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


def test_allen_cahn_needs_the_data_and_unknown_problems_raise():
    with pytest.raises(ConfigError, match="pinn-reference"):
        reference_grid("allen_cahn")
    with pytest.raises(ConfigError, match="navier"):
        reference_grid("navier")
