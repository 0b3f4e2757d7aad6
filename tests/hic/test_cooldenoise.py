import json
import warnings
from dataclasses import asdict, replace

import cooler
import numpy as np
import pandas as pd
import pytest
import torch

from sciml.cli import main
from sciml.errors import InputError
from sciml.hic.band import BandMatrix
from sciml.hic.baselines import balance, ice_weights
from sciml.hic.biases import BiasParams
from sciml.hic.cooldenoise import OutOfTrainingRange, check_cool, denoise_cool, map_stats
from sciml.hic.denoise import band_width
from sciml.hic.inputs import baseline_reach
from sciml.hic.io import read_matrix, write_cool
from sciml.hic.models import DENOISER_KIND, Denoiser, build_net
from sciml.hic.settings import DenoiserSettings, RealDenoiser, UNetNetwork
from sciml.hic.simulate import SimulationParams, simulate_chromosome, thin
from sciml.models import save_model

BINSIZE = 10_000
BAND = 12


def _model(folder, training_range=None, baseline="ice"):
    torch.manual_seed(0)
    settings = DenoiserSettings(patch_size=16, stride=12, band_bins=BAND, bin_tracks=True, reverse_average=True,
                                model_kwargs=UNetNetwork(channels=4, depth=1, bin_head=True))
    if baseline == "ice_gauss":  # the default model's inputs: ICE + Gauss corrected, the ICE map, depth
        settings = RealDenoiser(patch_size=16, stride=12, band_bins=BAND,
                                model_kwargs=UNetNetwork(channels=4, depth=1, bin_head=True, gate=True))
    settings = replace(settings, model_kwargs=replace(settings.model_kwargs, in_channels=settings.input_channels()))
    net = build_net("unet", **asdict(settings.model_kwargs))
    for p in net.parameters():  # not the identity the zero-initialised head starts as
        torch.nn.init.normal_(p, std=0.05)
    extra = {} if training_range is None else {"training_range": training_range}
    save_model(folder, Denoiser(net, settings), kind=DENOISER_KIND, settings=settings, extra=extra)
    return folder


def _chrom(n, seed):
    rng = np.random.default_rng(seed)
    return thin(simulate_chromosome(n, SimulationParams(), BiasParams(), rng).observed, 1 / 16, rng)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("cooldenoise")
    maps = {"chrA": _chrom(70, 1), "chrB": _chrom(45, 2)}
    path = write_cool(root / "in.cool", maps, BINSIZE)
    return root, path, maps, _model(root / "model")


@pytest.mark.parametrize("baseline", ["ice", "ice_gauss"])
def test_output_is_the_dense_denoiser_on_the_raw_scale(inputs, tmp_path, baseline):
    root, path, maps, model_dir = inputs
    if baseline != "ice":
        model_dir = _model(tmp_path / "gated", baseline=baseline)
    report = denoise_cool(model_dir, path, tmp_path / "out.cool", device="cpu")
    assert report.chromosomes == ["chrA", "chrB"]
    from sciml.hic.models import load_denoiser

    denoiser = load_denoiser(model_dir)
    for chrom, counts in maps.items():
        out = read_matrix(tmp_path / "out.cool", chrom)
        weights = ice_weights(counts)
        valid = np.isfinite(weights)
        balanced, _ = balance(counts)
        scale = balanced.sum() / (counts * np.outer(np.nan_to_num(weights), np.nan_to_num(weights))).sum()
        expected = denoiser.denoise(balanced)
        d = np.abs(np.subtract.outer(np.arange(len(valid)), np.arange(len(valid))))
        reach = baseline_reach(denoiser.settings, band_width(16, BAND))  # ICE + Gauss: twice the band
        assert reach == (BAND if baseline == "ice" else 2 * BAND)
        inside = (d <= reach) & np.outer(valid, valid)
        back = out * np.outer(np.nan_to_num(weights), np.nan_to_num(weights)) * scale
        np.testing.assert_allclose(back[inside], expected[inside], rtol=1e-6, atol=1e-9)
        np.testing.assert_array_equal(out[~inside], counts[~inside])  # beyond the reach / masked: the input
        assert not np.allclose(out[inside], counts[inside])


def test_weights_are_cooler_balance_compatible_and_bins_are_the_inputs(inputs, tmp_path):
    _, path, _, model_dir = inputs
    denoise_cool(model_dir, path, tmp_path / "out.cool", device="cpu")
    clr, src = cooler.Cooler(str(tmp_path / "out.cool")), cooler.Cooler(str(path))
    pd.testing.assert_frame_equal(clr.bins()[["chrom", "start", "end"]][:], src.bins()[["chrom", "start", "end"]][:])
    ours = clr.bins()["weight"][:].to_numpy()
    theirs, _ = cooler.balance_cooler(clr, cis_only=True, store=False, tol=1e-12)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours[np.isfinite(ours)], theirs[np.isfinite(theirs)], rtol=1e-4)
    assert np.isfinite(clr.matrix(balance=True).fetch("chrA")).any()


def test_metadata_records_provenance_and_out_of_range_maps_are_flagged(inputs, tmp_path):
    root, path, maps, _ = inputs
    stats = map_stats(BandMatrix.from_dense(maps["chrA"], maps["chrA"].sum(axis=1) > 0, BAND), BINSIZE, BAND)
    inside = {"resolution_bp": [BINSIZE, BINSIZE], "contacts_per_bin": [stats.contacts_per_bin / 3, 1e9],
              "band_nonzero_fraction": [0.0, 1.0]}
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutOfTrainingRange)
        report = denoise_cool(_model(tmp_path / "m_in", inside), path, tmp_path / "a.cool", device="cpu")
    meta = json.loads(json.dumps(cooler.Cooler(str(tmp_path / "a.cool")).info["metadata"]))["sciml"]
    assert meta["out_of_training_range"] is False and report.range_problems == {"chrA": [], "chrB": []}
    from sciml.data.fetch import sha256_file

    assert meta["input"]["sha256"] == sha256_file(path) and meta["model"]["kind"] == DENOISER_KIND
    assert meta["model"]["settings"]["band_bins"] == BAND and "version" in " ".join(meta)
    outside = inside | {"resolution_bp": [1_000, 2_000]}
    with pytest.warns(OutOfTrainingRange, match="resolution_bp"):
        denoise_cool(_model(tmp_path / "m_out", outside), path, tmp_path / "b.cool", device="cpu")
    meta = cooler.Cooler(str(tmp_path / "b.cool")).info["metadata"]["sciml"]
    assert meta["out_of_training_range"] is True and "chrA" in meta["range_problems"]


def test_trans_pixels_and_excluded_chromosomes_are_copied(inputs, tmp_path):
    _, path, maps, model_dir = inputs
    src = cooler.Cooler(str(path))
    pixels = src.pixels()[:]
    trans = pd.DataFrame({"bin1_id": [3, 5], "bin2_id": [80, 90], "count": [7, 2]})
    pixels = pd.concat([pixels, trans]).sort_values(["bin1_id", "bin2_id"]).reset_index(drop=True)
    cooler.create_cooler(str(tmp_path / "trans.cool"), src.bins()[:][["chrom", "start", "end"]], pixels)
    denoise_cool(model_dir, tmp_path / "trans.cool", tmp_path / "out.cool", device="cpu", exclude=["chrB"])
    out = cooler.Cooler(str(tmp_path / "out.cool"))
    got = out.pixels()[:].set_index(["bin1_id", "bin2_id"])["count"]
    assert got[(3, 80)] == 7 and got[(5, 90)] == 2
    np.testing.assert_array_equal(out.matrix(balance=False).fetch("chrB"), maps["chrB"])


def test_zoomify_writes_a_balanced_mcool_and_the_cli(inputs, tmp_path, capsys):
    _, path, _, model_dir = inputs
    assert main(["hic", "denoise", "--model", str(model_dir), "--cool", str(path), "--out",
                 str(tmp_path / "out.mcool"), "--zoomify", "--device", "cpu"]) == 0
    assert "denoised 2 chromosomes" in capsys.readouterr().out
    resolutions = cooler.fileops.list_coolers(str(tmp_path / "out.mcool"))
    assert "/resolutions/10000" in resolutions and len(resolutions) >= 1
    base = cooler.Cooler(f"{tmp_path / 'out.mcool'}::/resolutions/10000")
    assert "weight" in base.bins().columns and base.info["nbins"] == 115


def _write(path, pixels, n=(30, 20), dtype="float64"):
    bins = cooler.binnify(pd.Series({"chrA": n[0] * BINSIZE, "chrB": n[1] * BINSIZE}), BINSIZE)
    cooler.create_cooler(str(path), bins, pixels, dtypes={"count": dtype})
    return path


def _dense_pixels(n, offset=0, lam=20.0, seed=0):
    counts = np.triu(np.random.default_rng(seed).poisson(lam, size=(n, n)))
    i, j = np.nonzero(counts)
    return pd.DataFrame({"bin1_id": i + offset, "bin2_id": j + offset, "count": counts[i, j].astype(float)})


@pytest.mark.parametrize("problem", ["fractional", "negative", "nan", "inf", "empty", "all_masked"])
def test_bad_inputs_are_named_before_any_work(tmp_path, inputs, problem):
    model_dir = inputs[3]
    a, b = _dense_pixels(30), _dense_pixels(20, offset=30, seed=1)
    if problem in ("fractional", "negative", "nan", "inf"):
        a.loc[5, "count"] = {"fractional": 2.5, "negative": -1.0, "nan": np.nan, "inf": np.inf}[problem]
    if problem == "empty":
        b = b.iloc[:0]
    if problem == "all_masked":
        b = b[b["bin1_id"] == b["bin2_id"]]
    path = _write(tmp_path / "bad.cool", pd.concat([a, b]).reset_index(drop=True))
    with pytest.raises(InputError) as caught:
        denoise_cool(model_dir, path, tmp_path / "out.cool", device="cpu")
    assert "bad.cool" in str(caught.value)
    if problem in ("empty", "all_masked"):
        assert caught.value.record == "chrB" and "--exclude" in str(caught.value)
        assert check_cool(path, exclude=["chrB"]) == {"chrA": 30}
    assert not (tmp_path / "out.cool").exists()


def test_missing_resolution_and_not_a_cooler(tmp_path, inputs):
    _, path, _, model_dir = inputs
    cooler.zoomify_cooler(str(path), str(tmp_path / "in.mcool"), [BINSIZE, 2 * BINSIZE], chunksize=10_000)
    with pytest.raises(InputError, match="resolutions/10000"):
        denoise_cool(model_dir, f"{tmp_path / 'in.mcool'}::/resolutions/5000", tmp_path / "o.cool", device="cpu")
    (tmp_path / "junk.cool").write_bytes(b"not hdf5")
    with pytest.raises(InputError, match="junk.cool"):
        denoise_cool(model_dir, tmp_path / "junk.cool", tmp_path / "o.cool", device="cpu")
    assert not (tmp_path / "o.cool").exists()


def test_out_of_range_chromosomes_get_the_baseline(inputs, tmp_path):
    _, path, maps, _ = inputs
    outside = {"resolution_bp": [1_000, 2_000], "contacts_per_bin": [0.0, 1e9], "band_nonzero_fraction": [0.0, 1.0]}
    with pytest.warns(OutOfTrainingRange, match="baseline"):
        denoise_cool(_model(tmp_path / "m_out", outside), path, tmp_path / "b.cool", device="cpu")
    meta = cooler.Cooler(str(tmp_path / "b.cool")).info["metadata"]["sciml"]
    assert meta["baseline_fallback"] == {"chrA": "ice", "chrB": "ice"}
    for chrom, counts in maps.items():  # an ICE-baseline model falls back to the input itself
        np.testing.assert_allclose(read_matrix(tmp_path / "b.cool", chrom), counts, rtol=1e-9, atol=1e-9)
