"""The `slurm_cluster` fixture: a throw-away single-node SLURM cluster for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from local_slurm import SlurmUnavailable, local_slurm_cluster


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Environment (SLURM_CONF) of a running local cluster; skips with the reason where none can start."""
    try:
        with local_slurm_cluster(tmp_path_factory.mktemp("slurm")) as env:
            yield env
    except SlurmUnavailable as reason:
        pytest.skip(str(reason))
