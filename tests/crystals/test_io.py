from pathlib import Path

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk

from sciml.crystals.io import forces_of, read_structures, write_structures
from sciml.errors import InputError


def test_extxyz_round_trip_keeps_labels(tmp_path, cu_alloy):
    path = write_structures(tmp_path / "s.extxyz", [cu_alloy, cu_alloy])
    back = read_structures(path, require_labels=True)
    assert len(back) == 2
    assert back[1].get_potential_energy() == pytest.approx(cu_alloy.get_potential_energy())
    np.testing.assert_allclose(forces_of(back[0]), cu_alloy.get_forces(), atol=1e-7)


def test_cif_is_read(tmp_path):
    import ase.io

    ase.io.write(tmp_path / "si.cif", bulk("Si", "diamond", a=5.43, cubic=True))
    (atoms,) = read_structures(tmp_path / "si.cif")
    assert len(atoms) == 8


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (Atoms("Cu2", positions=[[0, 0, 0], [0.3, 0, 0]], cell=[5, 5, 5], pbc=True), "overlap"),
        (Atoms("Cu2", positions=[[0, 0, 0], [2.0, 0, 0]], pbc=True), "without a cell"),
        (Atoms(cell=[4, 4, 4], pbc=True), "empty structure"),
    ],
)
def test_bad_structures_name_file_and_index(tmp_path, bad, problem):
    import ase.io

    good = bulk("Cu", "fcc", a=3.6)
    path = tmp_path / "in.extxyz"
    ase.io.write(path, [good, bad], format="extxyz")
    with pytest.raises(InputError, match=problem) as info:
        read_structures(path)
    assert str(path) in str(info.value) and "[1]" in str(info.value)


def test_unknown_element_and_missing_labels(tmp_path):
    path = write_structures(tmp_path / "fe.extxyz", [bulk("Fe", "bcc", a=2.87)])
    with pytest.raises(InputError, match=r"\[0\].*Fe"):
        read_structures(path, elements=["Cu", "Au"])
    with pytest.raises(InputError, match="no reference energy"):
        read_structures(path, require_labels=True)


def test_unreadable_or_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_structures(tmp_path / "nope.extxyz")
    junk = tmp_path / "junk.extxyz"
    junk.write_text("this is not\nan xyz file\n")
    with pytest.raises(InputError, match="cannot read"):
        read_structures(junk)


def _strained_copper(strain: float) -> Atoms:
    """A rattled, sheared and `strain`-scaled copper cell with its EMT stress (eV/A^3, ASE's convention)."""
    from ase.calculators.emt import EMT

    atoms = bulk("Cu", "fcc", a=3.61, cubic=True)
    deformation = np.eye(3) + np.array([[strain, 0.01, 0.0], [0.01, 0.5 * strain, 0.02], [0.0, 0.02, -0.3 * strain]])
    atoms.set_cell(atoms.cell.array @ deformation, scale_atoms=True)
    atoms.positions += np.random.default_rng(0).normal(0, 0.05, atoms.positions.shape)
    atoms.calc = EMT()
    return atoms


def _mlearn_item(atoms: Atoms, virial_stress, group: str = "Elastic") -> dict:
    return {
        "structure": {"lattice": {"matrix": atoms.cell.array.tolist()},
                      "sites": [{"species": [{"element": s, "occu": 1}], "xyz": p.tolist()}
                                for s, p in zip(atoms.get_chemical_symbols(), atoms.positions, strict=True)]},
        "outputs": {"energy": atoms.get_potential_energy(), "forces": atoms.get_forces().tolist(),
                    "virial_stress": list(virial_stress)},
        "group": group,
    }


@pytest.mark.parametrize("strain", [-0.03, 0.03])
def test_stress_conventions_of_vasp_json_and_libatoms_virial(tmp_path, strain):
    """An EMT stress written as VASP kBar (compressive positive, xx yy zz xy yz zx), as a libAtoms virial
    (-stress x V, eV) and as a GPa stress under a custom key reads back as ASE's stress."""
    import json

    import ase.io
    from ase import units

    from sciml.crystals.io import stress_of
    from sciml.crystals.settings import LabelKeys

    atoms = _strained_copper(strain)
    stress = atoms.get_stress()  # Voigt xx yy zz yz xz xy, eV/A^3, tensile positive
    xx, yy, zz, yz, xz, xy = stress
    kbar = -np.array([xx, yy, zz, xy, yz, xz]) / (units.GPa / 10)  # what VASP's OUTCAR would print
    assert np.sign(kbar[0]) == (1 if strain < 0 else -1)  # compressed cell: VASP's pressure is positive
    json_path = tmp_path / "mlearn.json"
    json_path.write_text(json.dumps([_mlearn_item(atoms, kbar)]))
    (from_json,) = read_structures(json_path, require_labels=True)
    np.testing.assert_allclose(from_json.get_stress(), stress, atol=1e-9)
    assert from_json.info["config_type"] == "Elastic"

    plain = Atoms(atoms.get_chemical_symbols(), positions=atoms.positions, cell=atoms.cell, pbc=True)
    plain.info.update(dft_energy=atoms.get_potential_energy(), config_type="strained",
                      virial=(-atoms.get_stress(voigt=False) * atoms.get_volume()).ravel())
    plain.arrays["force"] = atoms.get_forces()
    ase.io.write(tmp_path / "virial.xyz", plain, format="extxyz")
    (from_virial,) = read_structures(tmp_path / "virial.xyz", require_labels=True,
                                     keys=LabelKeys(energy="dft_energy", forces="force"))
    np.testing.assert_allclose(stress_of(from_virial), atoms.get_stress(voigt=False), atol=1e-9)
    assert from_virial.get_potential_energy() == pytest.approx(atoms.get_potential_energy())
    assert from_virial.info["config_type"] == "strained"

    del plain.info["virial"]
    plain.info["dft_stress"] = stress / units.GPa
    ase.io.write(tmp_path / "gpa.xyz", plain, format="extxyz")
    (from_gpa,) = read_structures(tmp_path / "gpa.xyz", require_labels=True,
                                  keys=LabelKeys(energy="dft_energy", forces="force", stress="dft_stress",
                                                 stress_unit="GPa"))
    np.testing.assert_allclose(from_gpa.get_stress(), stress, atol=1e-9)


def test_write_under_other_keys_round_trips(tmp_path):
    """Labels written under MACE's keys (stress in GPa) are plain info/arrays entries of the file and read
    back, with the group, as the same energy, forces and stress."""
    import ase.io
    from ase import units
    from ase.calculators.singlepoint import SinglePointCalculator

    from sciml.crystals.io import stress_of
    from sciml.crystals.settings import LabelKeys

    source = _strained_copper(0.03)
    atoms = source.copy()
    atoms.calc = SinglePointCalculator(atoms, energy=source.get_potential_energy(), forces=source.get_forces(),
                                       stress=source.get_stress())
    atoms.info["config_type"] = "Elastic"
    keys = LabelKeys(energy="REF_energy", forces="REF_forces", stress="REF_stress", stress_unit="GPa")
    path = write_structures(tmp_path / "mace.extxyz", [atoms, atoms], keys=keys)

    raw = ase.io.read(path, index=1)
    assert raw.calc is None or not raw.calc.results
    assert raw.info["REF_energy"] == pytest.approx(source.get_potential_energy())
    np.testing.assert_allclose(raw.arrays["REF_forces"], source.get_forces(), atol=1e-7)
    np.testing.assert_allclose(raw.info["REF_stress"], source.get_stress() / units.GPa, atol=1e-7)
    assert raw.info["config_type"] == "Elastic"

    back = read_structures(path, require_labels=True, keys=keys)
    assert len(back) == 2
    assert back[1].get_potential_energy() == pytest.approx(source.get_potential_energy())
    np.testing.assert_allclose(forces_of(back[1]), source.get_forces(), atol=1e-7)
    np.testing.assert_allclose(stress_of(back[1]), source.get_stress(voigt=False), atol=1e-9)
    assert back[1].info["config_type"] == "Elastic"
    assert atoms.calc is not None and "REF_energy" not in atoms.info  # the input is left as it was


def test_zuo2020_files_read_with_groups():
    import os

    from sciml.crystals.io import config_type_of
    from sciml.crystals.settings import LabelKeys

    mirror = os.environ.get("SCIML_DATA_MIRROR")
    folder = Path(mirror or "/nonexistent") / "zuo2020-mlip"
    if not folder.is_dir():
        pytest.skip("no data mirror")
    si = read_structures(folder / "Si_training.json", require_labels=True)
    assert len(si) == 214 and {config_type_of(a) for a in si} == {"AIMD-NVT", "Elastic", "Surface", "Vacancy"}
    tial = read_structures(folder / "TiAl_tutorial.xyz", require_labels=True, keys=LabelKeys(forces="force"))
    assert len(tial) == 329 and all(a.calc.results["stress"].shape == (6,) for a in tial)


def _write_json(tmp_path, items) -> Path:
    import json

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(items))
    return path


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda item: item["outputs"]["forces"].pop(), "forces of shape"),
        (lambda item: item["outputs"].update(virial_stress=[1.0, 2.0, 3.0]), "virial_stress must hold 6"),
        (lambda item: item["outputs"].update(virial_stress=[1e5] * 6), "unit"),
        (lambda item: item["outputs"].pop("energy"), "malformed mlearn item"),
        (lambda item: item["structure"]["sites"][1].update(xyz=item["structure"]["sites"][0]["xyz"]), "overlap"),
        (lambda item: item["structure"]["lattice"].update(matrix=[[0, 0, 0]] * 3), "without a cell"),
        (lambda item: item["structure"].update(sites=[]), "forces of shape|empty"),
        (lambda item: item["structure"]["sites"][0]["species"][0].update(element="Qq"), "unknown element"),
    ],
)
def test_bad_mlearn_json_names_file_index_and_problem(tmp_path, mutate, problem):
    atoms = _strained_copper(0.0)
    items = [_mlearn_item(atoms, np.zeros(6)), _mlearn_item(atoms, np.zeros(6))]
    mutate(items[1])
    path = _write_json(tmp_path, items)
    with pytest.raises(InputError, match=problem) as info:
        read_structures(path, require_labels=True)
    assert str(path) in str(info.value) and "[1]" in str(info.value)


def test_bad_extxyz_keys_name_the_key(tmp_path):
    import ase.io

    from sciml.crystals.settings import LabelKeys

    atoms = _strained_copper(0.01)
    plain = Atoms(atoms.get_chemical_symbols(), positions=atoms.positions, cell=atoms.cell, pbc=True)
    plain.info["energy"] = atoms.get_potential_energy()
    plain.arrays["force"] = atoms.get_forces()
    plain.info["dft_stress"] = np.ones(4)
    path = tmp_path / "in.xyz"
    ase.io.write(path, [plain], format="extxyz")
    with pytest.raises(InputError, match=r"\[0\].*'dft_stress' must hold 6 .* or 9 values"):
        read_structures(path, keys=LabelKeys(forces="force", stress="dft_stress"))
    del plain.info["dft_stress"]
    ase.io.write(path, [plain], format="extxyz")
    with pytest.raises(InputError, match=r"no \['forces'\].*force"):
        read_structures(path, require_labels=True)
    assert len(read_structures(path, require_labels=True, keys=LabelKeys(forces="force"))) == 1
