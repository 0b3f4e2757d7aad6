"""The DeepHiC-style adversarial baseline (Hong et al., PLoS Comput Biol 16:e1007287, 2020).

A residual generator G maps a low-depth patch to an enhanced one; a convolutional discriminator D
tells enhanced patches from target patches. D is trained with binary cross-entropy; G with

    L_G = MSE(G(x), y) + a L_adv + p L_perc + t L_tv,    L_adv = mean(1 - D(G(x))),

the published weights being a = 0.001, p = 0.006, t = 2e-8 (`sciml.hic.settings.GANLossWeights`).
Both networks take one Adam step per batch from one backward pass (`adversarial_loss`): D's loss sees
G's output detached, and G's adversarial term sees D with its parameters held fixed, so each network
gets exactly the gradient of its own loss (the published loop does the same: G's adversarial term
uses D's outputs from before D's step).

Where this differs from the published model, and why:
- Maps are log1p of ICE-balanced counts (the project's encoding; the default model's tiles and
  targets), not counts clipped at 255 (target) or 100 (input) and divided by the clip, which ties a
  model to one sequencing depth. The generator's output is therefore linear, not (tanh + 1) / 2.
- Pixels outside the distance band or of masked bins carry no loss and are set to zero in both
  images before D or the feature extractor sees them (else D tells the two apart by them alone).
- The perceptual term compares fixed multi-scale structure features (`structure_features`: two
  Sobel gradients and the Laplacian at full, 1/2 and 1/4 resolution) instead of the features of an
  ImageNet-trained VGG16, whose weights cannot be downloaded at run time.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call

from sciml.hic.settings import GANLossWeights

#: average-pooling factors of the perceptual term's structure features
FEATURE_SCALES = (1, 2, 4)


class ResidualBlock(nn.Module):
    """conv 3x3 - batch norm - swish - conv 3x3 - batch norm, added to the input.

    Shapes:
        x (B, C, H, W) -> (B, C, H, W).
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.SiLU(),
            nn.Conv2d(channels, channels, 3, padding=1), nn.BatchNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class DeepHiCGenerator(nn.Module):
    """DeepHiC's generator: a 9x9 convolution with swish, residual blocks, a 3x3 convolution with
    batch norm and swish, a skip from the first convolution, and a 9x9 convolution to one channel.

    Reads the first input channel only (the log1p ICE map); the output is linear (log1p counts).

    Args:
        channels: feature channels (published: 64).
        blocks: residual blocks (published: 5).

    Shapes:
        x (B, C, P, P) -> (B, 1, P, P).
    """

    def __init__(self, channels: int = 64, blocks: int = 5) -> None:
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(1, channels, 9, padding=4), nn.SiLU())
        self.body = nn.Sequential(*(ResidualBlock(channels) for _ in range(blocks)),
                                  nn.Conv2d(channels, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.SiLU())
        self.tail = nn.Conv2d(channels, 1, 9, padding=4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        embedded = self.head(x[:, :1])
        return self.tail(self.body(embedded) + embedded)


class DeepHiCDiscriminator(nn.Module):
    """DeepHiC's discriminator: six 3x3 convolutions with swish (batch norm on all but the first; stride 2
    on every second one; channels c, c, 2c, 2c, 4c, 4c), a 1x1 convolution to one channel and a global mean.

    Args:
        channels: channels of the first convolution (published: 64).

    Shapes:
        x (B, 1, P, P) -> (B,) logits (D's probability is their sigmoid).
    """

    def __init__(self, channels: int = 64) -> None:
        super().__init__()
        c = channels
        layers: list[nn.Module] = [nn.Conv2d(1, c, 3, padding=1), nn.SiLU()]
        for c_in, c_out, stride in ((c, c, 2), (c, 2 * c, 1), (2 * c, 2 * c, 2), (2 * c, 4 * c, 1), (4 * c, 4 * c, 2)):
            layers += [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1), nn.BatchNorm2d(c_out), nn.SiLU()]
        layers += [nn.Conv2d(4 * c, 1, 1), nn.AdaptiveAvgPool2d(1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


class DeepHiCGAN(nn.Module):
    """The generator and discriminator trained together; `forward` is the generator's.

    Args:
        generator: the patch network kept after training.
        discriminator: its adversary (used in training only).

    Shapes:
        forward: x (B, C, P, P) -> (B, 1, P, P).
    """

    def __init__(self, generator: DeepHiCGenerator, discriminator: DeepHiCDiscriminator) -> None:
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.generator(x)


def structure_features(images: torch.Tensor, scales: tuple[int, ...] = FEATURE_SCALES) -> torch.Tensor:
    """Fixed multi-scale structure features (the perceptual term's stand-in for VGG16 features): the
    horizontal and vertical Sobel gradients and the Laplacian of the image average-pooled by each scale.

    Shapes:
        images (B, 1, P, P) -> (B, F), F = 3 x sum((P // s)^2 for s in scales).
    """
    kernels = torch.tensor([[[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]],
                            [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]],
                            [[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]],
                           dtype=images.dtype, device=images.device)[:, None]
    features = []
    for scale in scales:
        pooled = F.avg_pool2d(images, scale) if scale > 1 else images
        features.append(F.conv2d(pooled, kernels, padding=1).flatten(1))
    return torch.cat(features, dim=1)


def total_variation(images: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Mean squared difference of vertical plus that of horizontal neighbours, times 2 (DeepHiC's TV
    term), over neighbour pairs that both carry weight.

    Shapes:
        images, weight: (B, 1, P, P) -> scalar.
    """
    terms = []
    for dim in (2, 3):
        n = images.shape[dim]
        pair = (weight.narrow(dim, 1, n - 1) > 0) & (weight.narrow(dim, 0, n - 1) > 0)
        diff = images.narrow(dim, 1, n - 1) - images.narrow(dim, 0, n - 1)
        terms.append((diff**2 * pair).sum() / pair.sum().clamp_min(1))
    return 2 * (terms[0] + terms[1])


def masked_mse(output: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Weighted mean squared error. Shapes: output, target, weight (B, 1, P, P) -> scalar."""
    return ((output - target) ** 2 * weight).sum() / weight.sum().clamp_min(1.0)


def frozen_logits(discriminator: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """The discriminator's logits with its parameters held fixed: gradients reach `images` (the
    generator), not the discriminator, and its batch-norm running statistics are left as they are.

    Shapes:
        images (B, 1, P, P) -> (B,).
    """
    state = {name: p.detach() for name, p in discriminator.named_parameters()}
    state |= {name: b.clone() for name, b in discriminator.named_buffers()}
    return functional_call(discriminator, state, (images,))


def generator_loss(generated: torch.Tensor, target: torch.Tensor, weight: torch.Tensor, logits: torch.Tensor,
                   weights: GANLossWeights) -> dict[str, torch.Tensor]:
    """The terms of DeepHiC's generator loss and their weighted sum (`total`).

    Args:
        generated: the generator's output (log1p counts).
        target: the target patches.
        weight: pixel weights (in band and valid); zero-weight pixels are zeroed before the
            features are taken.
        logits: the discriminator's logits of the (masked) generated patches.
        weights: the terms' weights.

    Returns:
        {"mse", "adversarial", "perceptual", "total_variation", "total"}.

    Shapes:
        generated, target, weight: (B, 1, P, P); logits: (B,).
    """
    mask = (weight > 0).to(generated.dtype)
    terms = {
        "mse": masked_mse(generated, target, weight),
        "adversarial": (1 - torch.sigmoid(logits)).mean(),
        "perceptual": F.mse_loss(structure_features(generated * mask), structure_features(target * mask)),
        "total_variation": total_variation(generated, weight),
    }
    terms["total"] = (terms["mse"] + weights.adversarial * terms["adversarial"]
                      + weights.perceptual * terms["perceptual"] + weights.total_variation * terms["total_variation"])
    return terms


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of D on target patches (label 1) plus on generated ones (label 0).

    Shapes:
        real_logits, fake_logits: (B,) -> scalar.
    """
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


def adversarial_loss(gan: DeepHiCGAN, batch: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
                     weights: GANLossWeights) -> torch.Tensor:
    """One step's loss for `sciml.train.fit`: L_D + L_G, whose gradient is L_D's for the discriminator
    and L_G's for the generator (see the module docstring).

    In eval mode (validation) it is the generator's masked MSE alone: the criterion the epoch is
    chosen by, the same as every other Hi-C denoiser's.

    Shapes:
        batch: x (B, C, P, P), y and w (B, 1, P, P).
    """
    x, y, w = batch
    generated = gan.generator(x)
    if not gan.training:
        return masked_mse(generated, y, w)
    mask = (w > 0).to(y.dtype)
    d_loss = discriminator_loss(gan.discriminator(y * mask), gan.discriminator(generated.detach() * mask))
    g_terms = generator_loss(generated, y, w, frozen_logits(gan.discriminator, generated * mask), weights)
    return d_loss + g_terms["total"]


@torch.no_grad()
def discriminator_scores(gan: DeepHiCGAN, loader: torch.utils.data.DataLoader, weights: GANLossWeights,
                         device: str | torch.device = "cpu") -> dict[str, float]:
    """D's mean probability (eval mode) that target and generated patches are targets, and the terms
    of L_G, averaged over the batches of `loader` (a record of how far the adversary got).

    Returns:
        {"d_target", "d_generated", "mse", "adversarial", "perceptual", "total_variation", "total"}.
    """
    gan.eval().to(device)
    sums: dict[str, float] = {}
    batches = 0
    for x, y, w in loader:
        x, y, w = x.to(device), y.to(device), w.to(device)
        mask = (w > 0).to(y.dtype)
        generated = gan.generator(x)
        fake = gan.discriminator(generated * mask)
        row = {"d_target": float(torch.sigmoid(gan.discriminator(y * mask)).mean()),
               "d_generated": float(torch.sigmoid(fake).mean())}
        row |= {k: float(v) for k, v in generator_loss(generated, y, w, fake, weights).items()}
        for k, v in row.items():
            sums[k] = sums.get(k, 0.0) + v
        batches += 1
    return {k: v / max(batches, 1) for k, v in sums.items()}
