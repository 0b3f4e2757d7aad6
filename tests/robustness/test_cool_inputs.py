"""Bad-input suite for the `.cool` reader (Hi-C ingestion).

A valid two-chromosome cool is corrupted (truncated, byte noise, not HDF5 at all) or written with
impossible content (negative or NaN counts, a non-symmetric map, no balancing weights when ICE is
asked for). `read_matrix` must return a valid contact map or raise `InputError` naming the file;
`sciml hic sample` and `sciml hic denoise` must write a valid cooler or raise it, writing nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named, files_in

from sciml.errors import InputError
from sciml.hic.io import read_matrix, write_cool
from sciml.hic.matrix import check_contact_matrix

BINSIZE = 1000


def _symmetric_counts(n: int, seed: int) -> np.ndarray:
    upper = np.triu(np.random.default_rng(seed).poisson(20.0, size=(n, n)))
    return (upper + np.triu(upper, 1).T).astype(np.int64)


@pytest.fixture(scope="module")
def valid_cool(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cool-valid") / "valid.cool"
    write_cool(path, {"chrA": _symmetric_counts(30, 0), "chrB": _symmetric_counts(12, 1)}, BINSIZE,
               weights={"chrA": np.ones(30), "chrB": np.ones(12)})
    return path


def _read(path: Path, chrom: str = "chrA", balance: bool = False) -> np.ndarray | None:
    matrix = accepted_or_named(lambda: read_matrix(path, chrom, balance=balance), path)
    if matrix is not None:
        check_contact_matrix(matrix, path)
    return matrix


def test_valid_cool_is_read(valid_cool):
    assert _read(valid_cool).shape == (30, 30)
    assert _read(valid_cool, "chrB", balance=True).shape == (12, 12)


@READER_SETTINGS
@given(keep=st.floats(0.0, 0.999), balance=st.booleans())
def test_truncated_cool(valid_cool, tmp_path_factory, keep, balance):
    folder = tmp_path_factory.mktemp("cool")
    path = folder / "in.cool"
    content = valid_cool.read_bytes()
    path.write_bytes(content[: int(keep * len(content))])
    assert _read(path, balance=balance) is None
    assert files_in(folder) == {"in.cool"}


@READER_SETTINGS
@given(data=st.data())
def test_byte_noise_in_cool(valid_cool, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("cool") / "in.cool"
    content = bytearray(valid_cool.read_bytes())
    start = data.draw(st.integers(0, len(content) - 1))
    noise = data.draw(st.binary(min_size=1, max_size=64))
    content[start:start + len(noise)] = noise[: len(content) - start]
    path.write_bytes(bytes(content))
    _read(path, chrom=data.draw(st.sampled_from(["chrA", "chrB"])), balance=data.draw(st.booleans()))


@READER_SETTINGS
@given(content=st.binary(max_size=200))
def test_not_a_cool_file(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("cool") / "in.cool"
    path.write_bytes(content)
    assert _read(path) is None


def _raw_cool(path: Path, pixels: pd.DataFrame, n: int, symmetric_upper: bool = True) -> Path:
    import cooler

    bins = cooler.binnify(pd.Series({"chrA": n * BINSIZE}), BINSIZE)
    cooler.create_cooler(str(path), bins, pixels, ordered=True, symmetric_upper=symmetric_upper,
                         dtypes={"count": "float64"})
    return path


@pytest.mark.parametrize("bad", ["negative", "nan", "inf"])
def test_impossible_counts_are_named(tmp_path, bad):
    value = {"negative": -3.0, "nan": np.nan, "inf": np.inf}[bad]
    pixels = pd.DataFrame({"bin1_id": [0, 0, 1], "bin2_id": [0, 1, 2], "count": [5.0, value, 2.0]})
    path = _raw_cool(tmp_path / "bad.cool", pixels, 4)
    with pytest.raises(InputError) as caught:
        read_matrix(path, "chrA")
    assert "bad.cool" in str(caught.value)


def test_non_symmetric_map_is_named(tmp_path):
    pixels = pd.DataFrame({"bin1_id": [0, 1, 2], "bin2_id": [1, 0, 2], "count": [5.0, 1.0, 2.0]})
    path = _raw_cool(tmp_path / "asym.cool", pixels, 4, symmetric_upper=False)
    with pytest.raises(InputError, match="not symmetric"):
        read_matrix(path, "chrA")


def test_balance_without_weights_is_named(valid_cool, tmp_path):
    path = tmp_path / "noweights.cool"
    write_cool(path, {"chrA": _symmetric_counts(10, 2)}, BINSIZE)
    with pytest.raises(InputError, match="no balancing weights") as caught:
        read_matrix(path, "chrA", balance=True)
    assert "noweights.cool" in str(caught.value)


def test_unknown_chromosome_is_named(valid_cool, tmp_path):
    shutil.copy(valid_cool, tmp_path / "c.cool")
    assert _read(tmp_path / "c.cool", chrom="chrZ") is None


# `sciml hic sample` and `sciml hic denoise` on damaged or impossible coolers: a valid cooler with the
# input's bins, or an InputError naming the file, and no output file either way.

FEW = settings(max_examples=12, deadline=20_000, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    from dataclasses import asdict, replace

    import torch

    from sciml.hic.models import DENOISER_KIND, Denoiser, build_net
    from sciml.hic.settings import DenoiserSettings, UNetNetwork
    from sciml.models import save_model

    torch.manual_seed(0)
    config = DenoiserSettings(patch_size=8, stride=8, band_bins=6, bin_tracks=True, reverse_average=False,
                              model_kwargs=UNetNetwork(channels=4, depth=1, bin_head=True))
    config = replace(config, model_kwargs=replace(config.model_kwargs, in_channels=config.input_channels()))
    folder = tmp_path_factory.mktemp("tiny-model") / "model"
    save_model(folder, Denoiser(build_net("unet", **asdict(config.model_kwargs)), config), kind=DENOISER_KIND,
               settings=config)
    return folder


def _sample_and_denoise(path: Path, folder: Path, model: Path) -> None:
    from sciml.hic.cooldenoise import denoise_cool
    from sciml.hic.sample import sample_cool

    for out, run in ((folder / "s.cool", lambda o: sample_cool(path, o, frac=0.5, seed=1)),
                     (folder / "d.cool", lambda o: denoise_cool(model, path, o, device="cpu"))):
        produced = accepted_or_named(lambda run=run, out=out: run(out), path)
        if produced is None:
            assert not out.exists()
        else:
            import cooler

            assert cooler.Cooler(str(out)).info["nbins"] == cooler.Cooler(str(path)).info["nbins"]


@FEW
@given(keep=st.floats(0.0, 0.999))
def test_sample_and_denoise_truncated_cool(valid_cool, tiny_model, tmp_path_factory, keep):
    folder = tmp_path_factory.mktemp("cool")
    path = folder / "in.cool"
    content = valid_cool.read_bytes()
    path.write_bytes(content[: int(keep * len(content))])
    _sample_and_denoise(path, folder, tiny_model)
    assert files_in(folder) == {"in.cool"}


@FEW
@given(data=st.data())
def test_sample_and_denoise_impossible_pixels(tiny_model, tmp_path_factory, data):
    import cooler

    folder = tmp_path_factory.mktemp("cool")
    n = data.draw(st.integers(1, 40))
    counts = data.draw(st.lists(st.sampled_from([0.0, 1.0, 3.0, 20.0, 2.5, -1.0, np.nan, np.inf]),
                                min_size=n * (n + 1) // 2, max_size=n * (n + 1) // 2))
    i, j = np.triu_indices(n)
    pixels = pd.DataFrame({"bin1_id": i, "bin2_id": j, "count": counts})
    pixels = pixels[pixels["count"] != 0]
    bins = cooler.binnify(pd.Series({"chrA": n * BINSIZE}), BINSIZE)
    cooler.create_cooler(str(folder / "in.cool"), bins, pixels, dtypes={"count": "float64"})
    _sample_and_denoise(folder / "in.cool", folder, tiny_model)


def test_train_real_names_a_bad_library_before_training(valid_cool, tmp_path):
    from sciml.hic.pipeline import train_real
    from sciml.hic.settings import RealTrainSettings, YeastSettings

    other = write_cool(tmp_path / "other.cool", {"chrA": _symmetric_counts(30, 2)}, 2 * BINSIZE)
    with pytest.raises(InputError, match="other.cool"):
        train_real(tmp_path / "m", RealTrainSettings(), replicate_cools=[valid_cool, other])
    junk = tmp_path / "junk.cool"
    junk.write_bytes(b"not a cooler")
    with pytest.raises(InputError, match="junk.cool"):
        train_real(tmp_path / "m", RealTrainSettings(), replicate_cools=[valid_cool, junk])
    negative = _symmetric_counts(30, 3)
    negative[2, 5] = negative[5, 2] = -4
    bad = write_cool(tmp_path / "negative.cool", {"chrA": negative, "chrB": _symmetric_counts(12, 1)}, BINSIZE)
    split = RealTrainSettings(yeast=YeastSettings(test_chromosomes=(), val_chromosomes=("chrB",)))
    with pytest.raises(InputError, match="negative.cool"):
        train_real(tmp_path / "m", split, chrom_split_cool=bad)
    assert not (tmp_path / "m").exists()


def test_train_deephic_names_a_bad_library_before_training(valid_cool, tmp_path):
    from sciml.hic.pipeline import train_deephic
    from sciml.hic.settings import DeepHiCTrainSettings

    other = write_cool(tmp_path / "other.cool", {"chrA": _symmetric_counts(30, 2)}, 2 * BINSIZE)
    with pytest.raises(InputError, match="other.cool"):
        train_deephic(tmp_path / "m", DeepHiCTrainSettings(), replicate_cools=[valid_cool, other])
    junk = tmp_path / "junk.cool"
    junk.write_bytes(b"not a cooler")
    with pytest.raises(InputError, match="junk.cool"):
        train_deephic(tmp_path / "m", DeepHiCTrainSettings(), chrom_split_cool=junk)
    assert not (tmp_path / "m").exists()
