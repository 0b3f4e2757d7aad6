"""An ASE calculator for trained potentials: energy, forces, stress and per-atom energies.

`Calculator(model_dir)` loads a model folder (`sciml.load_model`) and answers ASE's property
requests for any structure: the periodic neighbour list (`sciml.crystals.graphs`) handles small,
skewed and large cells and mixed periodicity. It can drive `ase.md` and `ase.optimize`; elements the
model was not trained on are refused by name. A committee folder (`save_committee`: member model
folders and a `committee.json` naming them, e.g. the same model trained with different seeds)
gives the mean prediction and, as `energy_std` (eV) and `forces_std` (eV/A, per atom), the
spread of its members.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from ase import Atoms
from ase.calculators.calculator import Calculator as ASECalculator
from ase.calculators.calculator import PropertyNotImplementedError, all_changes
from ase.stress import full_3x3_to_voigt_6_stress

from sciml.crystals.graphs import atoms_to_graph
from sciml.crystals.potential import Potential
from sciml.errors import InputError

DTYPES = {"float32": torch.float32, "float64": torch.float64}


COMMITTEE_FILE = "committee.json"


def save_committee(directory: str | os.PathLike[str], members: Sequence[str | os.PathLike[str]]) -> Path:
    """Write a committee folder atomically: copies of the member model folders and `committee.json`.

    Args:
        directory: the committee folder to create or replace.
        members: model folders with the same elements and cutoff (e.g. one model, several seeds).

    Raises:
        InputError: fewer than two members, or members that disagree on elements or cutoff.
    """
    import json
    import shutil

    from sciml.files import atomic_path

    if len(members) < 2:
        raise InputError(directory, f"a committee needs at least two members, got {len(members)}")
    names = [f"member{k}" for k in range(len(members))]
    with atomic_path(directory) as staged:
        staged.mkdir()
        for name, member in zip(names, members, strict=True):
            shutil.copytree(member, staged / name)
        (staged / COMMITTEE_FILE).write_text(json.dumps({"members": names}, indent=2) + "\n")
        load_members(staged)  # the members must agree
    return Path(directory)


def load_members(model_dir: str | os.PathLike[str], device: str | torch.device = "cpu") -> list[Potential]:
    """The potential(s) of a model folder: one model, or every member of a committee folder.

    Raises:
        InputError: committee members that disagree on elements or cutoff.
    """
    import json

    from sciml.models import load_model

    model_dir = Path(model_dir)
    committee = model_dir / COMMITTEE_FILE
    if not committee.is_file():
        return [load_model(model_dir, device)]  # type: ignore[list-item]
    names = json.loads(committee.read_text())["members"]
    members: list[Potential] = [load_model(model_dir / name, device) for name in names]  # type: ignore[misc]
    first = members[0]
    for name, member in zip(names, members, strict=True):
        if member.elements != first.elements or member.cutoff != first.cutoff:
            raise InputError(model_dir / name, f"committee member has elements {member.elements} and cutoff "
                             f"{member.cutoff}, unlike {first.elements} and {first.cutoff}")
    return members


class Calculator(ASECalculator):
    """ASE calculator of a trained `sciml.crystals` potential (or committee of potentials).

    Args:
        model_dir: a model folder written by `sciml crystals train` (or a committee folder).
        device: "auto" (CUDA when available), "cpu", "cuda" or "cuda:N".
        dtype: "float64" (default; conserves energy in long MD runs) or "float32" (faster).
        **kwargs: passed to `ase.calculators.calculator.Calculator`.

    Results: `energy`, `free_energy` (eV), `forces` (N, 3) eV/A, `energies` (N,) eV per atom,
    `stress` (6,) eV/A^3 (Voigt xx yy zz yz xz xy, tensile positive; fully periodic cells only) and,
    for a committee, `energy_std` (eV, the members' sample standard deviation) and `forces_std` (N,)
    eV/A (per atom, the square root of the summed sample variances of the three components).

    Examples:
        >>> from ase.build import bulk  # doctest: +SKIP
        >>> atoms = bulk("Si", "diamond", a=5.47, cubic=True)  # doctest: +SKIP
        >>> atoms.calc = Calculator("results/crystals/zuo2020/Si/model")  # doctest: +SKIP
        >>> atoms.get_potential_energy(), atoms.get_forces().shape, atoms.get_stress().shape  # doctest: +SKIP
    """

    implemented_properties = ["energy", "free_energy", "forces", "energies", "stress", "energy_std",
                              "forces_std"]

    def __init__(self, model_dir: str | os.PathLike[str], device: str = "auto", dtype: str = "float64",
                 **kwargs: Any) -> None:
        from sciml.train import select_device

        super().__init__(**kwargs)
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {list(DTYPES)}, got {dtype!r}")
        self.model_dir = Path(model_dir)
        self.device = select_device(device)
        self.dtype = DTYPES[dtype]
        self.members = [m.to(self.device, self.dtype).eval() for m in load_members(model_dir, self.device)]
        self.elements = list(self.members[0].elements)
        self.cutoff = float(self.members[0].cutoff)

    def check_elements(self, atoms: Atoms) -> None:
        """Raise `InputError` naming the model folder and the elements it was not trained on."""
        unknown = sorted(set(atoms.get_chemical_symbols()) - set(self.elements))
        if unknown:
            raise InputError(self.model_dir, f"element(s) {unknown} not among the model's elements {self.elements}")

    def calculate(self, atoms: Atoms | None = None, properties: list[str] | None = None,
                  system_changes: list[str] = all_changes) -> None:
        """Fill `self.results` for `atoms` (ASE's calculator protocol)."""
        super().calculate(atoms, properties, system_changes)
        atoms = self.atoms
        self.check_elements(atoms)
        periodic = bool(np.all(atoms.pbc)) and abs(np.linalg.det(atoms.cell.array)) > 1e-8
        if "stress" in (properties or []) and not periodic:
            raise PropertyNotImplementedError("stress needs a fully periodic structure with a 3D cell")
        graph = atoms_to_graph(atoms, self.cutoff, self.dtype, labels=False).to(self.device)
        outputs = [member(graph, stress=periodic, per_atom=True) for member in self.members]
        energy = torch.stack([o.energy[0] for o in outputs]).double().cpu().numpy()
        forces = torch.stack([o.forces for o in outputs]).double().cpu().numpy()
        energies = torch.stack([o.energies for o in outputs]).double().cpu().numpy()
        self.results = {"energy": float(energy.mean()), "free_energy": float(energy.mean()),
                        "forces": forces.mean(0), "energies": energies.mean(0)}
        if periodic:
            stress = torch.stack([o.stress[0] for o in outputs]).double().cpu().numpy().mean(0)
            self.results["stress"] = full_3x3_to_voigt_6_stress(stress)
        if len(self.members) > 1:
            self.results["energy_std"] = float(energy.std(ddof=1))
            self.results["forces_std"] = np.sqrt(((forces - forces.mean(0)) ** 2).sum(-1).mean(0)
                                                 * len(self.members) / (len(self.members) - 1))
