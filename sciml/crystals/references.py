"""Per-element reference energies, fitted by least squares before training.

E_total ~ sum_elements n_element * e_element; the network then only learns the (much smaller)
residual, which is what makes per-atom energy errors of a few meV reachable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ase import Atoms

from sciml.crystals.io import energy_of


def composition_matrix(structures: Sequence[Atoms], elements: Sequence[str]) -> np.ndarray:
    """Counts of each element per structure, (S, n_elements)."""
    column = {symbol: k for k, symbol in enumerate(elements)}
    counts = np.zeros((len(structures), len(elements)))
    for s, atoms in enumerate(structures):
        for symbol in atoms.get_chemical_symbols():
            counts[s, column[symbol]] += 1
    return counts


def fit_reference_energies(structures: Sequence[Atoms], elements: Sequence[str]) -> np.ndarray:
    """Least-squares per-element energies (eV), (n_elements,).

    Elements whose counts are collinear with others (e.g. always appearing together) get the
    minimum-norm solution, which is still exact on the training compositions.
    """
    counts = composition_matrix(structures, elements)
    energies = np.array([energy_of(atoms) for atoms in structures], dtype=float)
    solution, *_ = np.linalg.lstsq(counts, energies, rcond=None)
    return solution
