import torch

from sciml.nn import DilatedResidualBlock, LayerGeometry, module_receptive_field, receptive_field


def test_plain_and_dilated_stacks():
    assert receptive_field([LayerGeometry(3)] * 3) == 7
    assert receptive_field([LayerGeometry(3, dilation=d) for d in (1, 2, 4, 8)]) == 31
    # conv 19 -> pool 4 (stride 4) -> conv 5: 19 + 3*1 + 4*4 = 38
    assert receptive_field([LayerGeometry(19), LayerGeometry(4, stride=4), LayerGeometry(5)]) == 38


def test_module_receptive_field_matches_gradient_support():
    """The computed field equals the input span that actually influences one output position."""
    net = torch.nn.Sequential(
        torch.nn.Conv1d(1, 4, 5, padding=2),
        torch.nn.MaxPool1d(2),
        DilatedResidualBlock(4, kernel_size=3, dilation=2, dim=1),
    )
    net.eval()
    x = torch.randn(1, 1, 200, requires_grad=True)
    net(x)[0, :, 50].sum().backward()
    support = torch.nonzero(x.grad[0, 0]).flatten()
    measured = int(support.max() - support.min() + 1)
    assert module_receptive_field(net) >= measured
    assert module_receptive_field(net) - measured <= 1  # pooling phase can hide one sample
