"""The DeepHiC-style GAN: network shapes, the loss terms, the adversarial step's gradients, save/load."""

import numpy as np
import pytest
import torch

import sciml
from sciml.errors import ConfigError
from sciml.hic.deephic import (
    DeepHiCDiscriminator,
    DeepHiCGAN,
    DeepHiCGenerator,
    adversarial_loss,
    discriminator_loss,
    frozen_logits,
    generator_loss,
    structure_features,
    total_variation,
)
from sciml.hic.models import Denoiser
from sciml.hic.realpairs import thinned_pairs
from sciml.hic.settings import (
    DeepHiCFit,
    DeepHiCNetwork,
    DeepHiCSettings,
    DeepHiCTrainSettings,
    GANLossWeights,
    UNetNetwork,
)
from sciml.hic.training import train_deephic

WEIGHTS = GANLossWeights()


def _gan(seed: int = 0) -> DeepHiCGAN:
    torch.manual_seed(seed)
    return DeepHiCGAN(DeepHiCGenerator(channels=4, blocks=1), DeepHiCDiscriminator(channels=4))


def _batch(seed: int = 0, size: int = 16) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    y = torch.rand(4, 1, size, size, generator=g) * 3
    x = torch.cat([y + 0.5 * torch.randn(4, 1, size, size, generator=g), torch.rand(4, 1, size, size, generator=g)], 1)
    w = torch.ones(4, 1, size, size)
    w[:, :, :, -3:] = 0  # out of band
    return x, y, w


def test_generator_reads_the_map_channel_only_and_keeps_the_patch_shape():
    generator = DeepHiCGenerator(channels=4, blocks=2)
    convs = [m for m in generator.modules() if isinstance(m, torch.nn.Conv2d)]
    assert convs[0].kernel_size == (9, 9) and convs[-1].kernel_size == (9, 9) and convs[-1].out_channels == 1
    x = torch.randn(2, 3, 20, 20)
    y = generator(x)
    assert y.shape == (2, 1, 20, 20)
    x[:, 1:] = 0
    assert torch.equal(generator(x), y)


def test_discriminator_gives_one_logit_per_patch_of_any_size():
    discriminator = DeepHiCDiscriminator(channels=4)
    strides = [m.stride for m in discriminator.modules() if isinstance(m, torch.nn.Conv2d)]
    assert strides.count((2, 2)) == 3
    for size in (16, 40, 64):
        assert discriminator(torch.randn(3, 1, size, size)).shape == (3,)


def test_total_variation_counts_only_pairs_of_weighted_pixels():
    checker = (torch.arange(8)[:, None] + torch.arange(8)[None, :]) % 2
    image = checker.float()[None, None]
    ones = torch.ones_like(image)
    assert float(total_variation(image, ones)) == pytest.approx(4.0)  # 2 x (mean 1 vertically + mean 1 horizontally)
    assert float(total_variation(torch.full_like(image, 3.0), ones)) == 0.0
    spike = torch.zeros_like(image)
    spike[..., 4, 4] = 10.0
    masked = ones.clone()
    masked[..., 4, 4] = 0
    assert float(total_variation(spike, masked)) == 0.0 and float(total_variation(spike, ones)) > 0


def test_structure_features_see_structure_not_identity():
    image = torch.rand(2, 1, 16, 16)
    features = structure_features(image)
    assert features.shape == (2, 3 * (16 * 16 + 8 * 8 + 4 * 4))
    assert torch.equal(structure_features(image), features)  # fixed: no trained weights
    shifted = image.clone()
    shifted[:, :, 4:8, 4:8] += 1.0  # a block (a TAD-like edge) changes the gradients
    assert not torch.allclose(structure_features(shifted), features)


def test_generator_loss_is_mse_plus_the_weighted_terms():
    x, y, w = _batch()
    generated = y + 0.1
    logits = torch.zeros(4)
    terms = generator_loss(generated, y, w, logits, GANLossWeights(adversarial=0.5, perceptual=0.25, total_variation=2.0))
    assert float(terms["mse"]) == pytest.approx(0.01, rel=1e-5)
    assert float(terms["adversarial"]) == pytest.approx(0.5)  # 1 - sigmoid(0)
    assert float(terms["perceptual"]) > 0  # the shift changes the border gradients of the masked maps
    expected = terms["mse"] + 0.5 * terms["adversarial"] + 0.25 * terms["perceptual"] + 2.0 * terms["total_variation"]
    assert float(terms["total"]) == pytest.approx(float(expected))
    same = generator_loss(y, y, w, torch.full((4,), 50.0), WEIGHTS)
    assert float(same["mse"]) == 0 and float(same["perceptual"]) == 0 and float(same["adversarial"]) < 1e-6
    assert float(discriminator_loss(torch.full((4,), 30.0), torch.full((4,), -30.0))) < 1e-6
    with pytest.raises(ConfigError):
        GANLossWeights(adversarial=-1.0)


def test_frozen_discriminator_passes_gradients_to_images_only():
    gan = _gan()
    gan.train()
    images = torch.rand(4, 1, 16, 16, requires_grad=True)
    before = {k: v.clone() for k, v in gan.discriminator.state_dict().items()}
    frozen_logits(gan.discriminator, images).sum().backward()
    assert images.grad is not None and images.grad.abs().sum() > 0
    assert all(p.grad is None for p in gan.discriminator.parameters())
    after = gan.discriminator.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # batch-norm running statistics untouched


def test_one_backward_gives_each_network_the_gradient_of_its_own_loss():
    x, y, w = _batch()
    gan = _gan()
    gan.train()
    adversarial_loss(gan, (x, y, w), WEIGHTS).backward()
    joint = {k: p.grad.clone() for k, p in gan.named_parameters()}

    reference = _gan()
    reference.train()
    mask = (w > 0).float()
    generated = reference.generator(x)
    d_loss = discriminator_loss(reference.discriminator(y * mask), reference.discriminator(generated.detach() * mask))
    d_grads = torch.autograd.grad(d_loss, list(reference.discriminator.parameters()))
    # the generator's loss with the discriminator as it is (its parameters are leaves: no grad asked for them)
    g_loss = generator_loss(generated, y, w, reference.discriminator(generated * mask), WEIGHTS)["total"]
    g_grads = torch.autograd.grad(g_loss, list(reference.generator.parameters()))
    for (name, _), grad in zip(reference.discriminator.named_parameters(), d_grads, strict=True):
        torch.testing.assert_close(joint[f"discriminator.{name}"], grad)
    for (name, _), grad in zip(reference.generator.named_parameters(), g_grads, strict=True):
        torch.testing.assert_close(joint[f"generator.{name}"], grad)


def test_adversarial_steps_change_both_networks_and_lower_the_generator_loss():
    x, y, w = _batch()
    gan = _gan()
    start = {k: v.detach().clone() for k, v in gan.named_parameters()}
    optimiser = torch.optim.Adam(gan.parameters(), lr=1e-2)

    def generator_total() -> float:
        gan.train()
        mask = (w > 0).float()
        generated = gan.generator(x)
        with torch.no_grad():
            return float(generator_loss(generated, y, w, frozen_logits(gan.discriminator, generated * mask),
                                        WEIGHTS)["total"])

    first = generator_total()
    for _ in range(10):
        gan.train()
        optimiser.zero_grad()
        adversarial_loss(gan, (x, y, w), WEIGHTS).backward()
        optimiser.step()
    assert generator_total() < first
    changed = {k for k, v in gan.named_parameters() if not torch.equal(v, start[k])}
    assert any(k.startswith("generator.") for k in changed) and any(k.startswith("discriminator.") for k in changed)
    gan.eval()
    generated = gan.generator(x)
    assert float(adversarial_loss(gan, (x, y, w), WEIGHTS)) == pytest.approx(
        float(((generated - y) ** 2 * w).sum() / w.sum()), rel=1e-5)  # validation: the generator's masked MSE


def test_settings_tie_the_architecture_to_its_network():
    assert DeepHiCSettings().arch == "deephic" and not DeepHiCSettings().bin_tracks
    with pytest.raises(ConfigError):
        DeepHiCSettings(model_kwargs=UNetNetwork())
    with pytest.raises(ConfigError):
        DeepHiCTrainSettings(discriminator_channels=0)


@pytest.fixture(scope="module")
def pairs(small_chrom):
    rng = np.random.default_rng(0)
    counts = small_chrom.observed[:60, :60]
    made = thinned_pairs(counts, {}, [0.05, 0.1, 0.2], rng)
    return made[:2], made[2:]


def test_train_saves_the_generator_as_a_denoiser_that_loads_and_denoises(pairs, tmp_path):
    train, val = pairs
    settings = DeepHiCTrainSettings(
        denoiser=DeepHiCSettings(patch_size=16, stride=12, band_bins=12, model_kwargs=DeepHiCNetwork(channels=4, blocks=1)),
        discriminator_channels=4, fit=DeepHiCFit(max_epochs=2, batch_size=8))
    torch.manual_seed(0)
    config = settings.fit.fit_config(0, "cpu")
    denoiser, result = train_deephic(train, val, settings, config, tmp_path / "m", tmp_path / "w")
    assert result.epochs_run == 2 and np.isfinite(result.best_value)
    loaded = sciml.load_model(tmp_path / "m")
    assert isinstance(loaded, Denoiser) and isinstance(loaded.net, DeepHiCGenerator)
    assert loaded.settings == settings.denoiser
    x = torch.randn(2, 2, 16, 16)
    torch.testing.assert_close(loaded.eval()(x), denoiser.eval()(x))
    extra = loaded.model_config.extra
    assert set(extra["training"]["validation"]) >= {"d_target", "d_generated", "mse", "adversarial"}
    assert extra["training"]["loss"] == {"adversarial": 0.001, "perceptual": 0.006, "total_variation": 2e-8}
    out = loaded.denoise(val[0].noisy)
    assert out.shape == val[0].noisy.shape and np.allclose(out, out.T) and np.isfinite(out).all()
    # the same seed and data give the same weights (the CPU run is reproducible)
    torch.manual_seed(0)
    again, _ = train_deephic(train, val, settings, config, tmp_path / "m2")
    assert all(torch.equal(a, b) for a, b in zip(again.state_dict().values(), denoiser.state_dict().values(),
                                                   strict=True))
