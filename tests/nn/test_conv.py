import pytest
import torch

from sciml.nn import DepthwiseSeparableConv, DilatedResidualBlock, SqueezeExcitation


@pytest.mark.parametrize("dim", [1, 2])
def test_blocks_keep_shape(dim):
    shape = (2, 8) + (16,) * dim
    x = torch.randn(*shape)
    for block in (
        DilatedResidualBlock(8, 3, dilation=2, dim=dim),
        DilatedResidualBlock(8, 5, dim=dim, separable=True, norm="group", squeeze_excitation=True, dropout=0.1),
        SqueezeExcitation(8, dim=dim),
    ):
        assert block(x).shape == x.shape
    assert DepthwiseSeparableConv(8, 12, 3, dim=dim)(x).shape == (2, 12) + (16,) * dim


def test_separable_conv_has_fewer_parameters():
    full = torch.nn.Conv1d(64, 64, 9, padding=4, bias=False)
    separable = DepthwiseSeparableConv(64, 64, 9)
    assert sum(p.numel() for p in separable.parameters()) < sum(p.numel() for p in full.parameters()) / 5


def test_invalid_arguments():
    with pytest.raises(ValueError, match="odd"):
        DilatedResidualBlock(4, kernel_size=4)
    with pytest.raises(ValueError, match="dim"):
        DilatedResidualBlock(4, dim=3)


def test_squeeze_excitation_is_fx_traceable():
    block = DilatedResidualBlock(8, 3, dim=1, separable=True, squeeze_excitation=True)
    traced = torch.fx.symbolic_trace(block)
    x = torch.randn(2, 8, 32)
    block.eval()
    traced.eval()
    assert torch.allclose(traced(x), block(x))


@pytest.mark.parametrize("channels", [4, 12, 20, 24])
def test_group_norm_accepts_any_channel_count(channels):
    block = DilatedResidualBlock(channels, 3, dim=2, separable=True, norm="group")
    x = torch.randn(1, channels, 8, 8)
    assert block(x).shape == x.shape


@pytest.mark.parametrize("separable", [False, True])
def test_inner_channels_narrow_the_inside_of_a_block(separable):
    block = DilatedResidualBlock(8, 3, dim=1, separable=separable, inner_channels=3, norm="group")
    x = torch.randn(2, 8, 16)
    assert block(x).shape == x.shape
    assert [m.num_channels for m in block.branch if isinstance(m, torch.nn.GroupNorm)] == [8, 3]
