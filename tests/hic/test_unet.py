import torch

from sciml.hic.unet import ResidualUNet
from sciml.nn.conv import DilatedResidualBlock


def test_shapes_and_identity_at_init():
    model = ResidualUNet(channels=8, depth=2)
    x = torch.randn(3, 2, 32, 32)
    out = model(x)
    assert out.shape == (3, 1, 32, 32)
    assert torch.allclose(out, x[:, :1])  # zero-initialised head: starts as the identity on the counts


def test_uses_separable_groupnorm_blocks_and_trains():
    torch.manual_seed(0)
    model = ResidualUNet(channels=8, depth=1)
    blocks = [m for m in model.modules() if isinstance(m, DilatedResidualBlock)]
    assert blocks and all(isinstance(b.branch[0], torch.nn.GroupNorm) for b in blocks)
    x = torch.randn(2, 2, 8, 8)
    target = x[:, :1] * 0.5
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = None
    for _ in range(15):
        loss = ((model(x) - target) ** 2).mean()
        first = first if first is not None else float(loss.detach())
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss.detach()) < 0.5 * first
