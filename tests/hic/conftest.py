"""Small simulated maps shared by the hic tests."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.hic.biases import BiasParams
from sciml.hic.simulate import SimulatedChromosome, SimulationParams, simulate_chromosome


@pytest.fixture(scope="session")
def small_chrom() -> SimulatedChromosome:
    """A 200-bin simulated chromosome with strong, well-separated TADs."""
    params = SimulationParams(tad_size_bins=(15, 30), tad_strength=(2.5, 3.0), subtad_probability=0.0,
                              contacts_per_bin=(20_000.0, 20_000.0))
    return simulate_chromosome(200, params, BiasParams(), np.random.default_rng(7))
