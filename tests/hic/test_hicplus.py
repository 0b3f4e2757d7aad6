import torch

from sciml.hic.hicplus import HiCPlus


def test_three_layers_same_shape_counts_channel_only():
    model = HiCPlus(filters=4)
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [c.kernel_size for c in convs] == [(9, 9), (1, 1), (5, 5)]
    x = torch.randn(2, 2, 20, 20)
    y = model(x)
    assert y.shape == (2, 1, 20, 20)
    x2 = x.clone()
    x2[:, 1] = 0
    assert torch.equal(model(x2), y)
