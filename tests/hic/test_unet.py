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


def test_bin_head_starts_at_zero_and_learns_a_per_bin_factor():
    torch.manual_seed(0)
    model = ResidualUNet(in_channels=4, channels=8, depth=1, bin_head=True)
    x = torch.randn(4, 4, 16, 16)
    assert torch.allclose(model(x), x[:, :1])
    # target = input + c_i + c_j with c given by an input track: the rank-1 correction the head models
    c = x[:, 2, :, 0]
    target = x[:, :1] + (c[:, None, :, None] + c[:, None, None, :]) * 0.3
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(30):
        loss = ((model(x) - target) ** 2).mean()
        losses.append(float(loss.detach()))
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert losses[-1] < 0.5 * losses[0]


def test_gated_unet_returns_its_baseline_untrained_and_learns_through_the_gate():
    torch.manual_seed(0)
    model = ResidualUNet(in_channels=3, channels=8, depth=1, bin_head=True, gate=True)
    x = torch.randn(2, 3, 16, 16)
    assert torch.equal(model(x), x[:, :1])  # the correction head starts at zero: exactly the baseline
    target = x[:, :1] + 0.5 * x[:, 2:3]
    loss = ((model(x) - target) ** 2).mean()
    loss.backward()
    assert model.head[-1].weight.grad.abs().sum() > 0  # the gate (0.5 at the start) lets the head learn
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = float(loss.detach())
    for _ in range(20):
        loss = ((model(x) - target) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss.detach()) < 0.5 * first
    gate = torch.sigmoid(model.gate(torch.zeros(1, 8, 4, 4)))
    assert torch.all((gate > 0) & (gate < 1))
