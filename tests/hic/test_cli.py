import json

import numpy as np
import pytest

from sciml.cli import main
from sciml.hic.cool import chromosome_sizes, read_matrix, write_cool


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    settings = json.dumps({"simulation": {"tad_size_bins": [10, 16]}, "bias": {"gc_sigma": 0.2}})
    for split, seed in (("train", 1), ("val", 2)):
        assert main(["hic", "simulate", "--out", str(root / split), "--n-chroms", "1", "--n-bins", "48",
                     "--depths", "16", "--settings", settings, "--seed", str(seed)]) == 0
    train_settings = json.dumps({"denoiser": {"patch_size": 16, "stride": 16, "band_bins": 12, "arch": "unet",
                                              "bin_tracks": True, "model_kwargs": {"channels": 4, "depth": 1, "bin_head": True}},
                                 "fit": {"max_epochs": 1, "batch_size": 8}})
    assert main(["hic", "train", "--train", str(root / "train"), "--val", str(root / "val"), "--out",
                 str(root / "model"), "--work", str(root / "work"), "--depths", "16", "--settings",
                 train_settings, "--device", "cpu"]) == 0
    corrector = json.dumps({"model_kwargs": {"channels": 8, "dilations": [1, 2]}, "fit": {"max_epochs": 1, "batch_size": 1}})
    assert main(["hic", "corrector-inputs", "--model", str(root / "model"), "--train", str(root / "train"), "--val",
                 str(root / "val"), "--out", str(root / "inputs"), "--depths", "16", "--target-band", "8",
                 "--device", "cpu"]) == 0
    for seed in (0, 1):
        assert main(["hic", "train-corrector", "--model", str(root / "model"), "--inputs", str(root / "inputs"),
                     "--out", str(root / f"bc{seed}"),
                     "--work", str(root / f"work_bc{seed}"), "--settings", corrector, "--seed", str(seed),
                     "--device", "cpu"]) == 0
    assert main(["hic", "attach-correctors", "--model", str(root / "model"), "--correctors", str(root / "bc0"),
                 str(root / "bc1"), "--out", str(root / "corrected")]) == 0
    assert [m["fit"]["seed"] for m in json.loads((root / "corrected" / "config.json").read_text())
            ["bin_corrector"]["members"]] == [0, 1]
    return root


@pytest.mark.parametrize("model", ["model", "corrected"])
def test_denoise_keeps_bins_for_any_chromosome_size(trained, tmp_path, model):
    rng = np.random.default_rng(0)
    maps = {}
    for name, n in (("big", 40), ("small", 11)):  # "small" is smaller than the 16-bin patch
        d = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
        m = rng.poisson(200.0 / (d + 1))
        maps[name] = np.triu(m) + np.triu(m, 1).T
    cool = write_cool(tmp_path / "in.cool", maps, binsize=10_000, chrom_lengths={"big": 395_000, "small": 110_000})
    out = tmp_path / "out.cool"
    assert main(["hic", "denoise", "--model", str(trained / model), "--cool", str(cool), "--out", str(out),
                 "--device", "cpu"]) == 0
    assert chromosome_sizes(out) == chromosome_sizes(cool)
    for name in maps:
        den = read_matrix(out, name)
        assert den.shape == maps[name].shape and np.allclose(den, den.T) and (den >= 0).all()


def test_bad_inputs_exit_2_with_a_message(trained, tmp_path, capsys):
    asym = tmp_path / "asym.cool"
    write_cool(asym, {"c": np.ones((20, 20))}, binsize=10)
    import h5py

    with h5py.File(asym, "r+") as f:  # make one stored pixel negative
        f["pixels/count"][3] = -5
    assert main(["hic", "denoise", "--model", str(trained / "model"), "--cool", str(asym), "--out",
                 str(tmp_path / "o.cool")]) == 2
    assert "asym.cool [c]: contact matrix has negative counts" in capsys.readouterr().err
    assert not (tmp_path / "o.cool").exists()
    assert main(["hic", "simulate", "--out", str(tmp_path / "s"), "--n-chroms", "1", "--n-bins", "20",
                 "--settings", '{"simulation": {"alfa": [1, 2]}}']) == 2
    assert "hic.simulation.alfa" in capsys.readouterr().err
    assert main(["hic", "denoise", "--model", str(tmp_path), "--cool", str(asym), "--out", "x.cool"]) == 2
    assert "not a saved sciml model directory" in capsys.readouterr().err
    corrector = ["hic", "train-corrector", "--model", str(trained / "model"), "--out", str(tmp_path / "c"),
                 "--work", str(tmp_path / "w")]
    assert main([*corrector, "--inputs", str(trained / "inputs"), "--settings", '{"channels": 8}']) == 2
    assert "hic.bin_corrector.channels" in capsys.readouterr().err
    assert main([*corrector, "--inputs", str(tmp_path)]) == 2  # no inputs there
    assert "denoiser.json: these corrector inputs were not made by the denoiser" in capsys.readouterr().err
    (tmp_path / "denoiser.json").write_text((trained / "model" / "config.json").read_text())
    assert main([*corrector, "--inputs", str(tmp_path)]) == 2
    assert "examples.safetensors" in capsys.readouterr().err and not (tmp_path / "c").exists()
