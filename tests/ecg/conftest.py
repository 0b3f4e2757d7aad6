"""Synthetic WFDB records with known beats, written in the test (small, seeded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


def synthetic_ecg(fs: float, duration_s: float, seed: int = 0, premature_every: int = 0,
                  ventricular_every: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A clean-ish single-lead ECG (mV) with P, QRS and T waves at ~75 bpm.

    Every `premature_every`-th beat comes 35 % early (label A, normal shape); every
    `ventricular_every`-th beat is wide and inverted (label V). Returns (signal, r_samples, symbols).
    """
    rng = np.random.default_rng(seed)
    n = int(duration_s * fs)
    t = np.arange(n) / fs
    x = 0.02 * rng.standard_normal(n) + 0.1 * np.sin(2 * np.pi * 0.2 * t)  # noise + baseline wander
    r_times, symbols = [], []
    time = 0.6
    k = 0
    while time < duration_s - 0.8:
        k += 1
        symbol = "N"
        if premature_every and k % premature_every == 0:
            time -= 0.28
            symbol = "A"
        if ventricular_every and k % ventricular_every == 0:
            symbol = "V"
        r_times.append(time)
        symbols.append(symbol)
        time += 0.8 + 0.02 * rng.standard_normal()
    for rt, symbol in zip(r_times, symbols, strict=True):
        if symbol == "V":
            x += -1.2 * np.exp(-0.5 * ((t - rt) / 0.04) ** 2)
            x += 0.4 * np.exp(-0.5 * ((t - rt - 0.3) / 0.06) ** 2)
        else:
            x += 0.15 * np.exp(-0.5 * ((t - rt + 0.16) / 0.025) ** 2)
            x += 1.0 * np.exp(-0.5 * ((t - rt) / 0.012) ** 2)
            x -= 0.2 * np.exp(-0.5 * ((t - rt - 0.03) / 0.01) ** 2)
            x += 0.3 * np.exp(-0.5 * ((t - rt - 0.28) / 0.05) ** 2)
    return x, np.round(np.asarray(r_times) * fs).astype(np.int64), symbols


def write_record(directory: Path, name: str, signals: np.ndarray, fs: float, leads: list[str],
                 r_samples: np.ndarray | None = None, symbols: list[str] | None = None, fmt: str = "212") -> Path:
    """Write `signals` (T, C) as a WFDB record (and an .atr when beats are given); returns the record path."""
    import wfdb

    signals = np.atleast_2d(signals.T).T
    wfdb.wrsamp(name, fs=fs, units=["mV"] * signals.shape[1], sig_name=leads, p_signal=signals,
                fmt=[fmt] * signals.shape[1], adc_gain=[200.0] * signals.shape[1],
                baseline=[0] * signals.shape[1], write_dir=str(directory))
    if r_samples is not None:
        wfdb.wrann(name, "atr", np.asarray(r_samples), symbol=list(symbols), write_dir=str(directory))
    return directory / name


@pytest.fixture(scope="session")
def synth():
    """The helpers (synthetic_ecg, write_record) for tests that build their own records."""
    return synthetic_ecg, write_record


@pytest.fixture(scope="session")
def mitdb_dir(tmp_path_factory, data_mirror) -> Path:
    """Real MIT-BIH records 100 (MLII, V5), 102 (V5, V2: no MLII) and 114 (V5 first, MLII second)."""
    from sciml.data import fetch

    files = [f"{r}.{ext}" for r in ("100", "102", "114") for ext in ("hea", "dat", "atr")]
    return fetch("mitdb", root=tmp_path_factory.mktemp("raw"), mirror=data_mirror, files=files)


@pytest.fixture(scope="session")
def ecg_dir(tmp_path_factory) -> Path:
    """Folder with records 'r1' (V5 then MLII, A and V beats) and 'r2' (MLII only), 360 Hz, 90 s, with .atr."""
    directory = tmp_path_factory.mktemp("wfdb")
    x1, r1, s1 = synthetic_ecg(360, 90, seed=1, premature_every=7, ventricular_every=11)
    write_record(directory, "r1", np.stack([0.5 * x1, x1], axis=1), 360, ["V5", "MLII"], r1, s1)
    x2, r2, s2 = synthetic_ecg(360, 90, seed=2, premature_every=9, ventricular_every=13)
    write_record(directory, "r2", x2, 360, ["MLII"], r2, s2)
    return directory
