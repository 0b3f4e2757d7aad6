import numpy as np
import pytest

from sciml.ecg.dataset import available_records, choose_validation, load_annotated_beats, random_beat_split
from sciml.errors import ConfigError, InputError


def test_records_and_validation_split(ecg_dir):
    assert available_records(ecg_dir) == ["r1", "r2"]
    assert choose_validation(["a", "b", "c"], ["b"]) == (["a", "c"], ["b"])
    with pytest.raises(ConfigError, match=r"\['z'\] are not among the training records"):
        choose_validation(["a", "b"], ["z"])
    with pytest.raises(InputError, match=r"records not found: \['r7'\]"):
        load_annotated_beats(ecg_dir, ["r1", "r7"])


def test_beat_split_warns_about_leakage(ecg_dir):
    beats = load_annotated_beats(ecg_dir, ["r1", "r2"], fs=180)
    with pytest.warns(UserWarning, match="same patients"):
        train, val = random_beat_split(beats, 0.25, seed=0)
    assert len(train) + len(val) == len(beats) and abs(len(val) - 0.25 * len(beats)) <= 1
    assert set(val.record) == {"r1", "r2"}  # both patients on both sides: the leak
    assert np.intersect1d(train.sample[train.record == "r1"], val.sample[val.record == "r1"]).size == 0


def test_preprocessing_reproduces_the_ds1_aami_beat_counts(data_mirror, tmp_path):
    """de Chazal et al. (2004), Table I: DS1 holds N 45,866 / S 944 / V 3,788 / F 415 / Q 8 beats; every
    annotated beat becomes one training beat (none is lost at the ends of a record or in noise)."""
    from sciml.ecg.aami import CLASSES, DS1
    from sciml.ecg.pipeline import preprocess_records
    from sciml.ecg.settings import PreprocessSettings

    mitdb = data_mirror / "mitdb"
    if not all((mitdb / f"{r}.dat").is_file() for r in DS1):
        pytest.skip("the data mirror lacks DS1 records")
    beats = preprocess_records(mitdb, tmp_path / "ds1.npz", PreprocessSettings(records=DS1))
    counts = dict(zip(CLASSES, np.bincount(beats.label, minlength=len(CLASSES)).tolist(), strict=True))
    assert counts == {"N": 45_866, "S": 944, "V": 3_788, "F": 415, "Q": 8}
    assert sorted(set(beats.record.tolist())) == sorted(DS1)
