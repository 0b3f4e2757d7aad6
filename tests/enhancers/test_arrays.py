"""Tests for sciml.enhancers.arrays (safetensors storage of named numpy arrays)."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.enhancers.arrays import load_arrays, save_arrays
from sciml.errors import InputError


def test_arrays_round_trip_without_pickle(tmp_path):
    arrays = {"w": np.arange(6, dtype=np.float64).reshape(2, 3)[:, ::2], "k": np.array([3, 5], dtype=np.int64)}
    save_arrays(tmp_path, "m.safetensors", arrays)
    again = load_arrays(tmp_path, "m.safetensors", ("w", "k"))
    np.testing.assert_array_equal(again["w"], arrays["w"])
    assert again["k"].dtype == np.int64 and list(again["k"]) == [3, 5]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.safetensors"]  # no temp file left


def test_missing_key_or_junk_file_is_an_input_error(tmp_path):
    save_arrays(tmp_path, "m.safetensors", {"w": np.zeros(2)})
    with pytest.raises(InputError, match=r"m\.safetensors.*\['b'\] missing"):
        load_arrays(tmp_path, "m.safetensors", ("w", "b"))
    (tmp_path / "j.safetensors").write_bytes(b"junk")
    with pytest.raises(InputError, match="j.safetensors"):
        load_arrays(tmp_path, "j.safetensors", ("w",))
    with pytest.raises(InputError, match="absent.safetensors"):
        load_arrays(tmp_path, "absent.safetensors", ("w",))
