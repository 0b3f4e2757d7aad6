import json

import numpy as np
import pytest

from sciml.cli import main
from sciml.hic.io import chromosome_sizes, read_matrix, write_cool


def _config(path, settings):
    path.write_text(json.dumps(settings))
    return str(path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    for split, seed in (("train", 1), ("val", 2)):
        settings = {"split": split, "n_chroms": 1, "n_bins": 48, "depths": [16], "seed": seed,
                    "simulation": {"tad_size_bins": [10, 16]}}
        assert main(["hic", "simulate", "--out", str(root / split),
                     "--config", _config(root / f"sim_{split}.json", settings)]) == 0
    train_settings = {"denoiser": {"patch_size": 16, "stride": 16, "band_bins": 12, "reverse_average": False,
                                   "bin_tracks": True, "model_kwargs": {"channels": 4, "depth": 1, "bin_head": True}},
                      "fit": {"max_epochs": 1, "batch_size": 8}, "depths": [16]}
    assert main(["hic", "train", "--train", str(root / "train"), "--val", str(root / "val"), "--out",
                 str(root / "model"), "--work", str(root / "work"),
                 "--config", _config(root / "train.json", train_settings), "--device", "cpu"]) == 0
    corrector = _config(root / "corrector.json", {"model_kwargs": {"channels": 8, "dilations": [1, 2]},
                                                  "fit": {"max_epochs": 1, "batch_size": 1},
                                                  "target_band_bins": 8, "depths": [16]})
    assert main(["hic", "corrector-inputs", "--model", str(root / "model"), "--train", str(root / "train"), "--val",
                 str(root / "val"), "--out", str(root / "inputs"), "--config", corrector, "--device", "cpu"]) == 0
    for member in (0, 1):
        assert main(["hic", "train-corrector", "--model", str(root / "model"), "--inputs", str(root / "inputs"),
                     "--out", str(root / f"bc{member}"), "--work", str(root / f"work_bc{member}"),
                     "--config", corrector, "--set", f"member={member}", "--device", "cpu"]) == 0
    assert main(["hic", "attach-correctors", "--model", str(root / "model"), "--correctors", str(root / "bc0"),
                 str(root / "bc1"), "--out", str(root / "corrected")]) == 0
    config = json.loads((root / "corrected" / "config.json").read_text())
    assert config["kind"] == "hic.denoiser"
    assert [m["fit"]["seed"] for m in config["extra"]["correctors"]["members"]] == [0, 1]
    return root


@pytest.mark.parametrize("model", ["model", "corrected"])
def test_denoise_keeps_bins_for_any_chromosome_size(trained, tmp_path, model):
    rng = np.random.default_rng(0)
    maps = {}
    # "small" is smaller than the 16-bin patch; "tiny" has too few bins for ICE (min_nnz 10): excluded
    for name, n in (("big", 40), ("small", 14), ("tiny", 6)):
        d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
        m = rng.poisson(200.0 / (d + 1))
        maps[name] = np.triu(m) + np.triu(m, 1).T
    cool = write_cool(tmp_path / "in.cool", maps, binsize=10_000,
                      chrom_lengths={"big": 395_000, "small": 140_000, "tiny": 55_000})
    out = tmp_path / "out.cool"
    assert main(["hic", "denoise", "--model", str(trained / model), "--cool", str(cool), "--out", str(out),
                 "--device", "cpu"]) == 2
    assert not out.exists()
    assert main(["hic", "denoise", "--model", str(trained / model), "--cool", str(cool), "--out", str(out),
                 "--device", "cpu", "--exclude", "tiny"]) == 0
    assert chromosome_sizes(out) == chromosome_sizes(cool)
    for name in maps:
        den = read_matrix(out, name)
        assert den.shape == maps[name].shape and np.allclose(den, den.T) and (den >= 0).all()
    np.testing.assert_array_equal(read_matrix(out, "tiny"), maps["tiny"])


def test_bad_inputs_exit_2_with_a_message(trained, tmp_path, capsys):
    asym = tmp_path / "asym.cool"
    write_cool(asym, {"c": np.ones((20, 20))}, binsize=10)
    import h5py

    with h5py.File(asym, "r+") as f:  # make one stored pixel negative
        f["pixels/count"][3] = -5
    assert main(["hic", "denoise", "--model", str(trained / "model"), "--cool", str(asym), "--out",
                 str(tmp_path / "o.cool")]) == 2
    assert "asym.cool: negative counts in the pixel table" in capsys.readouterr().err
    assert not (tmp_path / "o.cool").exists()
    assert main(["hic", "simulate", "--out", str(tmp_path / "s"), "--set", "n_bins=20",
                 "--config", _config(tmp_path / "bad.json", {"simulation": {"alfa": [1, 2]}})]) == 2
    assert "simulation.alfa" in capsys.readouterr().err
    assert main(["hic", "denoise", "--model", str(tmp_path), "--cool", str(asym), "--out", "x.cool"]) == 2
    assert "not a sciml model folder" in capsys.readouterr().err
    corrector = ["hic", "train-corrector", "--model", str(trained / "model"), "--out", str(tmp_path / "c"),
                 "--work", str(tmp_path / "w")]
    assert main([*corrector, "--inputs", str(trained / "inputs"), "--set", "channels=8"]) == 2
    assert "channels" in capsys.readouterr().err
    assert main([*corrector, "--inputs", str(tmp_path)]) == 2  # no inputs there
    assert "denoiser.json: these corrector inputs were not made by the denoiser" in capsys.readouterr().err
    (tmp_path / "denoiser.json").write_text((trained / "model" / "config.json").read_text())
    assert main([*corrector, "--inputs", str(tmp_path)]) == 2
    assert "examples.safetensors" in capsys.readouterr().err and not (tmp_path / "c").exists()
