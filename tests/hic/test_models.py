
"""`hic.denoiser` and `hic.bin_corrector` model folders through `sciml.load_model`."""

from dataclasses import asdict

import numpy as np
import torch

import sciml
import sciml.hic
from sciml.hic.bincorrect import BinCorrector
from sciml.hic.models import CORRECTOR_KIND, DENOISER_KIND, Denoiser, build_net
from sciml.hic.settings import DenoiserSettings, UNetNetwork
from sciml.models import read_model_config, save_model


def _map(n, seed=0):
    rng = np.random.default_rng(seed)
    m = rng.poisson(20, (n, n)).astype(float)
    return np.triu(m) + np.triu(m, 1).T


def test_a_denoiser_with_its_correctors_is_one_module(tmp_path):
    torch.manual_seed(0)
    settings = DenoiserSettings(patch_size=16, band_bins=12, model_kwargs=UNetNetwork(channels=8, depth=2),
                                bin_tracks=False, reverse_average=True)
    correctors = [BinCorrector(channels=8, dilations=(1, 2)) for _ in range(2)]
    for c in correctors:
        torch.nn.init.normal_(c.head.weight, std=0.1)  # not the zero-initialised "no correction"
    denoiser = Denoiser(build_net("unet", **asdict(settings.model_kwargs)), settings, correctors)
    extra = {"correctors": {"model_kwargs": {"channels": 8, "dilations": [1, 2]}, "members": [{}, {}]}}
    save_model(tmp_path / "m", denoiser, kind=DENOISER_KIND, settings=settings, extra=extra)
    loaded = sciml.load_model(tmp_path / "m")
    assert isinstance(sciml.hic.load_model(tmp_path / "m"), Denoiser)
    assert isinstance(loaded, Denoiser) and len(loaded.correctors) == 2 and not loaded.training
    assert loaded.settings == settings and loaded.model_config.kind == DENOISER_KIND
    counts = _map(40)
    assert np.allclose(loaded.denoise(counts), denoiser.denoise(counts))
    x = torch.randn(2, 2, 16, 16)
    assert torch.allclose(loaded(x), denoiser.net(x))


def test_a_corrector_folder(tmp_path):
    corrector = BinCorrector(channels=8, dilations=(1,))
    save_model(tmp_path / "c", corrector, kind=CORRECTOR_KIND, settings={"model_kwargs": {"channels": 8, "dilations": [1]}},
               extra={"target_band": 30})
    loaded = sciml.load_model(tmp_path / "c")
    assert isinstance(loaded, BinCorrector) and read_model_config(tmp_path / "c").extra["target_band"] == 30
