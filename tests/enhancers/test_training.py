"""Training with the shared fit loop: RC augmentation, early stopping on val AUROC, CV, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.enhancers.evaluate import mean_auroc, predict_proba, task_aurocs
from sciml.enhancers.models import MotifCNNConfig
from sciml.enhancers.sequences import reverse_complement_batch
from sciml.enhancers.settings import LossSettings
from sciml.enhancers.synthetic import planted_motif_set
from sciml.enhancers.training import (
    RCWeightedLoss,
    ShiftedLoss,
    cross_validate,
    focal_bce_with_logits,
    masked_bce_with_logits,
    rc_augmented_loss,
    train_motif_cnn,
)
from sciml.errors import ConfigError
from sciml.train.fit import FitConfig

MOTIF = np.eye(4)[:, [3, 2, 0, 1, 3, 1, 0, 3]]  # TGACTCAT
SMALL = dict(seq_length=60, n_filters=8, filter_size=9, pool_size=3, conv_channels=8, pool2_size=2, hidden=16)


def toy_set(n: int, seed: int):
    """Half the sequences carry the motif (label 1), half are random (label 0)."""
    X, _ = planted_motif_set([MOTIF], n=n, length=60, max_motifs=1, seed=seed)
    rng = np.random.default_rng(seed + 100)
    y = (rng.random(n) < 0.5).astype(np.float32)[:, None]
    background = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(n, 60))].transpose(0, 2, 1)
    X[y[:, 0] == 0] = background[y[:, 0] == 0]
    return X, y


def test_reverse_complement_batch_is_an_involution():
    x = torch.nn.functional.one_hot(torch.tensor([[0, 1, 2, 3, 3]]), 4).float().transpose(1, 2)
    rc = reverse_complement_batch(x)
    assert rc[0].argmax(0).tolist() == [0, 0, 1, 2, 3]  # AACGT = rc(ACGTT)
    torch.testing.assert_close(reverse_complement_batch(rc), x)


def test_motif_cnn_learns_a_planted_motif_and_is_reproducible(tmp_path):
    X, y = toy_set(600, 0)
    Xte, yte = toy_set(200, 1)
    cfg = FitConfig(max_epochs=6, batch_size=32, lr=3e-3, patience=3, seed=0)
    model, result = train_motif_cnn(MotifCNNConfig(**SMALL), X[:500], y[:500], X[500:], y[500:], cfg,
                                     out_dir=tmp_path / "run")
    assert "val_auroc" in result.history[0] and (tmp_path / "run" / "metrics.csv").is_file()
    auroc = mean_auroc(yte, predict_proba(model, Xte))
    assert auroc > 0.75  # chance is 0.5
    again, _ = train_motif_cnn(MotifCNNConfig(**SMALL), X[:500], y[:500], X[500:], y[500:], cfg)
    np.testing.assert_array_equal(predict_proba(model, Xte), predict_proba(again, Xte))
    # strand-averaged predictions are invariant to reverse-complementing the input
    np.testing.assert_allclose(predict_proba(model, Xte[:, ::-1, ::-1].copy()), predict_proba(model, Xte), atol=1e-6)


def test_cross_validation_scores_held_out_folds():
    X, y = toy_set(300, 2)
    cfg = FitConfig(max_epochs=2, batch_size=32, lr=3e-3, patience=2, seed=0)
    summary, epochs, held_out = cross_validate(MotifCNNConfig(**SMALL), X, y, cfg, n_folds=3)
    assert len(epochs) == 3 and all(1 <= e <= 2 for e in epochs)
    assert held_out.shape == (300,) and ((held_out > 0) & (held_out < 1)).all()
    assert set(summary) == {"accuracy", "accuracy_std", "mcc", "mcc_std", "auroc", "auroc_std"}
    assert 0.5 < summary["auroc"] <= 1.0


def test_focal_bce_is_bce_at_gamma_zero_and_down_weights_easy_pairs():
    logits = torch.tensor([[4.0, -4.0, 0.0]])
    y = torch.tensor([[1.0, 1.0, 1.0]])  # easy (p=0.98), hard (p=0.02), undecided (p=0.5)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
    torch.testing.assert_close(focal_bce_with_logits(logits, y, 0.0), bce)
    ratio = focal_bce_with_logits(logits, y, 2.0) / bce
    torch.testing.assert_close(ratio, (1 - torch.sigmoid(logits)) ** 2)
    assert ratio[0, 0] < 1e-3 and ratio[0, 1] > 0.9


class _FixedLogits(torch.nn.Module):
    """Returns the same logits `(N, T)` whatever the sequences; one dummy parameter."""

    def __init__(self, logits: torch.Tensor) -> None:
        super().__init__()
        self.logits = logits
        self.w = torch.nn.Parameter(torch.zeros(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.logits + self.w


def test_weighted_loss_none_matches_rc_augmented_loss():
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(40, 3))
    x, y = torch.rand(8, 4, 10), (torch.rand(8, 3) < 0.3).float()
    torch.manual_seed(0)
    plain = rc_augmented_loss(model, (x, y))
    torch.manual_seed(0)
    torch.testing.assert_close(RCWeightedLoss(LossSettings("none"))(model, (x, y)), plain)


def test_ema_task_weights_follow_training_loss_only():
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    model = _FixedLogits(torch.tensor([[5.0, 0.0], [-5.0, 0.0]]))  # task 0 learned, task 1 at chance
    x = torch.zeros(2, 4, 5)
    loss = RCWeightedLoss(LossSettings("ema", ema_decay=0.5))
    model.eval()
    loss(model, (x, y))
    assert loss.task_weights() is None  # evaluation batches never set the weights
    model.train()
    value = loss(model, (x, y))
    weights = loss.task_weights()
    assert weights is not None and weights[1] > 10 * weights[0]
    torch.testing.assert_close(weights.mean(), torch.tensor(1.0))
    bce = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y, reduction="none")
    torch.testing.assert_close(value, (bce * weights).mean())


def test_ema_state_round_trips_for_checkpoints():
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    model = _FixedLogits(torch.tensor([[5.0, 0.0], [-5.0, 0.0]])).train()
    x = torch.zeros(2, 4, 5)
    trained = RCWeightedLoss(LossSettings("ema", ema_decay=0.5))
    trained(model, (x, y))
    restored = RCWeightedLoss(LossSettings("ema", ema_decay=0.5))
    restored.load_state_dict(trained.state_dict())
    torch.testing.assert_close(restored.task_weights(), trained.task_weights())
    torch.manual_seed(0)
    after_trained = trained(model, (x, y))
    torch.manual_seed(0)
    torch.testing.assert_close(restored(model, (x, y)), after_trained)


@pytest.mark.parametrize("kwargs", [{"weighting": "max"}, {"weighting": "focal", "gamma": -1.0},
                                    {"weighting": "ema", "ema_decay": 1.0}])
def test_weighted_loss_rejects_bad_settings(kwargs):
    with pytest.raises(ConfigError):
        LossSettings(**kwargs)


def test_shift_augmentation_trains_and_is_reproducible(tmp_path):
    X, y = toy_set(600, 0)
    cfg = FitConfig(max_epochs=10, batch_size=32, lr=3e-3, patience=10, seed=0)
    runs = [train_motif_cnn(MotifCNNConfig(**SMALL), X[:500], y[:500], X[500:], y[500:], cfg, max_shift=5,
                            out_dir=tmp_path / f"run{k}") for k in range(2)]
    (model, result), (again, _) = runs
    Xte, yte = toy_set(200, 1)
    np.testing.assert_array_equal(predict_proba(model, Xte), predict_proba(again, Xte))
    assert mean_auroc(yte, predict_proba(model, Xte)) > 0.7
    assert len(result.history) == 10


def test_shifted_loss_shifts_in_training_only_and_keeps_the_loss_state():
    calls = []

    def loss(model, batch):
        calls.append(batch[0].clone())
        return batch[0].sum()

    weighted = RCWeightedLoss(LossSettings(weighting="ema"))
    assert ShiftedLoss(weighted, 3).state_dict() == {"task_loss": None}
    model = torch.nn.Linear(2, 2)
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (8, 30)), 4).float().transpose(1, 2)
    shifted = ShiftedLoss(loss, 3)
    torch.manual_seed(0)
    shifted(model.train(), (x, None))
    shifted(model.eval(), (x, None))
    assert not torch.equal(calls[0], x) and torch.equal(calls[1], x)


def test_masked_bce_ignores_unknown_labels_and_equals_bce_without_them():
    logits = torch.tensor([[2.0, -1.0], [0.5, 3.0], [-2.0, 0.0]])
    y = torch.tensor([[1.0, float("nan")], [float("nan"), 0.0], [0.0, 1.0]])
    known = ~torch.isnan(y)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(logits[known], y[known])
    torch.testing.assert_close(masked_bce_with_logits(logits, y), expected)
    full = torch.tensor([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    torch.testing.assert_close(masked_bce_with_logits(logits, full),
                               torch.nn.functional.binary_cross_entropy_with_logits(logits, full))
    logits.requires_grad_(True)
    masked_bce_with_logits(logits, y).backward()
    assert logits.grad[0, 1] == 0 and logits.grad[1, 0] == 0 and logits.grad[0, 0] != 0


def test_task_aurocs_score_each_task_on_its_own_labels():
    nan = float("nan")
    y = np.array([[1, nan], [0, nan], [1, nan], [nan, 1], [nan, 0], [nan, 0]], dtype=np.float32)
    p = np.array([[0.9, 0.0], [0.1, 1.0], [0.8, 0.0], [0.0, 0.2], [1.0, 0.6], [1.0, 0.7]], dtype=np.float32)
    assert task_aurocs(y, p) == [1.0, 0.0]
    assert mean_auroc(y, p) == 0.5


def test_multi_task_model_trains_with_unknown_labels(tmp_path):
    """Two tasks from separate 'experiments': each sequence labelled for one task only."""
    X, y = toy_set(1000, 3)
    labels = np.full((1000, 2), np.nan, dtype=np.float32)
    labels[::2, 0], labels[1::2, 1] = y[::2, 0], y[1::2, 0]
    cfg = FitConfig(max_epochs=6, batch_size=32, lr=3e-3, patience=3, seed=0)
    config = MotifCNNConfig(**{**SMALL, "n_tasks": 2, "tasks": ("a", "b")})
    model, result = train_motif_cnn(config, X[:800], labels[:800], X[800:], labels[800:], cfg)
    assert np.isfinite([row["val_loss"] for row in result.history]).all()
    Xte, yte = toy_set(200, 4)
    assert min(task_aurocs(np.repeat(yte, 2, axis=1), predict_proba(model, Xte))) > 0.75  # chance is 0.5
