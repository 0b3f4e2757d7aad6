"""Reading, validating and writing structures (any format `ase.io` reads: extxyz, CIF, ...).

Validation happens when a file is read, before any long work, and names the file and the
0-based structure index: empty structures, periodic structures without a cell, overlapping atoms
(closer than `MIN_DISTANCE`), and (given the elements a model knows) unknown elements.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.calculators.singlepoint import SinglePointCalculator

from sciml.errors import InputError
from sciml.files import atomic_path

MIN_DISTANCE = 0.5  # A; closer atoms are a broken structure, not physics any potential here describes


def energy_of(atoms: Atoms) -> float | None:
    """Reference total energy (eV) stored with a structure (calculator results or info), or None."""
    if atoms.calc is not None and "energy" in atoms.calc.results:
        return float(atoms.calc.results["energy"])
    value = atoms.info.get("energy")
    return None if value is None else float(value)


def forces_of(atoms: Atoms) -> np.ndarray | None:
    """Reference forces (N, 3) in eV/A stored with a structure, or None."""
    if atoms.calc is not None and "forces" in atoms.calc.results:
        return np.asarray(atoms.calc.results["forces"], dtype=float)
    value = atoms.arrays.get("forces")
    return None if value is None else np.asarray(value, dtype=float)


def stress_of(atoms: Atoms) -> np.ndarray | None:
    """Reference stress (3, 3) in eV/A^3 (ASE convention, (1/V) dE/dstrain) stored with a structure, or None."""
    from ase.stress import voigt_6_to_full_3x3_stress

    if atoms.calc is not None and "stress" in atoms.calc.results:
        value = atoms.calc.results["stress"]
    else:
        value = atoms.info.get("stress")
    if value is None:
        return None
    value = np.asarray(value, dtype=float)
    return voigt_6_to_full_3x3_stress(value) if value.shape == (6,) else value.reshape(3, 3)


def check_structure(
    atoms: Atoms, path: str | os.PathLike[str], index: int, elements: Iterable[str] | None = None
) -> None:
    """Raise `InputError(path, problem, index)` if `atoms` cannot be used.

    Args:
        atoms: the structure.
        path: the file it came from, for the message.
        index: its 0-based index in the file, for the message.
        elements: chemical symbols a model was trained on; None skips that check.

    Raises:
        InputError: empty structure, periodic without a cell, non-finite positions, unknown
            elements or overlapping atoms.
    """
    from ase.neighborlist import neighbor_list

    if len(atoms) == 0:
        raise InputError(path, "empty structure (no atoms)", index)
    pbc = np.asarray(atoms.pbc, dtype=bool)
    cell = atoms.cell.array
    if pbc.any():
        lengths = np.linalg.norm(cell, axis=1)
        if np.any(lengths[pbc] < 1e-8) or abs(np.linalg.det(cell)) < 1e-8 and pbc.all():
            raise InputError(path, f"periodic structure (pbc={pbc.tolist()}) without a cell", index)
    if not np.isfinite(atoms.positions).all():
        raise InputError(path, "non-finite atomic positions", index)
    if elements is not None:
        unknown = sorted(set(atoms.get_chemical_symbols()) - set(elements))
        if unknown:
            raise InputError(path, f"element(s) {unknown} not among the model's elements {sorted(elements)}",
                             index)
    if len(atoms) > 1 or pbc.any():
        i, j, d = neighbor_list("ijd", atoms, MIN_DISTANCE)
        if len(d):
            k = int(np.argmin(d))
            raise InputError(path, f"atoms {int(i[k])} and {int(j[k])} overlap ({d[k]:.3f} A < {MIN_DISTANCE} A)",
                             index)


def read_structures(
    path: str | os.PathLike[str], elements: Iterable[str] | None = None, require_labels: bool = False
) -> list[Atoms]:
    """Read every structure in `path` (format guessed by `ase.io`) and validate each.

    Args:
        path: any file `ase.io` reads (extxyz, CIF, ...).
        elements: if given, every element must be among them (a model's elements).
        require_labels: every structure must carry a reference energy and forces (training data).

    Returns:
        The structures, in file order.

    Raises:
        InputError: a missing, unreadable or malformed file, or an invalid structure (names the
            file and the 0-based structure index).
    """
    import ase.io

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            structures = ase.io.read(path, index=":")
    except Exception as exc:  # ase raises many types for unreadable files
        raise InputError(path, f"cannot read structures ({type(exc).__name__}: {exc})") from None
    # ase only warns about a malformed CIF row and then skips or misreads it: a silent wrong structure.
    malformed = [w for w in caught if issubclass(w.category, UserWarning) and "ase/io" in w.filename.replace("\\", "/")]
    if malformed:
        raise InputError(path, f"malformed structure file: {malformed[0].message}")
    if isinstance(structures, Atoms):
        structures = [structures]
    if not structures:
        raise InputError(path, "the file holds no structures")
    for index, atoms in enumerate(structures):
        check_structure(atoms, path, index, elements)
        if require_labels:
            forces = forces_of(atoms)
            if energy_of(atoms) is None or forces is None:
                raise InputError(path, "structure has no reference energy and forces", index)
            if forces.shape != (len(atoms), 3) or not np.isfinite(forces).all():
                raise InputError(path, f"forces of shape {forces.shape} do not fit {len(atoms)} atoms", index)
    return list(structures)


def with_prediction(atoms: Atoms, energy: float, forces: np.ndarray) -> Atoms:
    """A copy of `atoms` carrying a predicted energy (eV) and forces (N, 3) as its calculator results."""
    out = atoms.copy()
    out.calc = SinglePointCalculator(out, energy=float(energy), forces=np.asarray(forces, dtype=float))
    return out


def write_structures(path: str | os.PathLike[str], structures: Sequence[Atoms]) -> Path:
    """Write `structures` as extxyz, atomically."""
    import ase.io

    with atomic_path(path) as staged:
        ase.io.write(staged, list(structures), format="extxyz")
    return Path(path)
