"""Seeded synthetic data sets of labelled crystals: EMT metals and Stillinger-Weber silicon.

Two families with different physics:

* ``metals``: fcc, bcc and hcp cells of the EMT metals and their random binary/ternary alloys,
  labelled with ASE's effective-medium-theory calculator (radial many-body, no angular terms).
* ``silicon``: diamond, beta-tin, simple-cubic and bcc silicon plus strongly rattled
  near-amorphous diamond cells, labelled with the Stillinger-Weber potential (matscipy), whose
  three-body term depends on bond angles.

Every structure gets a random symmetric strain, a Gaussian rattle and occasionally a vacancy;
energies (eV), forces (eV/A) and stresses (eV/A^3) are stored on a `SinglePointCalculator`, so
`ase.io.write(..., format="extxyz")` writes them and `ase.io.read` gives them back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
from ase import Atoms
from ase.build import bulk
from ase.calculators.calculator import Calculator
from ase.calculators.singlepoint import SinglePointCalculator
from ase.data import atomic_numbers, reference_states
from tqdm.auto import tqdm

from sciml.errors import ConfigError

Family = Literal["metals", "silicon"]
FAMILIES: tuple[str, ...] = ("metals", "silicon")
EMT_METALS: tuple[str, ...] = ("Al", "Cu", "Ag", "Au", "Ni", "Pd", "Pt")
SILICON_PHASES: tuple[str, ...] = ("diamond", "beta-tin", "sc", "bcc", "amorphous")
# Supercell repeats of the smallest cell of each lattice; products give 1..64 atoms.
_REPEATS = [(a, b, c) for a in range(1, 5) for b in range(a, 5) for c in range(b, 5)]


def emt_calculator() -> Calculator:
    """ASE's EMT calculator (Al, Cu, Ag, Au, Ni, Pd, Pt)."""
    from ase.calculators.emt import EMT

    return EMT()


def stillinger_weber_calculator() -> Calculator:
    """matscipy's many-body calculator with the original Stillinger-Weber silicon parameters."""
    from matscipy.calculators.manybody import Manybody
    from matscipy.calculators.manybody.explicit_forms import StillingerWeber
    from matscipy.calculators.manybody.explicit_forms.stillinger_weber import (
        Stillinger_Weber_PRB_31_5262_Si,
    )

    return Manybody(**StillingerWeber(Stillinger_Weber_PRB_31_5262_Si))


def symmetric_strain(atoms: Atoms, max_strain: float, rng: np.random.Generator) -> None:
    """Deform the cell (and atoms with it) by I + e, e symmetric with entries in [-max, max]."""
    e = rng.uniform(-max_strain, max_strain, size=(3, 3))
    e = 0.5 * (e + e.T)
    atoms.set_cell(atoms.cell.array @ (np.eye(3) + e), scale_atoms=True)


def _supercell(atoms: Atoms, max_atoms: int, rng: np.random.Generator) -> Atoms:
    options = [r for r in _REPEATS if len(atoms) * math.prod(r) <= max_atoms]
    reps = list(options[rng.integers(len(options))])
    rng.shuffle(reps)
    return atoms.repeat(tuple(reps))


def _min_distance(atoms: Atoms) -> float:
    from ase.neighborlist import neighbor_list

    d = neighbor_list("d", atoms, 3.0)
    return float(d.min()) if len(d) else math.inf


def _perturb(
    atoms: Atoms,
    rng: np.random.Generator,
    max_strain: float,
    rattle: float,
    vacancy_probability: float,
    min_distance: float,
) -> Atoms:
    """Strain, maybe remove one atom, rattle (re-drawn until no pair is closer than min_distance)."""
    symmetric_strain(atoms, max_strain, rng)
    if len(atoms) > 2 and rng.random() < vacancy_probability:
        del atoms[int(rng.integers(len(atoms)))]
    reference = atoms.positions.copy()
    for _ in range(20):
        sigma = rng.uniform(0.0, rattle)
        atoms.positions = reference + rng.normal(0.0, sigma, size=reference.shape)
        if _min_distance(atoms) >= min_distance:
            return atoms
    atoms.positions = reference
    return atoms


def random_metal(
    rng: np.random.Generator,
    max_atoms: int = 64,
    max_strain: float = 0.05,
    rattle: float = 0.1,
    vacancy_probability: float = 0.2,
) -> Atoms:
    """One random EMT metal or alloy cell (fcc, bcc or hcp; 1 to `max_atoms` atoms)."""
    n_species = int(rng.choice([1, 2, 3], p=[0.4, 0.35, 0.25]))
    species = list(rng.choice(EMT_METALS, size=n_species, replace=False))
    # Vegard's law on the fcc lattice constants; bcc and hcp at the same volume per atom.
    a_fcc = float(np.mean([reference_states[atomic_numbers[s]]["a"] for s in species]))
    lattice = str(rng.choice(["fcc", "bcc", "hcp"]))
    cubic = bool(rng.random() < 0.3)
    if lattice == "fcc":
        cell = bulk("X", "fcc", a=a_fcc, cubic=cubic)
    elif lattice == "bcc":
        cell = bulk("X", "bcc", a=a_fcc / 2 ** (1 / 3), cubic=cubic)
    else:
        cell = bulk("X", "hcp", a=a_fcc / math.sqrt(2), c=a_fcc * math.sqrt(4 / 3))
    atoms = _supercell(cell, max_atoms, rng)
    atoms.set_chemical_symbols(list(rng.choice(species, size=len(atoms))))
    atoms.info["lattice"] = lattice
    return _perturb(atoms, rng, max_strain, rattle, vacancy_probability, min_distance=1.5)


def _beta_tin(a: float = 4.92, c: float = 2.70) -> Atoms:
    """Conventional 4-atom beta-tin (A5) cell."""
    basis = [(0, 0, 0), (0, 0.5, 0.25), (0.5, 0.5, 0.5), (0.5, 0, 0.75)]
    return Atoms("Si4", scaled_positions=basis, cell=[a, a, c], pbc=True)


def random_silicon(
    rng: np.random.Generator,
    max_atoms: int = 64,
    max_strain: float = 0.05,
    rattle: float = 0.1,
    vacancy_probability: float = 0.2,
    amorphous_rattle: float = 0.25,
) -> Atoms:
    """One random silicon cell: diamond, beta-tin, sc, bcc, or near-amorphous (strongly rattled diamond)."""
    phase = str(rng.choice(SILICON_PHASES, p=[0.3, 0.15, 0.15, 0.15, 0.25]))
    cubic = bool(rng.random() < 0.5)
    if phase in ("diamond", "amorphous"):
        cell = bulk("Si", "diamond", a=5.431, cubic=cubic or phase == "amorphous")
    elif phase == "beta-tin":
        cell = _beta_tin()
    elif phase == "sc":
        cell = bulk("Si", "sc", a=2.53)
    else:
        cell = bulk("Si", "bcc", a=3.08, cubic=cubic)
    atoms = _supercell(cell, max_atoms, rng)
    atoms.info["lattice"] = phase
    amplitude = amorphous_rattle if phase == "amorphous" else rattle
    return _perturb(atoms, rng, max_strain, amplitude, vacancy_probability, min_distance=1.8)


def label(atoms: Atoms, calculator: Calculator) -> Atoms:
    """Attach energy, forces and stress from `calculator` as a SinglePointCalculator (in place)."""
    atoms.calc = calculator
    results = {
        "energy": float(atoms.get_potential_energy()),
        "forces": np.array(atoms.get_forces()),
        "stress": np.array(atoms.get_stress()),
    }
    atoms.calc = SinglePointCalculator(atoms, **results)
    return atoms


_BUILDERS: dict[str, tuple[Callable[..., Atoms], Callable[[], Calculator]]] = {
    "metals": (random_metal, emt_calculator),
    "silicon": (random_silicon, stillinger_weber_calculator),
}


def generate(
    family: str,
    n_structures: int,
    seed: int,
    max_atoms: int = 64,
    max_strain: float = 0.05,
    rattle: float = 0.1,
    vacancy_probability: float = 0.2,
) -> list[Atoms]:
    """Generate `n_structures` labelled structures of `family` ("metals" or "silicon").

    The same (family, n_structures, seed, settings) always gives the same structures.
    """
    if family not in _BUILDERS:
        raise ConfigError("crystals.family", f"unknown family {family!r}; choose from {FAMILIES}")
    if n_structures < 1:
        raise ConfigError("crystals.n_structures", f"must be >= 1, got {n_structures}")
    if not 1 <= max_atoms <= 256:
        raise ConfigError("crystals.max_atoms", f"must be in 1..256, got {max_atoms}")
    builder, make_calculator = _BUILDERS[family]
    calculator = make_calculator()
    rng = np.random.default_rng([seed, FAMILIES.index(family)])
    structures = []
    for _ in tqdm(range(n_structures), desc=f"{family} structures", disable=None):
        atoms = builder(rng, max_atoms=max_atoms, max_strain=max_strain, rattle=rattle,
                        vacancy_probability=vacancy_probability)
        structures.append(label(atoms, calculator))
    return structures
