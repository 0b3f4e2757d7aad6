"""Reading, validating and writing structures: any format `ase.io` reads, and mlearn's JSON.

Labels are normalised on reading so that the rest of the package sees one convention: a
`SinglePointCalculator` holding the energy (eV), forces (eV/A) and, where the file has one, the
stress in eV/A^3, Voigt order xx yy zz yz xz xy, tensile positive (ASE's). Sources:

* extended XYZ with the keys named by `LabelKeys` (ASE's defaults, or e.g. `force`, `virial`);
  a libAtoms virial W (eV) becomes the stress -W / V;
* mlearn / pymatgen JSON (Zuo et al. 2020): `outputs.virial_stress` in kBar, VASP order
  xx yy zz xy yz zx, compressive positive, becomes -0.1 GPa x (xx yy zz yz zx xy).

`atoms.info["config_type"]` carries the structure's group (mlearn's `group`, extxyz's
`config_type`) for per-group errors. Validation happens when a file is read, before any long
work, and names the file and the 0-based structure index.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from ase import Atoms, units
from ase.calculators.singlepoint import SinglePointCalculator
from ase.data import atomic_numbers

from sciml.crystals.settings import LabelKeys
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


STRESS_UNITS: dict[str, float] = {"eV/A^3": 1.0, "GPa": units.GPa, "kBar": 0.1 * units.GPa}
MAX_STRESS = 5.0  # eV/A^3 (800 GPa): a larger stress component is a unit mistake, not a solid
VASP_TO_VOIGT = (0, 1, 2, 4, 5, 3)  # VASP xx yy zz xy yz zx -> Voigt xx yy zz yz xz xy
DEFAULT_CONFIG_TYPE = "all"


def config_type_of(atoms: Atoms) -> str:
    """The structure's group (`info["config_type"]`), or "all" when it has none."""
    return str(atoms.info.get("config_type", DEFAULT_CONFIG_TYPE))


def vasp_virial_stress_to_voigt(virial_stress: Sequence[float]) -> np.ndarray:
    """VASP/mlearn `virial_stress` (kBar, xx yy zz xy yz zx, compressive positive) -> ASE stress.

    Shapes:
        virial_stress: (6,) -> (6,) eV/A^3, Voigt xx yy zz yz xz xy, tensile positive.
    """
    values = np.asarray(virial_stress, dtype=float)
    return -STRESS_UNITS["kBar"] * values[list(VASP_TO_VOIGT)]


def virial_to_stress(virial: np.ndarray, volume: float) -> np.ndarray:
    """libAtoms virial W (eV, 9 or 6 Voigt values) -> ASE stress -W / V (6,) eV/A^3."""
    from ase.stress import full_3x3_to_voigt_6_stress

    full = _full_3x3(virial)
    return full_3x3_to_voigt_6_stress(-full / volume)


def _full_3x3(values: np.ndarray) -> np.ndarray:
    from ase.stress import voigt_6_to_full_3x3_stress

    values = np.asarray(values, dtype=float)
    if values.size == 6:
        return voigt_6_to_full_3x3_stress(values.ravel())
    return values.reshape(3, 3)


def _attach(atoms: Atoms, energy: float | None, forces: np.ndarray | None, stress: np.ndarray | None,
            path: str | os.PathLike[str], index: int) -> None:
    """Check the labels against the structure and store them as its calculator results."""
    results: dict[str, Any] = {}
    if energy is not None:
        if not np.isfinite(energy):
            raise InputError(path, f"energy {energy} is not finite", index)
        results["energy"] = float(energy)
    if forces is not None:
        forces = np.asarray(forces, dtype=float)
        if forces.shape != (len(atoms), 3):
            raise InputError(path, f"forces of shape {forces.shape} do not fit {len(atoms)} atoms", index)
        if not np.isfinite(forces).all():
            raise InputError(path, "non-finite forces", index)
        results["forces"] = forces
    if stress is not None:
        stress = np.asarray(stress, dtype=float)
        if not np.isfinite(stress).all():
            raise InputError(path, "non-finite stress", index)
        largest = float(np.abs(stress).max(initial=0.0))
        if largest > MAX_STRESS:
            raise InputError(path, f"stress component of {largest:.3g} eV/A^3 ({largest / units.GPa:.3g} GPa) is "
                             "beyond any solid: the unit cannot be eV/A^3 (set the stress unit)", index)
        results["stress"] = stress
    atoms.calc = SinglePointCalculator(atoms, **results) if results else None


def _value(atoms: Atoms, key: str, per_atom: bool) -> Any:
    """A label under `key`: ASE's calculator results first, then `arrays` or `info`."""
    if atoms.calc is not None and key in atoms.calc.results:
        return atoms.calc.results[key]
    return (atoms.arrays if per_atom else atoms.info).get(key)


def _stress_from_keys(atoms: Atoms, keys: LabelKeys, path: str | os.PathLike[str], index: int) -> np.ndarray | None:
    stress, virial = _value(atoms, keys.stress, False), _value(atoms, keys.virial, False)
    if stress is None and virial is None:
        return None
    name, raw = (keys.stress, stress) if stress is not None else (keys.virial, virial)
    values = np.asarray(raw, dtype=float) if np.ndim(raw) else None
    if values is None or values.size not in (6, 9):
        raise InputError(path, f"'{name}' must hold 6 (Voigt) or 9 values, got {np.size(raw)}", index)
    if stress is not None:
        from ase.stress import full_3x3_to_voigt_6_stress

        return full_3x3_to_voigt_6_stress(_full_3x3(values)) * STRESS_UNITS[keys.stress_unit]
    volume = abs(float(np.linalg.det(atoms.cell.array)))
    if volume < 1e-8:
        raise InputError(path, f"a virial ('{name}') needs a 3D cell to become a stress", index)
    return virial_to_stress(values, volume)


def _labels_from_keys(atoms: Atoms, keys: LabelKeys, path: str | os.PathLike[str], index: int) -> None:
    energy, forces = _value(atoms, keys.energy, False), _value(atoms, keys.forces, True)
    try:
        energy = None if energy is None else float(energy)
    except (TypeError, ValueError):
        raise InputError(path, f"'{keys.energy}' is not a number: {energy!r}", index) from None
    stress = _stress_from_keys(atoms, keys, path, index)
    if "group" in atoms.info and "config_type" not in atoms.info:
        atoms.info["config_type"] = str(atoms.info["group"])
    _attach(atoms, energy, forces, stress, path, index)


def _available_keys(atoms: Atoms) -> list[str]:
    results = list(atoms.calc.results) if atoms.calc is not None else []
    return sorted(set(results) | set(atoms.info) | (set(atoms.arrays) - {"numbers", "positions"}))


def read_mlearn_json(path: str | os.PathLike[str]) -> list[Atoms]:
    """Structures of an mlearn / pymatgen-style JSON list (no pymatgen needed).

    Each item has `structure` (`lattice.matrix` in A, `sites[].xyz` Cartesian A,
    `sites[].species[0].element`), `outputs.energy` (eV), `outputs.forces` (eV/A, one row per
    site), optionally `outputs.virial_stress` (kBar, VASP order, compressive positive) and `group`.

    Returns:
        Periodic structures with energy, forces and (converted) stress as calculator results and
        the group as `info["config_type"]`; structure checks are left to `read_structures`.

    Raises:
        InputError: not JSON, not a list, or an item with missing or malformed fields (names the
            file, the item index and the field).
    """
    try:
        items = json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"cannot read mlearn JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(items, list):
        raise InputError(path, f"an mlearn JSON file holds a list of structures, not a {type(items).__name__}")
    structures = []
    for index, item in enumerate(items):
        try:
            lattice = np.asarray(item["structure"]["lattice"]["matrix"], dtype=float)
            sites = item["structure"]["sites"]
            if not sites:
                raise InputError(path, "empty structure (no atoms)", index)
            symbols = [site["species"][0]["element"] for site in sites]
            positions = np.asarray([site["xyz"] for site in sites], dtype=float)
            outputs = item["outputs"]
            energy = float(outputs["energy"])
            forces = np.asarray(outputs["forces"], dtype=float)
            virial_stress = outputs.get("virial_stress")
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(path, f"malformed mlearn item ({type(exc).__name__}: {exc})", index) from None
        if lattice.shape != (3, 3) or positions.shape != (len(sites), 3):
            raise InputError(path, f"lattice {lattice.shape} or positions {positions.shape} are not 3D", index)
        unknown = sorted({s for s in symbols if s not in atomic_numbers or s == "X"})
        if unknown:
            raise InputError(path, f"unknown element(s) {unknown}", index)
        atoms = Atoms(symbols, positions=positions, cell=lattice, pbc=True)
        stress = None
        if virial_stress is not None:
            if np.shape(virial_stress) != (6,):
                raise InputError(path, f"virial_stress must hold 6 values (kBar, VASP order), got shape "
                                 f"{np.shape(virial_stress)}", index)
            stress = vasp_virial_stress_to_voigt(virial_stress)
        if "group" in item:
            atoms.info["config_type"] = str(item["group"])
        _attach(atoms, energy, forces, stress, path, index)
        structures.append(atoms)
    return structures


def _read_ase(path: Path) -> list[Atoms]:
    import ase.io

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
    return [structures] if isinstance(structures, Atoms) else list(structures)


def read_structures(
    path: str | os.PathLike[str], elements: Iterable[str] | None = None, require_labels: bool = False,
    keys: LabelKeys | None = None,
) -> list[Atoms]:
    """Read every structure in `path` and validate each; labels are normalised (see the module).

    Args:
        path: an mlearn JSON file (`.json`) or any file `ase.io` reads (extxyz, CIF, ...).
        elements: if given, every element must be among them (a model's elements).
        require_labels: every structure must carry a reference energy and forces (training data).
        keys: where an extxyz file keeps energy, forces, stress or virial (default: ASE's keys).

    Returns:
        The structures, in file order, with their labels as `SinglePointCalculator` results.

    Raises:
        InputError: a missing, unreadable or malformed file, or an invalid structure or label
            (names the file and the 0-based structure index).
    """
    path = Path(path)
    keys = keys or LabelKeys()
    if not path.is_file():
        raise InputError(path, "no such file")
    if path.suffix.lower() == ".json":
        structures = read_mlearn_json(path)
    else:
        structures = _read_ase(path)
        for index, atoms in enumerate(structures):
            available = _available_keys(atoms)
            _labels_from_keys(atoms, keys, path, index)
            if require_labels and (energy_of(atoms) is None or forces_of(atoms) is None):
                missing = [k for k in (keys.energy, keys.forces) if k not in available]
                raise InputError(path, f"structure has no reference energy and forces (no {missing}; keys present: "
                                 f"{available})", index)
    if not structures:
        raise InputError(path, "the file holds no structures")
    for index, atoms in enumerate(structures):
        check_structure(atoms, path, index, elements)
    return structures


def with_prediction(atoms: Atoms, energy: float, forces: np.ndarray) -> Atoms:
    """A copy of `atoms` carrying a predicted energy (eV) and forces (N, 3) as its calculator results."""
    out = atoms.copy()
    out.calc = SinglePointCalculator(out, energy=float(energy), forces=np.asarray(forces, dtype=float))
    return out


def labels_under_keys(atoms: Atoms, keys: LabelKeys) -> Atoms:
    """A copy of `atoms` with its labels moved from the calculator to `info`/`arrays` under `keys`.

    The energy (eV) goes to `info[keys.energy]`, the forces (eV/A) to `arrays[keys.forces]`, the
    stress to `info[keys.stress]` (6 Voigt values, ASE order and sign, in `keys.stress_unit`); no
    calculator is left. Other codes read such files by key, e.g. MACE with
    `LabelKeys(energy="REF_energy", forces="REF_forces", stress="REF_stress")`.

    Shapes:
        atoms: N atoms -> a copy with `arrays[keys.forces]` (N, 3) and `info[keys.stress]` (6,).
    """
    from ase.stress import full_3x3_to_voigt_6_stress

    energy, forces, stress = energy_of(atoms), forces_of(atoms), stress_of(atoms)
    out = atoms.copy()
    out.calc = None
    for key in ("energy", "stress"):
        out.info.pop(key, None)
    out.arrays.pop("forces", None)
    if energy is not None:
        out.info[keys.energy] = energy
    if forces is not None:
        out.arrays[keys.forces] = forces
    if stress is not None:
        out.info[keys.stress] = full_3x3_to_voigt_6_stress(stress) / STRESS_UNITS[keys.stress_unit]
    return out


def write_structures(path: str | os.PathLike[str], structures: Sequence[Atoms], keys: LabelKeys | None = None) -> Path:
    """Write `structures` as extxyz, atomically.

    Args:
        path: the extxyz file to write.
        structures: the structures, with their labels as calculator results.
        keys: None: labels under ASE's own keys (as calculator results); else the keys (and stress
            unit) to write them under (`labels_under_keys`), read back with
            `read_structures(path, keys=keys)`.
    """
    import ase.io

    if keys is not None:
        structures = [labels_under_keys(atoms, keys) for atoms in structures]
    with atomic_path(path) as staged:
        ase.io.write(staged, list(structures), format="extxyz")
    return Path(path)
