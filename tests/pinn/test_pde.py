"""PDE definition: autograd derivatives, the box domain, conditions and their validation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.pde import PDE, Box, Condition, derivative


def test_derivative_matches_analytic_partials():
    x = torch.rand(30, 2, dtype=torch.float64, requires_grad=True)
    u = (torch.sin(x[:, 0]) * x[:, 1] ** 3).unsqueeze(1)
    assert torch.allclose(derivative(u, x, 0), (torch.cos(x[:, 0]) * x[:, 1] ** 3).unsqueeze(1))
    assert torch.allclose(derivative(u, x, 1, 1), (6 * torch.sin(x[:, 0]) * x[:, 1]).unsqueeze(1))
    assert torch.allclose(derivative(u, x, 0, 1), (3 * torch.cos(x[:, 0]) * x[:, 1] ** 2).unsqueeze(1))
    assert derivative(u, x, 0, 0).requires_grad


def test_box_scales_and_places_face_points():
    box = Box((-1.0, 0.0), (1.0, 2.0))
    pts = box.scale(np.array([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]]))
    assert np.allclose(pts, [[-1, 0], [1, 2], [0, 1]])
    face = box.face_points(1, "lower", np.array([[0.25], [0.75]]))
    assert np.allclose(face, [[-0.5, 0.0], [0.5, 0.0]])
    with pytest.raises(ConfigError, match="upper bound"):
        Box((0.0,), (0.0,))


def test_conditions_are_validated():
    cond = Condition.from_function("ic", np.zeros((4, 2)), lambda p: p[:, 0] + 1)
    assert cond.values.shape == (4, 1)
    with pytest.raises(ConfigError, match="ic"):
        Condition("ic", np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ConfigError, match="finite"):
        Condition("ic", np.full((2, 2), np.nan), np.zeros(2))
    with pytest.raises(ConfigError, match="coordinates"):
        PDE(lambda x, u, p: u, Box((0.0,), (1.0,)), [cond])
    with pytest.raises(ConfigError, match="unique"):
        PDE(lambda x, u, p: u, Box((0.0, 0.0), (1.0, 1.0)), [cond, cond])
    with pytest.raises(ConfigError, match="anchors"):
        PDE(lambda x, u, p: u, Box((0.0, 0.0), (1.0, 1.0)), anchors=np.zeros((3, 3)))
