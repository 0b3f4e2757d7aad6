"""Patient-adaptive mode (AAMI EC57): adapt the classifier head to a record's first labelled minutes."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from sciml.ecg.aami import CLASSES
from sciml.train.losses import balanced_class_weights


def adapt_head(
    weight: np.ndarray,
    bias: np.ndarray,
    embeddings: np.ndarray,
    labels: np.ndarray,
    *,
    l2: float = 1.0,
    max_iter: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Fine-tune a linear head on one patient's labelled beats, anchored to the global head.

    Minimises class-weighted cross-entropy on the labelled beats plus `l2` * ||(W, b) - (W0, b0)||^2,
    with deterministic full-batch L-BFGS. The anchor keeps the global behaviour for classes the
    labelled minutes do not contain.

    Args:
        weight: global head, (K, H) and (K,).
        bias: global head, (K, H) and (K,).
        embeddings: (M, H) penultimate features of the labelled beats.
        labels: (M,) their AAMI class indices.

    Returns:
        Adapted (weight, bias) of the same shapes.
    """
    w0 = torch.as_tensor(weight, dtype=torch.float64)
    b0 = torch.as_tensor(bias, dtype=torch.float64)
    x = torch.as_tensor(embeddings, dtype=torch.float64)
    y = torch.as_tensor(labels, dtype=torch.long)
    class_weight = balanced_class_weights(labels, len(CLASSES), power=0.5).to(torch.float64)
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([w, b], lr=1.0, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(x @ w.T + b, y, weight=class_weight)
        loss = loss + l2 * (((w - w0) ** 2).sum() + ((b - b0) ** 2).sum())
        loss.backward()
        return loss

    optimizer.step(closure)
    return w.detach().numpy().astype(np.float32), b.detach().numpy().astype(np.float32)


def prototype_log_probs(embeddings: np.ndarray, labelled: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Nearest-centroid class log-probabilities on one patient's embedding (a prototype head).

    Each class with labelled beats is a Gaussian around its centroid with one shared isotropic variance
    (the mean squared distance of the labelled beats to their own class centroid); classes without labelled
    beats share the probability of a uniform guess, so they are neither favoured nor ruled out.
    Shapes: embeddings (N, H), labelled (M, H), labels (M,) -> (N, n_classes).
    """
    present = np.unique(labels)
    centroids = np.stack([labelled[labels == k].mean(axis=0) for k in present])
    variance = float(np.mean(((labelled - centroids[np.searchsorted(present, labels)]) ** 2).sum(axis=1))) or 1.0
    logits = -((embeddings[:, None, :] - centroids[None]) ** 2).sum(axis=2) / (2 * variance)
    out = np.full((len(embeddings), n_classes), np.log(1.0 / len(present)))
    out[:, present] = torch.log_softmax(torch.as_tensor(logits, dtype=torch.float64), dim=1).numpy()
    return out


def adapted_logits(
    weight: np.ndarray, bias: np.ndarray, embeddings: np.ndarray, time_s: np.ndarray, labels: np.ndarray,
    adapt_s: float = 300.0, l2: float = 1.0, prototype_weight: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """Patient-adaptive logits of one record: head adapted on beats before `adapt_s`, applied to all, plus
    `prototype_weight` times the log-probabilities of a prototype head on the same labelled beats.

    Shapes: embeddings (N, H), time_s (N,), labels (N,) (used only where time_s < adapt_s).
    Returns (logits (N, K), adapted (N,) bool: the beats whose labels were used).
    """
    adapted = time_s < adapt_s
    if adapted.sum() == 0:
        return embeddings @ weight.T + bias, adapted
    w, b = adapt_head(weight, bias, embeddings[adapted], labels[adapted], l2=l2)
    logits = embeddings @ w.T + b
    if prototype_weight > 0:
        head = torch.log_softmax(torch.as_tensor(logits, dtype=torch.float64), dim=1).numpy()
        prototypes = prototype_log_probs(embeddings, embeddings[adapted], labels[adapted], len(weight))
        logits = (head + prototype_weight * prototypes).astype(np.float32)
    return logits, adapted
