import numpy as np
import pytest

from sciml.ecg.records import choose_lead, read_record, remove_baseline_and_noise, resample
from sciml.errors import InputError


def test_lead_is_chosen_by_name_not_position(ecg_dir):
    record = read_record(ecg_dir / "r1", fs=180)
    assert record.lead == "MLII" and record.fs == 180 and record.native_fs == 360
    fallback = read_record(ecg_dir / "r1", leads=["V1", "V5"], fs=180)
    assert fallback.lead == "V5"
    assert np.std(fallback.signal) < np.std(record.signal)  # V5 was written at half amplitude


def test_annotations_follow_resampling(ecg_dir):
    native = read_record(ecg_dir / "r2")
    half = read_record(ecg_dir / "r2", fs=180)
    assert len(native.ann_sample) == len(half.ann_sample)
    assert np.abs(half.ann_sample * 2 - native.ann_sample).max() <= 1
    assert set(native.ann_symbol) == {"N", "A", "V"}


def test_missing_lead_is_an_input_error(ecg_dir):
    with pytest.raises(InputError, match=r"r2.*lead 'V1' is not in the record; its leads are \['MLII'\]"):
        read_record(ecg_dir / "r2", leads=["V1"])
    with pytest.raises(InputError, match=r"none of the leads \['MLII', 'II'\] is in the record; its leads are \['V5'\]"):
        choose_lead(["V5"], ["MLII", "II"], "x.hea")


def test_filter_removes_baseline_wander():
    fs = 180.0
    t = np.arange(int(30 * fs)) / fs
    drift = np.sin(2 * np.pi * 0.1 * t)
    filtered = remove_baseline_and_noise(drift + 0.0, fs)
    assert np.abs(filtered[500:-500]).max() < 0.05
    assert len(resample(drift, 360, 180)) == len(drift) // 2


def test_bad_files_are_named(tmp_path, ecg_dir, synth):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(360, 20, seed=3)
    path = write_record(tmp_path, "cut", x, 360, ["MLII"], r, s)
    dat = tmp_path / "cut.dat"
    dat.write_bytes(dat.read_bytes()[:1000])
    with pytest.raises(InputError, match=r"cut\.dat \[cut\]: truncated"):
        read_record(path)
    dat.unlink()
    with pytest.raises(InputError, match=r"signal file named in cut\.hea is missing"):
        read_record(path)
    with pytest.raises(InputError, match="header file is missing"):
        read_record(tmp_path / "nothing")
    hea = (ecg_dir / "r2.hea").read_text().replace(" 212 ", " 516 ")
    (tmp_path / "odd.hea").write_text(hea.replace("r2", "odd"))
    with pytest.raises(InputError, match="unsupported signal format '516'"):
        read_record(tmp_path / "odd")


def test_flat_line_and_invalid_samples_are_refused(tmp_path, synth):
    synthetic_ecg, write_record = synth
    x, r, s = synthetic_ecg(360, 30, seed=4)
    flat = x.copy()
    flat[3600:3600 + 360 * 3] = 0.5
    with pytest.raises(InputError, match=r"flat line of 3\.0 s starting at 10\.00 s"):
        read_record(write_record(tmp_path, "flat", flat, 360, ["MLII"], r, s))
    gap = x.copy()
    gap[7200:7300] = np.nan
    with pytest.raises(InputError, match=r"100 invalid \(NaN\) samples, first at 20\.00 s"):
        read_record(write_record(tmp_path, "nan", gap, 360, ["MLII"], r, s, fmt="16"))


def test_real_record_leads_are_chosen_by_name(mitdb_dir):
    assert read_record(mitdb_dir / "114", fs=180).lead == "MLII"  # second channel: leads swapped upstream
    assert read_record(mitdb_dir / "102", fs=180).lead == "V2"  # no MLII: the next lead in DEFAULT_LEADS
    with pytest.raises(InputError, match="102"):
        read_record(mitdb_dir / "102", leads=["MLII"])
