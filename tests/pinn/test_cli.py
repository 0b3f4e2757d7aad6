"""`sciml pinn ...` end to end on tiny runs: train, inverse, evaluate, predict, figures, metrics, bad input."""

from __future__ import annotations

import json

import pytest

from sciml.cli import main

TINY = ["--set", "network.width=8", "--set", "network.depth=3", "--set", "train.n_collocation=200",
        "--set", "train.adam_steps=30", "--set", "train.lbfgs_steps=20", "--device", "cpu"]


@pytest.fixture(scope="module")
def reference_dir(data_mirror, tmp_path_factory):
    from sciml.data import fetch

    return fetch("pinn-reference", root=tmp_path_factory.mktemp("raw"), mirror=data_mirror)


def test_train_evaluate_predict_figures_metrics(tmp_path, reference_dir, capsys):
    model = tmp_path / "models" / "heat"
    (tmp_path / "heat.yaml").write_text("pde: heat\nnetwork: {width: 8, depth: 3}\n")
    assert main(["pinn", "train", "--config", str(tmp_path / "heat.yaml"), "--out", str(model), *TINY]) == 0
    saved = json.loads((model / "metrics.json").read_text())
    assert {"rel_l2", "seconds", "steps", "final_loss"} <= set(saved) and saved["steps"] >= 30
    assert not (tmp_path / "models" / "heat.ckpt").exists()
    capsys.readouterr()
    assert main(["pinn", "evaluate", "--model", str(model), "--out", str(tmp_path / "eval.json")]) == 0
    assert json.loads(capsys.readouterr().out)["rel_l2"] == pytest.approx(saved["rel_l2"], rel=1e-12)

    (tmp_path / "points.tsv").write_text("x\tt\n0.5\t0.0\n0.25\t0.5\n")
    assert main(["pinn", "predict", "--model", str(model), "--points", str(tmp_path / "points.tsv"),
                 "--out", str(tmp_path / "u.tsv")]) == 0
    rows = (tmp_path / "u.tsv").read_text().splitlines()
    assert rows[0] == "x\tt\tu" and float(rows[1].split("\t")[2]) == pytest.approx(1.0, abs=1e-12)  # exact IC

    assert main(["pinn", "figures", "--model", str(model), "--solution", str(tmp_path / "s.png"),
                 "--losses", str(tmp_path / "l.png")]) == 0
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG" and (tmp_path / "l.png").stat().st_size > 1000

    inverse = tmp_path / "models" / "burgers_inverse"
    assert main(["pinn", "inverse", "--data", str(reference_dir), "--out", str(inverse), "--set", "n_observations=300",
                 "--set", "noise=0.01", *TINY]) == 0
    assert main(["pinn", "metrics", "--models", str(model), str(inverse), "--out", str(tmp_path / "m.json")]) == 0
    metrics = json.loads((tmp_path / "m.json").read_text())
    assert {"lambda1_rel_error", "lambda2_rel_error", "noise"} <= set(metrics["burgers_inverse"])
    assert "rel_l2" in metrics["heat"] and "pinn-reference" in metrics["provenance"]["data"]


def test_bad_inputs_exit_2_naming_the_problem(tmp_path, capsys):
    assert main(["pinn", "evaluate", "--model", str(tmp_path)]) == 2
    assert "config.json" in capsys.readouterr().err
    assert main(["pinn", "train", "--set", "pde=allen_cahn", "--out", str(tmp_path / "ac"), *TINY]) == 2
    assert "pinn-reference" in capsys.readouterr().err and not (tmp_path / "ac").exists()
    assert main(["pinn", "train", "--set", "pde=heat", "--out", str(tmp_path / "h"), "--set", "train.dtype=float16",
                 *TINY]) == 2
    assert "dtype" in capsys.readouterr().err
    assert main(["pinn", "inverse", "--data", str(tmp_path), "--out", str(tmp_path / "inv"), *TINY]) == 2
    assert "burgers_shock.mat" in capsys.readouterr().err
    assert main(["pinn", "train", "--set", "train.lbfgs_stepz=3", "--out", str(tmp_path / "h")]) == 2
    assert "train.lbfgs_stepz" in capsys.readouterr().err


def test_three_field_benchmark_problem_end_to_end(tmp_path, data_mirror, capsys):
    from sciml.data import fetch

    data = fetch("pinn-benchmarks", root=tmp_path / "raw", mirror=data_mirror)
    model = tmp_path / "ldc"
    assert main(["pinn", "train", "--set", "pde=lid_driven_cavity", "--data", str(data), "--out", str(model), *TINY]) == 0
    saved = json.loads((model / "metrics.json").read_text())
    assert {"rel_l2", "rel_l2_u", "rel_l2_v", "rel_l2_p"} <= set(saved) and 0 < saved["rel_l2"] < 10
    capsys.readouterr()
    assert main(["pinn", "evaluate", "--model", str(model), "--data", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["rel_l2"] == pytest.approx(saved["rel_l2"], rel=1e-12)
    assert main(["pinn", "figures", "--model", str(model), "--data", str(data), "--solution", str(tmp_path / "s.png"),
                 "--losses", str(tmp_path / "l.png")]) == 0
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["pinn", "train", "--set", "pde=poisson_2d_cg", "--out", str(tmp_path / "cg"), *TINY]) == 2
    assert "pinn-benchmarks" in capsys.readouterr().err and not (tmp_path / "cg").exists()
