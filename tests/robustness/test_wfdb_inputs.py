"""Bad-input suite for the WFDB reader (ECG ingestion): header, signal file and annotations.

A valid two-lead record is written once; each example corrupts one of its files (truncation, byte
noise, a mangled header token, a missing lead). `read_record` must either read it or raise
`InputError` naming a file of the record, never another exception.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named, files_in

from sciml.ecg.records import read_record
from sciml.errors import InputError

FS = 360.0
NAME = "rec"


@pytest.fixture(scope="module")
def valid_record(tmp_path_factory) -> Path:
    """Folder holding record `rec`: MLII and V1 at 360 Hz for 8 s, format 212, with 9 annotated beats."""
    import wfdb

    folder = tmp_path_factory.mktemp("wfdb-valid")
    t = np.arange(int(8 * FS)) / FS
    beats = np.arange(0.5, 7.6, 0.85)
    qrs = np.exp(-0.5 * ((t[:, None] - beats[None, :]) / 0.015) ** 2).sum(axis=1)
    signals = np.stack([qrs + 0.05 * np.sin(2 * np.pi * 0.3 * t), -0.5 * qrs + 0.03 * np.cos(2 * np.pi * 7 * t)], 1)
    wfdb.wrsamp(NAME, fs=FS, units=["mV", "mV"], sig_name=["MLII", "V1"], p_signal=signals, fmt=["212", "212"],
                adc_gain=[200.0, 200.0], baseline=[0, 0], write_dir=str(folder))
    wfdb.wrann(NAME, "atr", np.round(beats * FS).astype(np.int64), symbol=["N"] * len(beats), write_dir=str(folder))
    return folder


def _copy(valid: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wfdb")
    for path in valid.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


def _read(folder: Path, leads: tuple[str, ...] = ("MLII",)):
    record = folder / NAME
    return accepted_or_named(lambda: read_record(record, leads=leads, fs=180.0),
                             *(folder / f"{NAME}.{ext}" for ext in ("hea", "dat", "atr")))


def test_valid_record_is_read(valid_record):
    record = _read(valid_record)
    assert record is not None and record.lead == "MLII" and len(record.ann_sample) == 9


@READER_SETTINGS
@given(keep=st.floats(0.0, 0.999))
def test_truncated_signal_file(valid_record, tmp_path_factory, keep):
    folder = _copy(valid_record, tmp_path_factory)
    dat = folder / f"{NAME}.dat"
    dat.write_bytes(dat.read_bytes()[: int(keep * dat.stat().st_size)])
    assert _read(folder) is None, "a truncated .dat was read as if whole"
    assert files_in(folder) == files_in(valid_record)


@READER_SETTINGS
@given(data=st.data())
def test_noisy_signal_bytes(valid_record, tmp_path_factory, data):
    folder = _copy(valid_record, tmp_path_factory)
    dat = folder / f"{NAME}.dat"
    content = bytearray(dat.read_bytes())
    start = data.draw(st.integers(0, len(content) - 1))
    noise = data.draw(st.binary(min_size=1, max_size=3000))
    content[start:start + len(noise)] = noise[: len(content) - start]
    dat.write_bytes(bytes(content))
    record = _read(folder)
    if record is not None:
        assert np.isfinite(record.signal).all()


TOKENS = ["", "x", "-1", "0", "999999999", "212x", "1e400", "nan", "16", "311", "rec/2", "/", "MLII", "0.0"]


def _mangle_header(folder: Path, row: int, column: int, token: str) -> None:
    header = folder / f"{NAME}.hea"
    lines = [line.split(" ") for line in header.read_text().splitlines()]
    lines[row][min(column, len(lines[row]) - 1)] = token
    header.write_text("\n".join(" ".join(line) for line in lines) + "\n")


@READER_SETTINGS
@given(data=st.data())
def test_mangled_header_token(valid_record, tmp_path_factory, data):
    folder = _copy(valid_record, tmp_path_factory)
    n_lines = len((folder / f"{NAME}.hea").read_text().splitlines())
    _mangle_header(folder, data.draw(st.integers(0, n_lines - 1)), data.draw(st.integers(0, 9)),
                   data.draw(st.sampled_from(TOKENS)))
    record = _read(folder)
    if record is not None:
        assert np.isfinite(record.signal).all() and record.signal.size > 0


# record line: name, number of signals, sampling rate, length; signal line: file, format, gain, ...
@pytest.mark.parametrize("row, column", [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 0)])
@pytest.mark.parametrize("token", TOKENS)
def test_each_key_header_field(valid_record, tmp_path_factory, row, column, token):
    folder = _copy(valid_record, tmp_path_factory)
    _mangle_header(folder, row, column, token)
    record = _read(folder)
    if record is not None:
        assert np.isfinite(record.signal).all() and record.signal.size > 0


@READER_SETTINGS
@given(content=st.binary(max_size=200))
def test_garbage_annotation_file(valid_record, tmp_path_factory, content):
    folder = _copy(valid_record, tmp_path_factory)
    (folder / f"{NAME}.atr").write_bytes(content)
    record = _read(folder)
    if record is not None:
        assert len(record.ann_sample) == len(record.ann_symbol)
        assert np.all((record.ann_sample >= 0) & (record.ann_sample < len(record.signal)))


@pytest.mark.parametrize("missing", ["hea", "dat"])
def test_missing_file_is_named(valid_record, tmp_path_factory, missing):
    folder = _copy(valid_record, tmp_path_factory)
    (folder / f"{NAME}.{missing}").unlink()
    with pytest.raises(InputError) as caught:
        read_record(folder / NAME)
    assert f"{NAME}.{missing}" in str(caught.value)


def test_missing_lead_is_named(valid_record):
    assert _read(valid_record, leads=("V5", "II")) is None


# Lead names as other databases write them (WFDB signal names hold no whitespace); sampling rates of
# PhysioNet databases and arbitrary ones, including rates below the 100 Hz limit.
LEAD_NAMES = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=8)


def _write(folder: Path, name: str, fs: float, leads: list[str]) -> np.ndarray:
    """A 6 s record with `leads` (each a scaled copy of one QRS train) at `fs`, annotated; returns the beats."""
    import wfdb

    t = np.arange(int(6 * fs)) / fs
    beats = np.round(np.arange(0.4, 5.8, 0.8) * fs).astype(np.int64)
    qrs = np.exp(-0.5 * ((t[:, None] - beats[None, :] / fs) / 0.015) ** 2).sum(axis=1)
    signals = np.stack([(k + 1) * 0.3 * qrs for k in range(len(leads))], axis=1)
    wfdb.wrsamp(name, fs=fs, units=["mV"] * len(leads), sig_name=leads, p_signal=signals, fmt=["16"] * len(leads),
                adc_gain=[200.0] * len(leads), baseline=[0] * len(leads), write_dir=str(folder))
    wfdb.wrann(name, "atr", beats, symbol=["N"] * len(beats), write_dir=str(folder))
    return beats


@READER_SETTINGS
@given(leads=st.lists(LEAD_NAMES, min_size=1, max_size=4, unique=True), pick=st.integers(0, 3),
       asked=LEAD_NAMES, fs=st.one_of(st.sampled_from([50.0, 99.0, 100.0, 128.0, 250.0, 257.0, 500.0, 1000.0]),
                                      st.floats(60.0, 2000.0).map(lambda f: round(f, 1))))
def test_lead_names_and_sampling_rates(tmp_path_factory, leads, pick, asked, fs):
    """A lead is found by its name at any rate >= 100 Hz; any other name or a lower rate is an InputError
    naming the header, and an unknown name lists the record's leads."""
    folder = tmp_path_factory.mktemp("wfdb-leads")
    beats = _write(folder, NAME, fs, leads)
    header = folder / f"{NAME}.hea"
    wanted = leads[pick % len(leads)]
    record = accepted_or_named(lambda: read_record(folder / NAME, leads=(wanted,), fs=180.0), header)
    if fs < 100:
        assert record is None
        return
    assert record is not None and record.lead == wanted and record.native_fs == fs
    np.testing.assert_array_equal(record.ann_native_sample, beats)
    assert np.abs(record.ann_sample - beats * 180.0 / fs).max() <= 0.5 + 1e-9
    if asked not in leads:
        with pytest.raises(InputError, match="its leads are") as caught:
            read_record(folder / NAME, leads=(asked,), fs=180.0)
        assert all(repr(name) in str(caught.value) for name in leads)


@READER_SETTINGS
@given(leads=st.lists(LEAD_NAMES, min_size=1, max_size=4, unique=True), pick=st.integers(0, 3),
       second=st.lists(LEAD_NAMES, min_size=0, max_size=3), fs=st.sampled_from([128.0, 257.0, 1000.0]))
def test_second_lead_by_name(tmp_path_factory, leads, pick, second, fs):
    """The second lead is the first of `second_leads` the record has besides the first lead, read at the same
    rate and length; without one the record keeps one lead (never an error)."""
    from sciml.ecg.beats import annotated_beats

    folder = tmp_path_factory.mktemp("wfdb-second")
    _write(folder, NAME, fs, leads)
    wanted = leads[pick % len(leads)]
    record = read_record(folder / NAME, leads=(wanted,), fs=180.0, second_leads=tuple(second))
    expected = next((name for name in second if name in leads and name != wanted), None)
    assert record.lead == wanted and record.second_lead == expected
    if expected is None:
        assert record.second_signal is None
    else:
        assert record.second_signal.shape == record.signal.shape and np.isfinite(record.second_signal).all()
    waves = annotated_beats(record, two_leads=True).waves
    assert waves.shape[1] == 4 and np.isfinite(waves).all() and (expected is not None or (waves[:, 2:] == 0).all())
