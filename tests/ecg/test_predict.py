"""`predict_record` on WFDB records of other databases: lead names, sampling rates, 1 and 12 leads, bad input."""

import numpy as np
import pandas as pd
import pytest

from sciml.ecg.pipeline import preprocess_records, train_teacher
from sciml.ecg.predict import predict_record
from sciml.ecg.settings import BeatData, Network, PreprocessSettings, TrainSettings
from sciml.errors import InputError

TWELVE_LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


@pytest.fixture(scope="module")
def model(tmp_path_factory, ecg_dir):
    """A tiny teacher trained on the two synthetic 360 Hz MLII records (2 epochs)."""
    out = tmp_path_factory.mktemp("predict")
    preprocess_records(ecg_dir, out / "beats.npz", PreprocessSettings(records=("r1", "r2")))
    settings = TrainSettings(epochs=2, network=Network(width=8, dilations=(1, 2)),
                             data=BeatData(train_records=("r1", "r2"), val_records=("r2",)))
    train_teacher(out / "beats.npz", out / "model", settings, device="cpu")
    return out / "model"


@pytest.mark.parametrize("fs", [128, 250, 500, 1000])
def test_other_database_rates_and_lead_names(model, tmp_path, synth, fs):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(fs, 40, seed=fs, premature_every=6, ventricular_every=9)
    path = write_record(tmp_path, f"db{fs}", np.stack([0.3 * x, x], axis=1), fs, ["ECG1", "ECG2"], r, s, fmt="16")
    with pytest.raises(InputError, match=r"its leads are \['ECG1', 'ECG2'\]"):
        predict_record(model, path, tmp_path / "none.tsv")  # no lead of the model's preference list
    assert not (tmp_path / "none.tsv").exists()
    table = predict_record(model, path, tmp_path / "b.tsv", lead="ECG2")
    assert table["sample"].tolist() == r.tolist()  # annotated beats, at the record's own rate
    np.testing.assert_allclose(table["time_s"], r / fs, atol=1e-4)
    assert pd.read_csv(tmp_path / "b.tsv", sep="\t")["reference"].tolist() == [
        {"N": "N", "A": "S", "V": "V"}[k] for k in s]
    detected = predict_record(model, path, lead="ECG2", beats="detect")
    matched = np.abs(detected["sample"].to_numpy()[:, None] - r[None, :]).min(axis=0)
    assert (matched <= 0.05 * fs).mean() >= 0.97  # the detector finds the beats at the input's rate
    with pytest.raises(InputError, match=r"lead 'MLII' is not in the record; its leads are \['ECG1', 'ECG2'\]"):
        predict_record(model, path, tmp_path / "c.tsv", lead="MLII")
    assert not (tmp_path / "c.tsv").exists()


def test_twelve_lead_and_single_lead_records(model, tmp_path, synth):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(500, 30, seed=12, ventricular_every=7)
    gains = np.linspace(-1.0, 1.5, 12)
    twelve = write_record(tmp_path, "twelve", x[:, None] * gains[None, :] + 1e-3 * np.arange(12), 500,
                          TWELVE_LEADS, r, s, fmt="16")
    by_default = predict_record(model, twelve)  # the preference list (MLII, V1, ...) reaches V1
    by_name = predict_record(model, twelve, lead="V1")
    pd.testing.assert_frame_equal(by_default, by_name)
    assert len(predict_record(model, twelve, lead="V6")) == len(r)
    single = write_record(tmp_path, "single", 0.4 * x, 500, ["ECG"], r, s, fmt="80")  # 8 bits: +-0.64 mV
    assert predict_record(model, single, lead="ECG")["sample"].tolist() == r.tolist()


def test_bad_records_fail_before_any_output(model, tmp_path, synth):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(90, 20, seed=3)
    slow = write_record(tmp_path, "slow", x, 90, ["MLII"], r, s, fmt="16")
    with pytest.raises(InputError, match=r"slow\.hea \[slow\]: sampling frequency 90 Hz is below 100 Hz"):
        predict_record(model, slow, tmp_path / "o.tsv")
    x, r, s = synthetic_ecg(360, 20, seed=4)
    write_record(tmp_path, "long", x, 360, ["MLII"], r, s)
    short = write_record(tmp_path, "short", x[: 360 * 10], 360, ["MLII"])
    (tmp_path / "short.atr").write_bytes((tmp_path / "long.atr").read_bytes())  # annotation of another record
    with pytest.raises(InputError, match=r"short\.atr \[short\]: annotation does not match the record"):
        predict_record(model, short, tmp_path / "o.tsv")
    flat = x.copy()
    flat[360 * 5: 360 * 9] = 0.0
    lost = write_record(tmp_path, "lost", flat, 360, ["MLII"], r, s)
    with pytest.raises(InputError, match=r"lost\.dat \[lost\]: flat line of 4\.0 s"):
        predict_record(model, lost, tmp_path / "o.tsv", beats="detect")
    (tmp_path / "long.dat").unlink()
    with pytest.raises(InputError, match=r"long\.dat \[long\]: signal file named in long\.hea is missing"):
        predict_record(model, tmp_path / "long", tmp_path / "o.tsv")
    assert not (tmp_path / "o.tsv").exists()


def test_two_lead_model_reads_a_second_lead_by_name_or_one_lead(tmp_path, ecg_dir, synth, model):
    from sciml.ecg.settings import Augmentation, Preprocessing

    prep = Preprocessing(second_leads=("V1", "V5"))
    preprocess_records(ecg_dir, tmp_path / "beats.npz", PreprocessSettings(preprocessing=prep, records=("r1", "r2")))
    settings = TrainSettings(epochs=1, network=Network(width=8, dilations=(1,)), augmentation=Augmentation(lead_dropout=0.5),
                             data=BeatData(train_records=("r1", "r2"), val_records=("r2",)))
    train_teacher(tmp_path / "beats.npz", tmp_path / "two", settings, device="cpu")
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(250, 30, seed=21, premature_every=5)
    path = write_record(tmp_path, "other", np.stack([x, -0.4 * x], axis=1), 250, ["ECG1", "ECG2"], r, s, fmt="16")
    both = predict_record(tmp_path / "two", path, lead="ECG1", second_lead="ECG2")
    assert (both.attrs["lead"], both.attrs["second_lead"]) == ("ECG1", "ECG2") and both["sample"].tolist() == r.tolist()
    alone = predict_record(tmp_path / "two", path, lead="ECG1")  # no name of the model's second leads: one lead
    assert alone.attrs["second_lead"] is None and len(alone) == len(r)
    for second, problem in (("V1", "is not in the record"), ("ECG1", "is the lead read first")):
        with pytest.raises(InputError, match=rf"second lead '{second}' {problem}; its leads are \['ECG1', 'ECG2'\]"):
            predict_record(tmp_path / "two", path, tmp_path / "o.tsv", lead="ECG1", second_lead=second)
    with pytest.raises(InputError, match="this model reads one lead"):
        predict_record(model, path, tmp_path / "o.tsv", lead="ECG1", second_lead="ECG2")
    assert not (tmp_path / "o.tsv").exists()
