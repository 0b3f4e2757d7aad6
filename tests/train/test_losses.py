import numpy as np
import torch
import torch.nn.functional as F

from sciml.train.losses import balanced_class_weights, distillation_loss, focal_loss, weighted_cross_entropy


def test_class_weights_inverse_frequency_and_absent_classes():
    w = balanced_class_weights(np.array([0] * 90 + [1] * 10), 3)
    np.testing.assert_allclose(w.numpy(), [100 / (2 * 90), 100 / (2 * 10), 0.0], rtol=1e-6)
    assert balanced_class_weights(np.array([0] * 9999 + [1]), 2, max_weight=50.0)[1] == 50.0


def test_focal_with_gamma_zero_is_weighted_ce_and_downweights_easy():
    torch.manual_seed(0)
    logits, target = torch.randn(32, 5), torch.randint(0, 5, (32,))
    weight = torch.rand(5) + 0.1
    assert torch.allclose(focal_loss(logits, target, gamma=0.0, weight=weight),
                          weighted_cross_entropy(logits, target, weight), atol=1e-6)
    easy = torch.tensor([[10.0, 0, 0, 0, 0]])
    assert focal_loss(easy, torch.tensor([0]), gamma=2.0) < 1e-3 * F.cross_entropy(easy, torch.tensor([0]))


def test_distillation_matches_teacher_at_optimum():
    teacher = torch.randn(8, 5)
    target = teacher.argmax(1)
    at_teacher = distillation_loss(teacher, teacher, target, temperature=4.0, alpha=1.0)
    assert abs(float(at_teacher)) < 1e-6
    assert distillation_loss(torch.zeros(8, 5), teacher, target, alpha=1.0) > at_teacher
