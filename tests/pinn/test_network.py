"""The PINN MLP: input normalisation, periodic embedding, Fourier features, dtypes."""

from __future__ import annotations

import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.network import MLP


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_shapes_and_dtype(dtype):
    net = MLP((-1.0, 0.0), (1.0, 1.0), width=8, depth=3, fourier_features=4).to(dtype)
    assert net(torch.rand(5, 2, dtype=dtype)).shape == (5, 1)
    assert net(torch.rand(5, 2, dtype=dtype)).dtype == dtype


def test_inputs_are_normalised_to_unit_range():
    net = MLP((10.0, -5.0), (20.0, 5.0), width=4, depth=2)
    z = net.features(torch.tensor([[10.0, -5.0], [20.0, 5.0], [15.0, 0.0]], dtype=torch.float64).float())
    assert torch.allclose(z, torch.tensor([[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0]]))


def test_periodic_embedding_makes_the_output_periodic():
    net = MLP((-1.0, 0.0), (1.0, 1.0), width=8, depth=3, periodic={0: 2.0}, periodic_harmonics=3).double()
    t = torch.rand(10, 1, dtype=torch.float64)
    left, right = torch.cat([-torch.ones_like(t), t], 1), torch.cat([torch.ones_like(t), t], 1)
    assert torch.allclose(net(left), net(right), atol=1e-12)


def test_fourier_features_are_seeded():
    a = MLP((0.0,), (1.0,), fourier_features=6, fourier_seed=1)
    b = MLP((0.0,), (1.0,), fourier_features=6, fourier_seed=1)
    assert torch.equal(a.fourier_b, b.fourier_b)
    assert not torch.equal(a.fourier_b, MLP((0.0,), (1.0,), fourier_features=6, fourier_seed=2).fourier_b)


def test_adaptive_slope_starts_as_the_plain_net_and_is_trained():
    torch.manual_seed(0)
    plain = MLP((0.0,), (1.0,), width=8, depth=3).double()
    torch.manual_seed(0)
    adaptive = MLP((0.0,), (1.0,), width=8, depth=3, adaptive_slope=10.0).double()
    x = torch.rand(20, 1, dtype=torch.float64)
    assert torch.allclose(plain(x), adaptive(x), atol=1e-12)  # n * a = 1 at the start
    slopes = [p for name, p in adaptive.named_parameters() if name.endswith("slope")]
    assert len(slopes) == 3
    adaptive(x).pow(2).sum().backward()
    assert all(s.grad is not None and s.grad.abs() > 0 for s in slopes)


def test_bad_settings_raise():
    with pytest.raises(ConfigError, match="activation"):
        MLP((0.0,), (1.0,), activation="relu6")
    with pytest.raises(ConfigError, match="width"):
        MLP((0.0,), (1.0,), width=0)
    with pytest.raises(ConfigError, match="adaptive_slope"):
        MLP((0.0,), (1.0,), adaptive_slope=-1.0)
