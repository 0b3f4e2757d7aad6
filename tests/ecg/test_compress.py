import numpy as np
import torch

from sciml.ecg.beats import RR_FEATURES, BeatSet
from sciml.ecg.compress import (
    InferenceBeatNet,
    deployed_model,
    latency_ms_per_beat,
    model_size_bytes,
    quantize_int8,
)
from sciml.ecg.models import BeatNet, BeatNetConfig


def _beats(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return BeatSet(rng.standard_normal((n, 2, 144)).astype(np.float32), rng.random((n, len(RR_FEATURES))).astype(np.float32),
                   rng.integers(0, 5, n), np.arange(n), np.full(n, "x"), 180.0)


def test_int8_student_is_smaller_and_agrees_with_float():
    torch.manual_seed(0)
    beats = _beats()
    student = BeatNet(BeatNetConfig(width=16, separable=True, dilations=[1, 2], squeeze_excitation=True)).eval()
    student.set_rr_scaling(beats.rr)
    int8 = quantize_int8(student, beats, n_calibration=256)
    assert model_size_bytes(int8) * 2.5 < model_size_bytes(student)
    with torch.no_grad():
        a = student(torch.as_tensor(beats.waves), torch.as_tensor(beats.rr))
        b = int8(torch.as_tensor(beats.waves), torch.as_tensor(beats.rr))
    assert torch.corrcoef(torch.stack([a.flatten(), b.flatten()]))[0, 1] > 0.98
    assert latency_ms_per_beat(int8, beats, 32, repeats=2) > 0


def test_size_counts_float_weights():
    net = BeatNet(BeatNetConfig(width=8))
    expected = sum(t.numel() * t.element_size() for t in net.state_dict().values())
    assert model_size_bytes(net) == expected


def test_inference_reparametrisation_gives_the_same_logits_with_fewer_modules():
    torch.manual_seed(0)
    beats = _beats()
    beats.rr[:10] *= 50  # far outside the training range: the RR clipping must act the same
    for config in (BeatNetConfig(width=8, dilations=[1, 2]),
                   BeatNetConfig(width=16, separable=True, dilations=[1, 2, 4], squeeze_excitation=True,
                                 rr_features=RR_FEATURES[4:])):
        net = BeatNet(config)
        net.set_rr_scaling(beats.rr[10:])
        for module in net.modules():  # non-trivial BatchNorm statistics and affine terms
            if isinstance(module, torch.nn.BatchNorm1d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                torch.nn.init.uniform_(module.weight, 0.5, 1.5)
                torch.nn.init.uniform_(module.bias, -0.2, 0.2)
        net.eval()
        fused = InferenceBeatNet(net)
        waves, rr = torch.as_tensor(beats.waves), torch.as_tensor(beats.rr)
        with torch.no_grad():
            torch.testing.assert_close(fused(waves, rr), net(waves, rr), rtol=1e-4, atol=1e-4)
        leaves = [m for m in net.modules() if not list(m.children())]
        fused_leaves = [m for m in fused.modules() if not list(m.children())]
        assert len(fused_leaves) < len(leaves)
        assert not any(isinstance(m, torch.nn.BatchNorm1d | torch.nn.Dropout) for m in fused.stem.modules())


def test_deployed_model_gives_the_trained_logits_at_any_batch_size():
    beats = _beats(40)
    net = BeatNet(BeatNetConfig(width=8, separable=True, dilations=[2, 4], n_rr=beats.rr.shape[1]))
    net.set_rr_scaling(beats.rr)
    net.eval()
    frozen = deployed_model(net)
    with torch.no_grad():
        for n in (1, 40):
            waves, rr = torch.as_tensor(beats.waves[:n]), torch.as_tensor(beats.rr[:n])
            torch.testing.assert_close(frozen(waves, rr), net(waves, rr), rtol=1e-4, atol=1e-4)



def test_distillation_teaches_the_student_and_labels_validation_beats_once():
    from sciml.ecg.compress import distill
    from sciml.ecg.settings import BeatData, KnowledgeDistillation, Optimiser
    from sciml.train import seed_everything

    torch.manual_seed(0)
    beats = _beats(400)
    train, val = beats.subset(np.arange(400) < 300), beats.subset(np.arange(400) >= 300)
    teacher = BeatNet(BeatNetConfig(width=8, dilations=[1, 2], n_rr=beats.rr.shape[1]))
    teacher.set_rr_scaling(train.rr)
    calls = []
    teacher.register_forward_hook(lambda module, args, out: calls.append(len(out)))
    seed_everything(0)
    student = BeatNet(BeatNetConfig(width=8, dilations=[2, 4], n_rr=beats.rr.shape[1]))
    settings = KnowledgeDistillation(epochs=3, patience=3, optimiser=Optimiser(batch_size=50),
                                     data=BeatData(irregular_fraction=0.0))
    result = distill(student, teacher, train, val, settings, device="cpu")
    assert calls == [100] + [50] * 6 * 3  # validation beats once, then every training batch of 3 epochs
    assert len(result.history) == 3 and all(np.isfinite(h["val_loss"]) for h in result.history)
