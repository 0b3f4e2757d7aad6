import numpy as np
import torch

from sciml.ecg.beats import RR_FEATURES
from sciml.ecg.models import BeatNet, BeatNetConfig, count_parameters


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
