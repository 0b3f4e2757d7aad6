"""The `sciml ecg` verbs end to end on two synthetic records (tiny models, 2 epochs)."""

import json

import pandas as pd
import pytest

from sciml.cli import main
from sciml.ecg.beats import FEATURE_VERSION, BeatSet
from sciml.ecg.io import load_model
from sciml.errors import InputError

NET = ["--width", "8", "--dilations", "1,2", "--epochs", "2", "--batch-size", "64", "--threads", "1",
       "--train-records", "r1,r2", "--val-records", "r2", "--device", "cpu"]


@pytest.fixture(scope="module")
def run(tmp_path_factory, ecg_dir):
    out = tmp_path_factory.mktemp("ecg")
    assert main(["ecg", "preprocess", "--in", str(ecg_dir), "--out", str(out / "beats.npz"),
                 "--records", "r1,r2"]) == 0
    assert main(["ecg", "rpeaks", "--in", str(ecg_dir), "--out", str(out / "rpeaks.tsv"), "--records", "r1"]) == 0
    assert main(["ecg", "train", "--in", str(out / "beats.npz"), "--out", str(out / "model"),
                 "--workdir", str(out / "work"), "--loss", "weighted_ce", "--aberrant-copies", "1",
                 "--val-irregular-fraction", "0.5", *NET]) == 0
    assert main(["ecg", "distill", "--in", str(out / "beats.npz"), "--teacher", str(out / "model"),
                 "--out", str(out / "student"), "--workdir", str(out / "swork"), *NET]) == 0
    return out


def test_train_writes_model_with_temperature_and_log(run):
    config = json.loads((run / "model" / "config.json").read_text())
    assert config["loss"] == "weighted_ce"
    scores = json.loads((run / "model" / "metrics.json").read_text())
    fitted = scores["temperature_fitted"]
    assert fitted > 0 and config["temperature"] == max(fitted, 1.0)  # --min-temperature 1 by default
    assert 0 <= scores["val_irregular_N_as_S"] <= 1 and 0 <= scores["val_irregular_N_as_V"] <= 1
    assert config["preprocessing"]["fs"] == 180.0 and config["val_records"] == ["r2"]
    assert (run / "work" / "metrics.csv").read_text().count("\n") == 3  # header + 2 epochs
    assert json.loads((run / "student" / "config.json").read_text())["architecture"]["separable"]


def test_evaluate_writes_every_contract_key(run):
    paths = {k: run / f"{k}.{ext}" for k, ext in (("metrics", "json"), ("per_record", "tsv"),
                                                   ("confusion", "png"), ("reliability", "png"),
                                                   ("saliency", "png"))}
    assert main(["ecg", "evaluate", "--in", str(run / "beats.npz"), "--model", str(run / "model"),
                 "--student", str(run / "student"), "--rpeaks", str(run / "rpeaks.tsv"),
                 "--test-records", "r1", "--adapt-minutes", "0.5", "--threads", "1",
                 *[x for k, p in paths.items() for x in (f"--{k.replace('_', '-')}", str(p))]]) == 0
    metrics = json.loads(paths["metrics"].read_text())
    for key in ("accuracy", "macro_f1", "N_se", "N_ppv", "S_se", "V_se", "V_ppv", "ece_before", "ece_after"):
        assert key in metrics["test"], key
    for key in ("size_bytes", "latency_ms_per_beat", "macro_f1"):
        assert key in metrics["teacher"] and key in metrics["student"] and key in metrics["student_int8"]
    assert metrics["rpeak"]["se"] == 1.0 and "xqrs_ppv" in metrics["rpeak"]
    assert {"accuracy", "S_se", "V_se"} <= set(metrics["adaptive"])
    assert metrics["adaptive"]["records_with_labelled_S"] == ["r1"]  # S beats every 7 beats: some labelled
    assert 0 <= metrics["adaptive"]["S_se_records_with_labelled_S"] <= 1
    assert metrics["receptive_field_s"] > 0 and "provenance" in metrics
    assert pd.read_csv(paths["per_record"], sep="\t")["record"].tolist() == ["r1"]
    assert all(p.stat().st_size > 1000 for k, p in paths.items() if k.endswith("n") or k == "saliency")
    assert paths["per_record"].stat().st_size > 100


def test_predict_annotations_detect_and_adaptive(run, ecg_dir, tmp_path):
    assert main(["ecg", "predict", "--model", str(run / "model"), "--record", str(ecg_dir / "r1"),
                 "--out", str(tmp_path / "a.tsv"), "--beats", "annotations", "--adapt-minutes", "0.5"]) == 0
    table = pd.read_csv(tmp_path / "a.tsv", sep="\t")
    assert list(table.columns[:8]) == ["sample", "time_s", "pred", "prob_N", "prob_S", "prob_V", "prob_F", "prob_Q"]
    assert set(table["pred"]) <= set("NSVFQ") and table.filter(like="prob_").sum(axis=1).round(4).eq(1).all()
    assert table["adapted"].sum() == (table["time_s"] < 30).sum() > 0
    assert table["sample"].iloc[0] % 2 in (0, 1) and table["sample"].max() > 180 * 80  # native 360 Hz samples
    assert main(["ecg", "predict", "--model", str(run / "model"), "--record", str(ecg_dir / "r1"),
                 "--out", str(tmp_path / "d.tsv"), "--beats", "detect"]) == 0
    detected = pd.read_csv(tmp_path / "d.tsv", sep="\t")
    assert abs(len(detected) - len(table)) <= 1 and "reference" not in detected


def test_predict_errors_name_the_problem(run, ecg_dir, tmp_path, capsys, synth):
    synthetic_ecg, write_record = synth
    x, _, _ = synthetic_ecg(360, 20, seed=5)
    write_record(tmp_path, "plain", x, 360, ["MLII"])
    code = main(["ecg", "predict", "--model", str(run / "model"), "--record", str(tmp_path / "plain"),
                 "--out", str(tmp_path / "p.tsv"), "--beats", "annotations"])
    assert code == 2 and "plain" in capsys.readouterr().err and not (tmp_path / "p.tsv").exists()
    code = main(["ecg", "predict", "--model", str(tmp_path), "--record", str(ecg_dir / "r1"),
                 "--out", str(tmp_path / "p.tsv")])
    assert code == 2 and "config.json missing" in capsys.readouterr().err
    code = main(["ecg", "train", "--in", str(run / "beats.npz"), "--out", str(tmp_path / "m"),
                 *NET[:-6], "--train-records", "r1,r2", "--val-records", "r9"])
    assert code == 2 and "r9" in capsys.readouterr().err and not (tmp_path / "m").exists()
    code = main(["ecg", "train", "--in", str(run / "beats.npz"), "--out", str(tmp_path / "m"), *NET,
                 "--min-temperature", "-1"])
    assert code == 2 and "--min-temperature" in capsys.readouterr().err and not (tmp_path / "m").exists()


def test_predict_resamples_a_record_at_another_rate(run, tmp_path, synth, caplog):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(250, 40, seed=6, ventricular_every=5)
    write_record(tmp_path, "r250", x, 250, ["MLII"], r, s)
    with caplog.at_level("INFO", logger="sciml.ecg"):
        assert main(["ecg", "predict", "--model", str(run / "model"), "--record", str(tmp_path / "r250"),
                     "--out", str(tmp_path / "p.tsv")]) == 0
    assert "from 250 Hz to 180 Hz" in caplog.text
    table = pd.read_csv(tmp_path / "p.tsv", sep="\t")
    kept = r[(r >= round(0.3 * 250)) & (r + round(0.5 * 250) <= len(x))]
    assert abs(table["sample"].to_numpy() - kept[: len(table)]).max() <= 2  # back at the record's 250 Hz


def test_beats_and_models_of_an_older_feature_version_are_refused(run, ecg_dir, tmp_path, capsys):
    assert main(["ecg", "preprocess", "--in", str(ecg_dir), "--out", str(tmp_path / "b.npz"), "--records", "r1",
                 "--feature-version", str(FEATURE_VERSION - 1)]) == 2
    assert "--feature-version" in capsys.readouterr().err and not (tmp_path / "b.npz").exists()
    old = BeatSet.load(run / "beats.npz")
    del old.meta["feature_version"]  # what session-1 preprocessing wrote
    old.save(tmp_path / "old.npz")
    assert main(["ecg", "train", "--in", str(tmp_path / "old.npz"), "--out", str(tmp_path / "m"), *NET]) == 2
    assert "old.npz" in capsys.readouterr().err and not (tmp_path / "m").exists()
    config = json.loads((run / "model" / "config.json").read_text())
    config["preprocessing"]["feature_version"] = 1
    (tmp_path / "oldmodel").mkdir()
    (tmp_path / "oldmodel" / "config.json").write_text(json.dumps(config))
    (tmp_path / "oldmodel" / "model.safetensors").write_bytes((run / "model" / "model.safetensors").read_bytes())
    with pytest.raises(InputError, match="beat-feature version 1"):
        load_model(tmp_path / "oldmodel")
