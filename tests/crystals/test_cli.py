import csv
import json

import ase.io
import numpy as np
from ase import Atoms
from ase.calculators.singlepoint import SinglePointCalculator

from sciml.cli import main
from sciml.crystals.io import energy_of, forces_of


def _config(path, mapping):
    path.write_text(json.dumps(mapping))
    return str(path)


def test_generate_train_evaluate_predict_report(tmp_path, capsys):
    data = tmp_path / "data"
    generate = _config(tmp_path / "generate.json", {"family": "silicon", "n_train": 8, "n_val": 2, "n_test": 3,
                                                    "max_atoms": 8, "seed": 1})
    assert main(["crystals", "generate", "--config", generate, "--out", str(data)]) == 0
    assert sorted(p.name for p in data.iterdir()) == ["test.extxyz", "train.extxyz", "val.extxyz"]
    model = tmp_path / "model"
    train = _config(tmp_path / "train.json", {
        "model": "invariant", "cutoff": 3.8, "steps": 6, "validate_steps": 4, "batch_size": 4,
        "invariant": {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2}})
    assert main(["crystals", "train", "--config", train, "--set", "stress_weight=0", "--train",
                 str(data / "train.extxyz"), "--val", str(data / "val.extxyz"), "--out", str(model),
                 "--workdir", str(tmp_path / "work")]) == 0
    assert {"model.safetensors", "config.json", "metrics.json"} <= {p.name for p in model.iterdir()}
    # 2 batches per epoch, 3 epochs, validated every 2 epochs and after the last
    history = list(csv.DictReader((tmp_path / "work" / "metrics.csv").open()))
    assert [row["val_loss"] != "" for row in history] == [False, True, True]
    assert json.loads((model / "metrics.json").read_text())["best_epoch"] in (2, 3)

    out = tmp_path / "pred.extxyz"
    assert main(["crystals", "predict", "--model", str(model), "--structures", str(data / "test.extxyz"),
                 "--out", str(out)]) == 0
    predicted = ase.io.read(out, index=":")
    assert len(predicted) == 3
    for atoms in predicted:
        assert np.isfinite(energy_of(atoms)) and forces_of(atoms).shape == (len(atoms), 3)

    evaluation = tmp_path / "eval" / "silicon_invariant_n8.json"
    assert main(["crystals", "evaluate", "--model", str(model), "--structures", str(data / "test.extxyz"),
                 "--out", str(evaluation), "--parity", str(tmp_path / "parity.png"), "--set", "n_physics=1"]) == 0
    result = json.loads(evaluation.read_text())
    assert result["equivariance_error"] < 1e-9 and result["supercell_error_mev_per_atom"] < 1e-9
    metrics = tmp_path / "metrics.json"
    assert main(["crystals", "report", "--evaluations", str(evaluation), "--set", "n_train=8", "--out", str(metrics),
                 "--curve-tsv", str(tmp_path / "curve.tsv"), "--curve-png", str(tmp_path / "curve.png")]) == 0
    document = json.loads(metrics.read_text())
    assert document["silicon"]["invariant"]["force_mae_mev_per_A"] == result["force_mae_mev_per_A"]
    assert document["n_train"] == 8 and "provenance" in document
    assert (tmp_path / "curve.tsv").read_text().startswith("family\tmodel\tn_train")


def test_bad_structure_exits_2_naming_file_and_index(tmp_path, capsys):
    path = tmp_path / "bad.extxyz"
    good = Atoms("Si2", positions=[[0, 0, 0], [1.4, 1.4, 1.4]], cell=[5.4, 5.4, 5.4], pbc=True)
    bad = Atoms("Si2", positions=[[0, 0, 0], [0.2, 0, 0]], cell=[5.4, 5.4, 5.4], pbc=True)
    for atoms in (good, bad):
        atoms.calc = SinglePointCalculator(atoms, energy=-8.0, forces=np.zeros((2, 3)))
    ase.io.write(path, [good, bad], format="extxyz")
    assert main(["crystals", "train", "--train", str(path), "--val", str(path),
                 "--out", str(tmp_path / "model")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "[1]" in err and "overlap" in err
    assert not (tmp_path / "model").exists()


def test_unknown_setting_exits_2_naming_the_key(tmp_path, capsys):
    config = _config(tmp_path / "train.json", {"invariant": {"depth": 3}})
    assert main(["crystals", "train", "--config", config, "--train", "x", "--val", "x", "--out",
                 str(tmp_path / "model")]) == 2
    assert "invariant.depth" in capsys.readouterr().err
