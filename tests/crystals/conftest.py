"""Small shared structures for the crystals tests."""

from __future__ import annotations

import pytest
from ase import Atoms
from ase.build import bulk

from sciml.crystals.synthetic import emt_calculator, label


@pytest.fixture
def cu_alloy() -> Atoms:
    """A strained, rattled 8-atom Cu/Au fcc cell with EMT labels (non-orthogonal cell)."""
    import numpy as np

    atoms = bulk("Cu", "fcc", a=3.7).repeat((2, 2, 2))
    atoms.set_cell(atoms.cell.array @ np.array([[1.02, 0.01, 0.0], [0.01, 0.98, 0.02], [0.0, 0.02, 1.01]]),
                   scale_atoms=True)
    atoms.symbols[[1, 6]] = "Au"
    atoms.positions += np.random.default_rng(0).normal(0, 0.05, atoms.positions.shape)
    return label(atoms, emt_calculator())


@pytest.fixture
def si_diamond() -> Atoms:
    """Rattled 2-atom primitive diamond silicon (cell smaller than the cutoff)."""
    import numpy as np

    atoms = bulk("Si", "diamond", a=5.43)
    atoms.positions += np.random.default_rng(1).normal(0, 0.05, atoms.positions.shape)
    return atoms


@pytest.fixture
def trimer():
    """`trimer(angle_degrees)`: centre atom 0 with two neighbours at 2 A (> 2.5 A apart for angles >= 90 deg)."""
    import numpy as np

    def build(angle_degrees: float) -> Atoms:
        a = np.radians(angle_degrees)
        return Atoms("Si3", positions=[[0, 0, 0], [2.0, 0, 0], [2.0 * np.cos(a), 2.0 * np.sin(a), 0]])

    return build
