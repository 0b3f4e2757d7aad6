import numpy as np
import pytest

from sciml.ecg.records import read_record
from sciml.ecg.simulate import write_as_other_database
from sciml.errors import InputError


def test_copy_at_another_rate_with_renamed_leads_and_gain(ecg_dir, tmp_path):
    copy = write_as_other_database(ecg_dir / "r1", tmp_path, fs=128, lead_names=("ECG1", "ECG2"), gain=0.5)
    source = read_record(ecg_dir / "r1", leads=("MLII",), fs=180)
    moved = read_record(copy, leads=("ECG2",), fs=180)  # MLII was the second lead of r1
    assert moved.native_fs == 128 and moved.lead == "ECG2"
    np.testing.assert_array_equal(moved.ann_symbol, source.ann_symbol)
    assert np.abs(moved.ann_native_sample - source.ann_native_sample * 128 / 360).max() <= 0.5
    ratio = np.std(moved.signal) / np.std(source.signal)
    assert ratio == pytest.approx(0.5, rel=0.05)
    with pytest.raises(InputError, match="2 leads but 1 new names"):
        write_as_other_database(ecg_dir / "r1", tmp_path / "x", lead_names=("ECG1",))
