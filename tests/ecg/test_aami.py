import numpy as np
import pytest

from sciml.ecg.aami import CLASSES, DS1, DS2, PACED_RECORDS, class_index, is_beat, split_records


def test_symbols_map_to_aami_classes():
    assert list(class_index(["N", "L", "A", "J", "V", "E", "F", "/", "Q"])) == [0, 0, 1, 1, 2, 2, 3, 4, 4]
    assert CLASSES == ("N", "S", "V", "F", "Q")
    assert not is_beat("+") and not is_beat("~") and is_beat("e")


def test_non_beat_symbol_is_refused():
    with pytest.raises(ValueError, match="'~'"):
        class_index(["N", "~"])


def test_split_is_by_record_and_excludes_paced():
    ds1, ds2 = split_records(["100", "101", "102", "104", "223", "231", "999"])
    assert ds1 == ["101", "223"] and ds2 == ["100", "231"]
    assert not set(DS1) & set(DS2) and len(DS1) == len(DS2) == 22
    assert not set(PACED_RECORDS) & (set(DS1) | set(DS2))
    assert np.all([r not in ds1 + ds2 for r in PACED_RECORDS])
