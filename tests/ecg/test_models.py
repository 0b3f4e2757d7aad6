import numpy as np
import pytest
import torch

from sciml.ecg.beats import RECORD_NORMALISED_RR, RR_FEATURES
from sciml.ecg.models import BeatNet, BeatNetConfig, count_parameters
from sciml.ecg.settings import Network
from sciml.errors import ConfigError


def test_shapes_and_receptive_field_covers_a_beat():
    net = BeatNet(BeatNetConfig(window=144, width=8))
    logits = net(torch.randn(3, 2, 144), torch.randn(3, len(RR_FEATURES)))
    assert logits.shape == (3, 5) and net.embed(torch.randn(3, 2, 144), torch.randn(3, len(RR_FEATURES))).shape == (3, 64)
    # stem 7 at stride 1, then 4 blocks x 2 convs (k 5) at stride 2: 1 + 6 + 2*2*4*(1+2+4+8)
    assert net.receptive_field() == 247
    assert net.receptive_field() / 180 > 1.0  # seconds at 180 Hz: more than one heartbeat


def test_separable_student_is_smaller():
    teacher = BeatNet(BeatNetConfig(width=24))
    student = BeatNet(BeatNetConfig(width=24, width_multiplier=0.5, separable=True, dilations=[1, 2, 4],
                                    squeeze_excitation=True))
    assert count_parameters(student) * 4 < count_parameters(teacher)
    assert student(torch.randn(2, 2, 144), torch.randn(2, len(RR_FEATURES))).shape == (2, 5)


def test_rr_scaling_floors_constant_features():
    net = BeatNet(BeatNetConfig(width=8))
    rr = np.ones((10, len(RR_FEATURES)), dtype=np.float32)
    net.set_rr_scaling(rr)
    assert torch.all(net.rr_std == 0.05)
    big = net(torch.zeros(1, 2, 144), torch.full((1, len(RR_FEATURES)), 1e6))
    assert torch.isfinite(big).all()


def test_rr_features_not_selected_are_ignored():
    torch.manual_seed(0)
    net = BeatNet(BeatNetConfig(width=8, rr_features=RECORD_NORMALISED_RR)).eval()
    waves, rr = torch.randn(4, 2, 144), torch.rand(4, len(RR_FEATURES)) + 0.5
    changed = rr.clone()
    seconds = [RR_FEATURES.index(name) for name in RR_FEATURES if name not in RECORD_NORMALISED_RR]
    changed[:, seconds] *= 3.0  # another patient's heart rate, same ratios
    torch.testing.assert_close(net(waves, changed), net(waves, rr))
    ratio = RR_FEATURES.index("pre_rr_avg")
    changed[:, ratio] *= 3.0
    assert not torch.allclose(net(waves, changed), net(waves, rr))
    with pytest.raises(ConfigError, match="network.rr_features"):
        Network(rr_features=("pre_rr_s", "heart_rate"))
