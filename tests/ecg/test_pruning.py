import numpy as np
import pytest
import torch

from sciml.ecg.beats import RR_FEATURES, BeatSet
from sciml.ecg.compress import deployed_model, model_size_bytes, quantize_int8
from sciml.ecg.models import BeatNet, BeatNetConfig, count_parameters, load_model, save_classifier
from sciml.ecg.pruning import channel_importance, kept_width, prune_beatnet
from sciml.ecg.settings import Preprocessing, PruneSettings
from sciml.errors import ConfigError
from sciml.nn.conv import DepthwiseSeparableConv, SqueezeExcitation
from sciml.settings import from_dict

STUDENT = BeatNetConfig(width=16, separable=True, width_multiplier=0.5, dilations=(2, 4), hidden=16)
DENSE_SE = BeatNetConfig(width=8, dilations=(1, 2), squeeze_excitation=True, hidden=16)


def _beats(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return BeatSet(rng.standard_normal((n, 2, 144)).astype(np.float32),
                   rng.random((n, len(RR_FEATURES))).astype(np.float32), rng.integers(0, 5, n), np.arange(n),
                   np.full(n, "x"), 180.0)


def _net(config, beats, seed=0):
    """A BeatNet with non-trivial BatchNorm statistics and affine terms, in eval mode."""
    torch.manual_seed(seed)
    net = BeatNet(config)
    net.set_rr_scaling(beats.rr)
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, torch.nn.BatchNorm1d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
    return net.eval()


def _out_rows(conv):
    return conv.pointwise.weight if isinstance(conv, DepthwiseSeparableConv) else conv.weight


@torch.no_grad()
def _silence(net, stack, inner, hidden):
    """Zero every weight that writes or reads the given channels, so that they carry exactly zero."""
    net.stem[1].weight[stack] = 0
    net.stem[1].bias[stack] = 0
    for block in net.blocks:
        norms = [m for m in block.branch if isinstance(m, torch.nn.BatchNorm1d)]
        convs = [m for m in block.branch if isinstance(m, torch.nn.Conv1d | DepthwiseSeparableConv)]
        for norm, idx in ((norms[0], stack), (norms[1], inner)):
            norm.weight[idx] = 0
            norm.bias[idx] = 0
        _out_rows(convs[1])[stack] = 0  # the block writes nothing to the silenced stack channels
        _out_rows(convs[1])[:, inner] = 0  # nor reads the silenced inner ones
        se = next((m for m in block.branch if isinstance(m, SqueezeExcitation)), None)
        if se is not None:  # one bottleneck unit of the gate silenced: the pruned gate has one fewer
            se.gate[0].weight[0] = 0
            se.gate[0].bias[0] = 0
            se.gate[2].weight[:, 0] = 0
    c = net.config.stack_width
    net.embedding[0].weight[:, stack] = 0  # the pooled (mean, max) features of the silenced stack channels
    net.embedding[0].weight[:, [c + j for j in stack]] = 0
    net.embedding[0].weight[hidden] = 0
    net.embedding[0].bias[hidden] = 0
    net.head.weight[:, hidden] = 0


@pytest.mark.parametrize("config", [STUDENT, DENSE_SE], ids=["separable", "dense_se"])
def test_pruning_keeps_the_function_of_a_network_whose_pruned_channels_are_zero(config):
    beats = _beats()
    net = _net(config, beats)
    stack, inner, hidden = [1, 5], [0, 3], [2, 7, 11, 12]  # a quarter of 8, 8 and 16
    _silence(net, stack, inner, hidden)
    scores = channel_importance(net)
    assert torch.all(scores.stack[stack] == 0) and torch.all(scores.stack[[0, 2, 3, 4, 6, 7]] > 0)
    assert all(torch.all(s[inner] == 0) for s in scores.blocks) and torch.all(scores.hidden[hidden] == 0)

    pruned = prune_beatnet(net, 0.25)
    assert pruned.config.stack_width == 6 and pruned.config.block_widths == (6, 6) and pruned.config.hidden == 12
    assert count_parameters(pruned) < count_parameters(net)
    waves, rr = torch.as_tensor(beats.waves), torch.as_tensor(beats.rr)
    with torch.no_grad():
        torch.testing.assert_close(pruned(waves, rr), net(waves, rr), rtol=1e-5, atol=1e-5)


def test_pruned_student_is_smaller_round_trips_and_quantizes(tmp_path):
    beats = _beats()
    student = _net(STUDENT, beats)
    pruned = prune_beatnet(student, 0.5)
    assert pruned.config.stack_channels == 4 and pruned.config.block_channels == (4, 4) and pruned.config.hidden == 8
    assert model_size_bytes(pruned) < 0.6 * model_size_bytes(student)  # the RR branch is not pruned
    assert student.config.stack_width == 8  # the student itself is unchanged

    save_classifier(tmp_path / "pruned", pruned, Preprocessing(), temperature=1.3, extra={"pruning_ratio": 0.5})
    loaded = load_model(tmp_path / "pruned")
    assert loaded.config == pruned.config and loaded.temperature == 1.3
    waves, rr = torch.as_tensor(beats.waves), torch.as_tensor(beats.rr)
    with torch.no_grad():
        expected = pruned(waves, rr)
        torch.testing.assert_close(loaded(waves, rr), expected)
        torch.testing.assert_close(deployed_model(loaded)(waves, rr), expected, rtol=1e-4, atol=1e-4)
        int8 = quantize_int8(loaded, beats, n_calibration=128)
        quantized = int8(waves, rr)
    assert model_size_bytes(int8) < model_size_bytes(pruned)
    assert torch.corrcoef(torch.stack([expected.flatten(), quantized.flatten()]))[0, 1] > 0.95


def test_bad_ratio_is_rejected_by_name():
    net = BeatNet(STUDENT)
    for ratio in (0.0, 1.0, -0.2, 1.5):
        with pytest.raises(ConfigError, match="'ratio'"):
            prune_beatnet(net, ratio)
        with pytest.raises(ConfigError, match="prune.ratio"):
            from_dict(PruneSettings, {"ratio": ratio}, prefix="prune")
    assert kept_width(12, 0.5) == 6 and kept_width(3, 0.9) == 1


def test_pruned_widths_are_validated():
    with pytest.raises(ConfigError, match="block_channels"):
        BeatNetConfig(dilations=(2, 4), block_channels=(4,))
    with pytest.raises(ConfigError, match="stack_channels"):
        BeatNetConfig(stack_channels=0)
