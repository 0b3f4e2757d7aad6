import torch

from sciml.hic.losses import masked_mse, rank1_factor, rank1_penalised_mse


def test_masked_mse_ignores_weightless_pixels():
    model = torch.nn.Identity()
    x = torch.zeros(1, 2, 4, 4)
    y = torch.ones(1, 1, 4, 4)
    w = torch.zeros(1, 1, 4, 4)
    w[..., 0, 0] = 1
    y[..., 1, 1] = 100
    assert float(masked_mse(lambda t: model(t)[:, :1], (x, y, w))) == 1.0


def test_rank1_factor_recovers_row_plus_column_terms_on_weighted_pixels():
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(2, 1, 12, 1, generator=gen), torch.randn(2, 1, 1, 12, generator=gen)
    w = (torch.rand(2, 1, 12, 12, generator=gen) > 0.3).float()
    w[..., 0, :] = 1.0
    w[..., :, 0] = 1.0
    residual = (a + b) * w + 100.0 * (1 - w)  # huge values where the weight is 0 must not matter
    fitted = rank1_factor(residual, w, iters=200)
    assert torch.allclose(fitted * w, (a + b) * w, atol=1e-3)


def test_penalty_adds_only_the_per_bin_part_and_is_differentiable():
    gen = torch.Generator().manual_seed(1)
    y = torch.zeros(1, 1, 8, 8)
    w = torch.ones(1, 1, 8, 8)
    rowwise = torch.linspace(-1, 1, 8).view(1, 1, 8, 1).expand(1, 1, 8, 8).clone().requires_grad_(True)
    checker = (torch.randint(0, 2, (1, 1, 8, 8), generator=gen).float() * 2 - 1)
    checker = checker - checker.mean(dim=3, keepdim=True) - checker.mean(dim=2, keepdim=True) + checker.mean()
    plain = float(masked_mse(lambda x: x, (checker, y, w)))
    assert abs(float(rank1_penalised_mse(lambda x: x, (checker, y, w), 5.0)) - plain) < 1e-5
    loss = rank1_penalised_mse(lambda x: x, (rowwise, y, w), 5.0)
    assert float(loss) > 5.0 * float(masked_mse(lambda x: x, (rowwise, y, w)))
    loss.backward()
    assert rowwise.grad is not None and torch.isfinite(rowwise.grad).all()
