"""Classification losses for imbalanced classes: focal loss and class-weighted cross-entropy."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def balanced_class_weights(labels: np.ndarray, n_classes: int, power: float = 1.0, max_weight: float = 100.0) -> torch.Tensor:
    """Inverse-frequency class weights, (N / (K * count)) ** power, capped at `max_weight`.

    Classes absent from `labels` get weight 0 (they cannot be learnt from these labels).
    Shapes: labels (N,) int -> (n_classes,) float32, mean weight over present classes ~ 1 for power 1.
    """
    counts = np.bincount(labels[labels >= 0], minlength=n_classes).astype(np.float64)
    present = counts > 0
    weights = np.zeros(n_classes)
    weights[present] = (counts.sum() / (present.sum() * counts[present])) ** power
    return torch.as_tensor(np.minimum(weights, max_weight), dtype=torch.float32)


def weighted_cross_entropy(logits: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
    """Class-weighted cross-entropy, averaged by total weight. Shapes: logits (N, K), target (N,) -> ()."""
    return F.cross_entropy(logits, target, weight=weight)


def focal_loss(
    logits: torch.Tensor, target: torch.Tensor, gamma: float = 2.0, weight: torch.Tensor | None = None
) -> torch.Tensor:
    """Multi-class focal loss (Lin et al. 2017): -alpha_y (1 - p_y)^gamma log p_y, weight-averaged.

    gamma = 0 gives weighted cross-entropy. Shapes: logits (N, K), target (N,) -> ().
    """
    log_p = F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    modulating = (1.0 - log_p.exp()).clamp(min=0.0) ** gamma
    alpha = weight[target] if weight is not None else torch.ones_like(log_p)
    return -(alpha * modulating * log_p).sum() / alpha.sum().clamp(min=1e-12)


def distillation_loss(
    student_logits: torch.Tensor, teacher_logits: torch.Tensor, target: torch.Tensor,
    temperature: float = 4.0, alpha: float = 0.7, weight: torch.Tensor | None = None,
) -> torch.Tensor:
    """Knowledge distillation (Hinton et al. 2015): alpha * T^2 KL(teacher_T || student_T) + (1 - alpha) * CE.

    Shapes: logits (N, K), target (N,) -> ().
    """
    soft = F.kl_div(F.log_softmax(student_logits / temperature, dim=1),
                    F.log_softmax(teacher_logits / temperature, dim=1), log_target=True, reduction="batchmean")
    return alpha * temperature**2 * soft + (1 - alpha) * F.cross_entropy(student_logits, target, weight=weight)
