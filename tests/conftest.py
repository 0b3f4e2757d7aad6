"""Shared fixtures: repository paths and the offline data mirror."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def data_mirror() -> Path:
    """The offline data mirror ($SCIML_DATA_MIRROR, else ../shared/data); skip when absent."""
    candidate = Path(os.environ.get("SCIML_DATA_MIRROR") or REPO.parent / "shared" / "data")
    if not candidate.is_dir():
        pytest.skip(f"no data mirror at {candidate} (set SCIML_DATA_MIRROR)")
    return candidate.resolve()
