"""The `sciml ecg` verbs end to end on two synthetic records (tiny models, 2 epochs)."""

import json

import pandas as pd
import pytest
import yaml

import sciml
from sciml.cli import main
from sciml.ecg.beats import FEATURE_VERSION
from sciml.ecg.models import BeatNet, load_model
from sciml.errors import InputError

TINY = {"network": {"width": 8, "dilations": [1, 2]}, "epochs": 3, "optimiser": {"batch_size": 64},
        "data": {"train_records": ["r1", "r2"], "val_records": ["r2"]}}
RUN = ["--threads", "1", "--device", "cpu"]


def _config(path, mapping) -> str:
    path.write_text(yaml.safe_dump(mapping))
    return str(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory, ecg_dir):
    out = tmp_path_factory.mktemp("ecg")
    assert main(["ecg", "preprocess", "--in", str(ecg_dir), "--out", str(out / "beats.npz"),
                 "--set", "records=[r1, r2]"]) == 0
    assert main(["ecg", "rpeaks", "--in", str(ecg_dir), "--out", str(out / "rpeaks.tsv"),
                 "--set", "records=[r1]"]) == 0
    teacher = _config(out / "teacher.yaml", {**TINY, "loss": "weighted_ce", "val_irregular_fraction": 0.5,
                                             "data": {**TINY["data"], "aberrant_copies": 1}})
    assert main(["ecg", "train", "--config", teacher, "--in", str(out / "beats.npz"), "--out", str(out / "model"),
                 "--workdir", str(out / "work"), *RUN]) == 0
    student = _config(out / "student.yaml", TINY)
    assert main(["ecg", "distill", "--config", student, "--in", str(out / "beats.npz"), "--teacher",
                 str(out / "model"), "--out", str(out / "student"), "--workdir", str(out / "swork"), *RUN]) == 0
    prune = _config(out / "prune.yaml", {"epochs": 1, "ratio": 0.5, "optimiser": {"batch_size": 64},
                                         "data": TINY["data"]})
    assert main(["ecg", "prune", "--config", prune, "--in", str(out / "beats.npz"), "--teacher", str(out / "model"),
                 "--student", str(out / "student"), "--out", str(out / "student_pruned"),
                 "--workdir", str(out / "pwork"), *RUN]) == 0
    return out


def test_train_writes_model_folder_with_temperature_and_preprocessing(run):
    config = json.loads((run / "model" / "config.json").read_text())
    assert config["kind"] == "ecg.beatnet" and config["extra"]["loss"] == "weighted_ce"
    scores = json.loads((run / "model" / "metrics.json").read_text())
    fitted = scores["temperature_fitted"]
    assert fitted > 0 and config["extra"]["temperature"] in (fitted, 1.0)  # unbounded; 1 if validation is error-free
    assert 0 <= scores["val_irregular_N_as_S"] <= 1 and 0 <= scores["val_irregular_N_as_V"] <= 1
    assert config["extra"]["preprocessing"]["fs"] == 180.0 and config["extra"]["val_records"] == ["r2"]
    assert config["extra"]["feature_version"] == FEATURE_VERSION
    assert (run / "work" / "metrics.csv").read_text().count("\n") == 4  # header + 3 epochs
    student = json.loads((run / "student" / "config.json").read_text())
    assert not student["settings"]["separable"] and student["settings"]["width_multiplier"] == 0.5
    pruned = json.loads((run / "student_pruned" / "config.json").read_text())
    assert pruned["settings"]["stack_channels"] == 2 and pruned["settings"]["block_channels"] == [2, 2]
    assert pruned["settings"]["hidden"] == 32 and pruned["extra"]["pruning_ratio"] == 0.5
    assert (run / "pwork" / "metrics.csv").read_text().count("\n") == 2  # header + 1 epoch
    assert sciml.load_model(run / "student_pruned").config.stack_width == 2


def test_model_folder_loads_through_sciml_load_model(run):
    model = sciml.load_model(run / "model")
    assert isinstance(model, BeatNet) and not model.training
    assert model.temperature == json.loads((run / "model" / "config.json").read_text())["extra"]["temperature"]
    assert model.preprocessing.leads[0] == "MLII" and model.model_config.kind == "ecg.beatnet"


def test_evaluate_writes_every_contract_key(run, ecg_dir):
    paths = {k: run / f"{k}.{ext}" for k, ext in (("metrics", "json"), ("per_record", "tsv"),
                                                   ("confusion", "png"), ("reliability", "png"),
                                                   ("saliency", "png"))}
    assert main(["ecg", "evaluate", "--in", str(run / "beats.npz"), "--model", str(run / "model"),
                 "--student", str(run / "student"), "--pruned", str(run / "student_pruned"),
                 "--rpeaks", str(run / "rpeaks.tsv"),
                 "--set", "test_records=[r1]", "--set", "adaptation.minutes=0.5", "--threads", "1",
                 "--records", str(ecg_dir),
                 *[x for k, p in paths.items() for x in (f"--{k.replace('_', '-')}", str(p))]]) == 0
    metrics = json.loads(paths["metrics"].read_text())
    for key in ("accuracy", "macro_f1", "N_se", "N_ppv", "S_se", "V_se", "V_ppv", "ece_before", "ece_after"):
        assert key in metrics["test"], key
    for key in ("size_bytes", "latency_ms_per_beat", "latency_b256_ms_per_beat", "macro_f1"):
        for name in ("teacher", "student", "student_int8", "student_pruned", "student_pruned_int8"):
            assert key in metrics[name], (name, key)
    for name in ("student", "student_int8", "student_pruned", "student_pruned_int8"):
        assert 0 <= metrics[name]["agreement_with_teacher"] <= 1 and 0 <= metrics[name]["N_f1"] <= 1, name
    assert metrics["student"]["validation"]["records"] == ["r2"] and "S_f1" in metrics["student"]["validation"]
    assert metrics["student_pruned"]["size_bytes"] < metrics["student"]["size_bytes"]
    assert metrics["student_pruned"]["pruning_ratio"] == 0.5 and 0 <= metrics["student_pruned_int8"]["accuracy"] <= 1
    assert metrics["rpeak"]["se"] == 1.0 and "xqrs_ppv" in metrics["rpeak"]
    assert {"accuracy", "S_se", "V_se"} <= set(metrics["adaptive"])
    assert metrics["adaptive"]["records_with_labelled_S"] == ["r1"]  # S beats every 7 beats: some labelled
    assert 0 <= metrics["adaptive"]["S_se_records_with_labelled_S"] <= 1
    assert metrics["receptive_field_s"] > 0 and "provenance" in metrics
    assert metrics["validation"]["records"] == ["r2"] and 0 <= metrics["validation"]["macro_f1"] <= 1
    assert metrics["validation"]["temperature"] > 0 and 0 <= metrics["validation"]["ece_after"] <= 1
    other = metrics["cross_database_simulated"]
    assert other["fs"] == 128 and other["records"] == ["r1"] and other["same_beats"] and other["agreement"] > 0.5
    assert metrics["baseline_rr"]["train_records"] == ["r1"] and 0 <= metrics["baseline_rr"]["macro_f1"] <= 1
    assert list(metrics["loss_comparison"]) == ["weighted_ce"]
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


def test_errors_name_the_problem(run, ecg_dir, tmp_path, capsys, synth):
    synthetic_ecg, write_record = synth
    x, _, _ = synthetic_ecg(360, 20, seed=5)
    write_record(tmp_path, "plain", x, 360, ["MLII"])
    code = main(["ecg", "predict", "--model", str(run / "model"), "--record", str(tmp_path / "plain"),
                 "--out", str(tmp_path / "p.tsv"), "--beats", "annotations"])
    assert code == 2 and "plain" in capsys.readouterr().err and not (tmp_path / "p.tsv").exists()
    code = main(["ecg", "predict", "--model", str(tmp_path), "--record", str(ecg_dir / "r1"),
                 "--out", str(tmp_path / "p.tsv")])
    assert code == 2 and "config.json missing" in capsys.readouterr().err
    tiny = _config(tmp_path / "tiny.yaml", TINY)
    code = main(["ecg", "train", "--config", tiny, "--in", str(run / "beats.npz"), "--out", str(tmp_path / "m"),
                 "--set", "data.val_records=[r9]", *RUN])
    assert code == 2 and "r9" in capsys.readouterr().err and not (tmp_path / "m").exists()
    code = main(["ecg", "train", "--config", tiny, "--in", str(run / "beats.npz"), "--out", str(tmp_path / "m"),
                 "--set", "calibration.min_temperature=-1", *RUN])
    assert code == 2 and "calibration.min_temperature" in capsys.readouterr().err and not (tmp_path / "m").exists()
    code = main(["ecg", "train", "--config", tiny, "--in", str(run / "beats.npz"), "--out", str(tmp_path / "m"),
                 "--set", "data.irregular_fractoin=0.5", *RUN])
    assert code == 2 and "data.irregular_fractoin" in capsys.readouterr().err


def test_predict_resamples_a_record_at_another_rate(run, tmp_path, synth, caplog):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(250, 40, seed=6, ventricular_every=5)
    write_record(tmp_path, "r250", x, 250, ["MLII"], r, s)
    with caplog.at_level("INFO", logger="sciml.ecg"):
        assert main(["ecg", "predict", "--model", str(run / "model"), "--record", str(tmp_path / "r250"),
                     "--out", str(tmp_path / "p.tsv")]) == 0
    assert "from 250 Hz to 180 Hz" in caplog.text
    table = pd.read_csv(tmp_path / "p.tsv", sep="\t")
    assert table["sample"].tolist() == r.tolist()  # every annotated beat, at the record's own 250 Hz


def test_a_model_of_other_beat_features_is_refused(run, tmp_path):
    config = json.loads((run / "model" / "config.json").read_text())
    config["extra"]["feature_version"] = FEATURE_VERSION + 1
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "config.json").write_text(json.dumps(config))
    (tmp_path / "other" / "model.safetensors").write_bytes((run / "model" / "model.safetensors").read_bytes())
    with pytest.raises(InputError, match=f"beat-feature version {FEATURE_VERSION + 1}"):
        load_model(tmp_path / "other")
