"""Bad-input suite for the PINN benchmark references: PINNacle `.dat` (COMSOL export) and jaxpi `.mat`.

A valid small export is corrupted (random bytes spliced in, lines cut, NaN written) and a `.mat`
truncated; the readers return finite arrays or raise `InputError` naming the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named

from sciml.errors import InputError
from sciml.pinn.reference import load_jaxpi_grid, load_pinnacle_dat

VALID = "% Model: test.mph\n% Nodes: 3\n% x   y   u\n0 0 0.2\n0.5 0.25 1.0\n1 1 -3.5E-2\n"


def test_valid_export_reads(tmp_path):
    path = tmp_path / "ok.dat"
    path.write_text(VALID)
    ref = load_pinnacle_dat(path, ("x", "y"), ("u",))
    assert ref.points.shape == (3, 2) and ref.values.shape == (3, 1) and ref.values[2, 0] == -0.035


@pytest.mark.parametrize(("text", "problem"), [
    (VALID.replace("0.5 0.25 1.0", "0.5 0.25 nan"), "line 5"),
    (VALID.replace("0.5 0.25 1.0", "0.5 0.25"), "line 5"),
    (VALID.replace("0.5 0.25 1.0", "0.5 0.25 one"), "line 5"),
    ("% only comments\n", "no data"),
])
def test_bad_exports_name_the_line(tmp_path, text, problem):
    path = tmp_path / "bad.dat"
    path.write_text(text)
    with pytest.raises(InputError, match=problem) as info:
        load_pinnacle_dat(path, ("x", "y"), ("u",))
    assert "bad.dat" in str(info.value)


@READER_SETTINGS
@given(cut=st.integers(0, len(VALID)), noise=st.binary(max_size=12))
def test_corrupted_exports_are_read_or_named(tmp_path_factory, cut, noise):
    path = tmp_path_factory.mktemp("dat") / "fuzz.dat"
    path.write_bytes(VALID.encode()[:cut] + noise + VALID.encode()[cut:])
    ref = accepted_or_named(lambda: load_pinnacle_dat(path, ("x", "y"), ("u",)), path)
    if ref is not None:
        assert np.all(np.isfinite(ref.values)) and ref.points.shape[1] == 2


def test_truncated_mat_is_named(tmp_path):
    from scipy.io import savemat

    path = tmp_path / "ks.mat"
    savemat(path, {"t": np.linspace(0, 1, 5)[None], "x": np.linspace(0, 1, 4)[None], "usol": np.ones((5, 4))})
    axes, fields = load_jaxpi_grid(path)
    assert fields["usol"].shape == (5, 4) and len(axes) == 2
    Path(path).write_bytes(path.read_bytes()[:100])
    accepted_or_named(lambda: load_jaxpi_grid(path), path)
    savemat(path, {"t": np.linspace(0, 1, 5)[None], "x": np.linspace(0, 1, 4)[None], "usol": np.ones((4, 5))})
    with pytest.raises(InputError, match="usol"):
        load_jaxpi_grid(path)
