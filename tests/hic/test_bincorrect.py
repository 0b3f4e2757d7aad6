import numpy as np
import pytest
import torch

from sciml.hic.bincorrect import (
    N_FEATURES,
    BinCorrector,
    ChromosomeDataset,
    apply_log_factor,
    bin_features,
    factor_loss,
    oracle_log_factor,
)


def _truth(n, seed=0):
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    rng = np.random.default_rng(seed)
    m = 200.0 * (d + 1.0) ** -1.0 * rng.uniform(0.8, 1.2, (n, n))
    return np.triu(m) + np.triu(m, 1).T


def _planted(n, seed=1):
    valid = np.ones(n, dtype=bool)
    valid[[3, 17]] = False
    c = np.random.default_rng(seed).normal(0, 0.2, n) * valid
    return (c - c[valid].mean()) * valid, valid


def test_oracle_recovers_a_planted_factor_and_apply_undoes_it():
    n, band = 60, 20
    truth = _truth(n)
    c, valid = _planted(n)
    pred = np.expm1(np.log1p(truth) - c[:, None] - c[None, :])
    fitted = oracle_log_factor(pred, truth, valid, band)
    assert np.allclose(fitted, c, atol=1e-3)
    assert (fitted[~valid] == 0).all()
    back = apply_log_factor(pred, fitted, valid, band)
    d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    inside = (d <= band) & np.outer(valid, valid)
    assert np.allclose(back[inside], truth[inside], rtol=5e-3)
    assert np.array_equal(back[~inside], pred[~inside])  # beyond the band and on masked bins: unchanged
    assert np.allclose(back, back.T)


def test_features_are_finite_per_bin_and_zero_on_masked_bins():
    n = 50
    truth = _truth(n)
    _, valid = _planted(n)
    f = bin_features(truth, truth, valid, band=20)
    assert f.shape == (N_FEATURES, n) and f.dtype == np.float32 and np.isfinite(f).all()
    assert (f[:, ~valid] == 0).all()
    assert np.allclose(f[-1], valid)  # the mask is the last row


def test_corrector_starts_as_no_correction_and_is_centred():
    torch.manual_seed(0)
    model = BinCorrector(channels=8, dilations=(1, 2))
    x = torch.randn(2, N_FEATURES, 40)
    x[:, -1] = 1.0
    assert torch.equal(model(x), torch.zeros(2, 40))
    torch.nn.init.normal_(model.head.weight)
    out = model(x)
    assert out.shape == (2, 40) and torch.allclose(out.mean(dim=1), torch.zeros(2), atol=1e-5)


def test_dataset_adds_reversed_chromosomes():
    f = np.arange(2 * 5, dtype=np.float32).reshape(2, 5)
    ds = ChromosomeDataset([f], [np.arange(5.0)], [np.ones(5, dtype=bool)])
    assert len(ds) == 2
    x, y, w = ds[1]
    assert torch.equal(x, torch.from_numpy(f[:, ::-1].copy())) and torch.equal(y, torch.arange(4.0, -1, -1))


def test_corrector_learns_a_factor_its_features_determine():
    """Target = a smoothed feature row: a few hundred Adam steps must beat predicting no correction."""
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    feats, targets = [], []
    for _ in range(8):
        f = rng.normal(size=(N_FEATURES, 64)).astype(np.float32)
        f[-1] = 1.0
        t = np.convolve(f[0], np.ones(3) / 3, mode="same") * 0.3
        feats.append(f)
        targets.append(t - t.mean())
    ds = ChromosomeDataset(feats, targets, [np.ones(64, dtype=bool)] * 8)
    model = BinCorrector(channels=16, dilations=(1, 2))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    batch = tuple(torch.stack(items) for items in zip(*[ds[i] for i in range(len(ds))], strict=True))
    start = factor_loss(model, batch).item()
    for _ in range(150):
        opt.zero_grad()
        loss = factor_loss(model, batch)
        loss.backward()
        opt.step()
    assert loss.item() < 0.2 * start


@pytest.mark.parametrize("n", [1, 2])
def test_tiny_chromosomes(n):
    m = np.full((n, n), 5.0)
    valid = np.ones(n, dtype=bool)
    assert oracle_log_factor(m, m, valid, 10).shape == (n,)
    assert bin_features(m, m, valid, 10).shape == (N_FEATURES, n)
