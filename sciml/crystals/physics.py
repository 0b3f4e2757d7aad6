"""Physics checks of a potential, run in float64: symmetry, extensivity, smoothness, conservativeness.

Each check returns an error (0 for an exact potential); the tests assert them at round-off and
`sciml crystals evaluate` records them for trained models.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from ase import Atoms
from scipy.spatial.transform import Rotation

from sciml.crystals.graphs import atoms_to_graph
from sciml.crystals.potential import Potential


def float64_copy(potential: Potential) -> Potential:
    """An eval-mode float64 copy (the original is untouched)."""
    return copy.deepcopy(potential).double().cpu().eval()


def _energy_forces(potential: Potential, atoms: Atoms) -> tuple[float, np.ndarray]:
    dtype = next(potential.parameters()).dtype
    out = potential(atoms_to_graph(atoms, potential.cutoff, dtype))
    return float(out.energy[0]), out.forces.double().numpy()


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12))


def rotation_error(potential: Potential, atoms: Atoms, seed: int = 0) -> dict[str, float]:
    """Relative change of E and of R F under a random rotation R of positions and cell.

    Returns {"energy": |E(Rx) - E(x)| / |E(x)|, "forces": max|F(Rx) - R F(x)| / max|F(x)|}.
    """
    rotation = Rotation.random(random_state=seed).as_matrix()
    energy, forces = _energy_forces(potential, atoms)
    rotated = atoms.copy()
    rotated.set_cell(atoms.cell.array @ rotation.T, scale_atoms=False)
    rotated.positions = atoms.positions @ rotation.T
    energy_r, forces_r = _energy_forces(potential, rotated)
    return {"energy": abs(energy_r - energy) / max(abs(energy), 1e-12),
            "forces": _relative(forces_r, forces @ rotation.T)}


def translation_error(potential: Potential, atoms: Atoms, shift: tuple[float, float, float] = (0.31, -0.7, 1.3)
                      ) -> dict[str, float]:
    """Relative change of E and F when every atom is moved by `shift` (A)."""
    energy, forces = _energy_forces(potential, atoms)
    moved = atoms.copy()
    moved.positions = atoms.positions + np.asarray(shift)
    energy_t, forces_t = _energy_forces(potential, moved)
    return {"energy": abs(energy_t - energy) / max(abs(energy), 1e-12), "forces": _relative(forces_t, forces)}


def permutation_error(potential: Potential, atoms: Atoms, seed: int = 0) -> dict[str, float]:
    """Relative change of E and of the permuted forces when atoms are relabelled."""
    order = np.random.default_rng(seed).permutation(len(atoms))
    energy, forces = _energy_forces(potential, atoms)
    energy_p, forces_p = _energy_forces(potential, atoms[order])
    return {"energy": abs(energy_p - energy) / max(abs(energy), 1e-12), "forces": _relative(forces_p, forces[order])}


def supercell_error_mev_per_atom(potential: Potential, atoms: Atoms) -> float:
    """|E(2x2x2 supercell) / 8 - E(cell)| / N in meV/atom (extensivity)."""
    energy, _ = _energy_forces(potential, atoms)
    energy_super, _ = _energy_forces(potential, atoms.repeat((2, 2, 2)))
    return 1000 * abs(energy_super / 8 - energy) / len(atoms)


def finite_difference_error(potential: Potential, atoms: Atoms, step: float = 1e-4, n_components: int = 6,
                            seed: int = 0) -> float:
    """max |F_a + (E(x + h e_a) - E(x - h e_a)) / 2h| / max|F| over random components a."""
    _, forces = _energy_forces(potential, atoms)
    rng = np.random.default_rng(seed)
    worst = 0.0
    for flat in rng.choice(3 * len(atoms), size=min(n_components, 3 * len(atoms)), replace=False):
        atom, axis = divmod(int(flat), 3)
        energies = []
        for sign in (1, -1):
            moved = atoms.copy()
            moved.positions[atom, axis] += sign * step
            energies.append(_energy_forces(potential, moved)[0])
        numeric = -(energies[0] - energies[1]) / (2 * step)
        worst = max(worst, abs(numeric - forces[atom, axis]))
    return worst / max(float(np.max(np.abs(forces))), 1e-12)


def cutoff_energy_jump(potential: Potential, species: str = "Si", delta: float = 1e-6) -> float:
    """|E(r_c - delta) - E(r_c + delta)| for a free dimer straddling the cutoff (eV); ~0 if smooth."""
    energies = []
    for r in (potential.cutoff - delta, potential.cutoff + delta):
        dimer = Atoms(f"{species}2", positions=[[0, 0, 0], [r, 0, 0]], pbc=False)
        energies.append(_energy_forces(potential, dimer)[0])
    return abs(energies[0] - energies[1])


def physics_report(potential: Potential, structures: list[Atoms], seed: int = 0) -> dict[str, float]:
    """Worst-case symmetry and extensivity errors of `potential` (float64) over `structures`."""
    model = float64_copy(potential)
    rot, trans, perm, sup = 0.0, 0.0, 0.0, 0.0
    with torch.no_grad():
        for k, atoms in enumerate(structures):
            r = rotation_error(model, atoms, seed + k)
            t = translation_error(model, atoms)
            p = permutation_error(model, atoms, seed + k)
            rot = max(rot, r["energy"], r["forces"])
            trans = max(trans, t["energy"], t["forces"])
            perm = max(perm, p["energy"], p["forces"])
            sup = max(sup, supercell_error_mev_per_atom(model, atoms))
    return {"equivariance_error": rot, "translation_error": trans, "permutation_error": perm,
            "supercell_error_mev_per_atom": sup}
