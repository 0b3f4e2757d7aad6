"""Small fixtures shared by the enhancers tests."""

from __future__ import annotations

import pytest
import torch

torch.set_num_threads(1)


@pytest.fixture(scope="session")
def jaspar():
    from sciml.enhancers.jaspar import load_jaspar

    return load_jaspar()
