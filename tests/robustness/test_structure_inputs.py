"""Bad-input suite for the structure reader (crystals ingestion): extxyz and CIF.

Arbitrary bytes, corrupted lines of a valid file, and generated geometries (random positions, cells,
periodicity, elements) go through `read_structures`; it must accept the file or raise `InputError`
naming it, and every structure it accepts must pass the physical checks (no overlap, a cell when periodic).
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from ase.build import bulk
from ase.calculators.singlepoint import SinglePointCalculator
from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named, files_in

from sciml.crystals.io import MIN_DISTANCE, read_structures, write_structures

CIF = """data_Cu
_cell_length_a 3.61
_cell_length_b 3.61
_cell_length_c 3.61
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'P 1'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Cu1 Cu 0.0 0.0 0.0
Cu2 Cu 0.5 0.5 0.0
Cu3 Cu 0.5 0.0 0.5
Cu4 Cu 0.0 0.5 0.5
"""


def _labelled(atoms: Atoms) -> Atoms:
    atoms.calc = SinglePointCalculator(atoms, energy=-1.0 * len(atoms), forces=np.zeros((len(atoms), 3)))
    return atoms


def _valid_extxyz(folder) -> str:
    path = folder / "valid.extxyz"
    write_structures(path, [_labelled(bulk("Cu", "fcc", a=3.61, cubic=True)), _labelled(bulk("Ni", "fcc", a=3.52))])
    return path.read_text()


def _check_accepted(structures: list[Atoms]) -> None:
    from ase.neighborlist import neighbor_list

    for atoms in structures:
        assert len(atoms) > 0
        assert len(neighbor_list("i", atoms, MIN_DISTANCE)) == 0 if atoms.pbc.any() or len(atoms) > 1 else True


@READER_SETTINGS
@given(content=st.binary(max_size=300), suffix=st.sampled_from([".extxyz", ".cif", ".xyz"]))
def test_arbitrary_bytes(tmp_path_factory, content, suffix):
    folder = tmp_path_factory.mktemp("structures")
    path = folder / f"in{suffix}"
    path.write_bytes(content)
    found = accepted_or_named(lambda: read_structures(path), path)
    if found is not None:
        _check_accepted(found)
    assert files_in(folder) == {path.name}


@READER_SETTINGS
@given(data=st.data())
def test_corrupted_extxyz_line(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("extxyz")
    lines = _valid_extxyz(folder).splitlines()
    row = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["delete", "duplicate", "garble", "truncate"]))
    if action == "delete":
        del lines[row]
    elif action == "duplicate":
        lines.insert(row, lines[row])
    elif action == "garble":
        lines[row] = data.draw(st.text(max_size=40))
    else:
        lines = lines[:row]
    path = folder / "in.extxyz"
    path.write_text("\n".join(lines) + "\n")
    found = accepted_or_named(lambda: read_structures(path, require_labels=True), path)
    if found is not None:
        _check_accepted(found)


@READER_SETTINGS
@given(data=st.data())
def test_corrupted_cif_line(tmp_path_factory, data):
    lines = CIF.splitlines()
    row = data.draw(st.integers(0, len(lines) - 1))
    lines[row] = data.draw(st.sampled_from(["", "Cu5 Cu 0.0 0.0 0.01", "_cell_length_a 0", "_cell_length_a -3",
                                            "_cell_angle_gamma 0", "loop_", "Xx1 Xx 0.1 0.1 0.1", "garbage line"]))
    path = tmp_path_factory.mktemp("cif") / "in.cif"
    path.write_text("\n".join(lines) + "\n")
    found = accepted_or_named(lambda: read_structures(path), path)
    if found is not None:
        _check_accepted(found)


@READER_SETTINGS
@given(n_atoms=st.integers(0, 6), box=st.floats(0.0, 8.0), pbc=st.lists(st.booleans(), min_size=3, max_size=3),
       seed=st.integers(0, 2**16), element=st.sampled_from(["Cu", "Ni", "Si", "Au"]))
def test_generated_geometries(tmp_path_factory, n_atoms, box, pbc, seed, element):
    positions = np.random.default_rng(seed).uniform(0, max(box, 1e-3), size=(n_atoms, 3))
    atoms = Atoms([element] * n_atoms, positions=positions, cell=np.eye(3) * box, pbc=pbc)
    path = tmp_path_factory.mktemp("generated") / "in.extxyz"
    write_structures(path, [_labelled(atoms)])
    found = accepted_or_named(lambda: read_structures(path, elements=["Cu", "Ni"]), path)
    if found is not None:
        _check_accepted(found)
        assert set(found[0].get_chemical_symbols()) <= {"Cu", "Ni"}


def test_malformed_cif_row_is_an_error_not_a_warning(tmp_path):
    path = tmp_path / "in.cif"
    path.write_text(CIF.replace("Cu2 Cu 0.5 0.5 0.0", "Cu2 Cu 0.5 0.5"))
    found = accepted_or_named(lambda: read_structures(path), path)
    assert found is None


def _mlearn_json(folder) -> str:
    import json

    atoms = bulk("Si", "diamond", a=5.43, cubic=True)
    item = {"structure": {"lattice": {"matrix": atoms.cell.array.tolist()},
                          "sites": [{"species": [{"element": "Si", "occu": 1}], "xyz": p.tolist()}
                                    for p in atoms.positions]},
            "outputs": {"energy": -43.4, "forces": np.zeros((8, 3)).tolist(), "virial_stress": [1.0] * 6},
            "group": "Elastic"}
    return json.dumps([item, item], indent=1)


@READER_SETTINGS
@given(data=st.data())
def test_corrupted_mlearn_json(tmp_path_factory, data):
    """A line of a valid mlearn JSON file deleted, duplicated, garbled or cut off."""
    folder = tmp_path_factory.mktemp("mlearn")
    lines = _mlearn_json(folder).splitlines()
    row = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["delete", "duplicate", "garble", "truncate", "number"]))
    if action == "delete":
        del lines[row]
    elif action == "duplicate":
        lines.insert(row, lines[row])
    elif action == "garble":
        lines[row] = data.draw(st.text(max_size=40))
    elif action == "number":
        lines[row] = data.draw(st.sampled_from(["1e9,", "NaN,", "null,", "[],", "\"Si\",", "-0.0"]))
    else:
        lines = lines[:row]
    path = folder / "in.json"
    path.write_text("\n".join(lines) + "\n")
    found = accepted_or_named(lambda: read_structures(path, require_labels=True), path)
    if found is not None:
        _check_accepted(found)
        assert all(np.abs(a.get_stress()).max() < 5.0 for a in found)
    assert files_in(folder) == {path.name}


@READER_SETTINGS
@given(energy_key=st.sampled_from(["energy", "E", "dft_energy"]), forces_key=st.sampled_from(["forces", "force", "F"]),
       virial=st.lists(st.one_of(st.floats(-1e3, 1e3), st.just(float("nan"))), min_size=0, max_size=10),
       stress_unit=st.sampled_from(["eV/A^3", "GPa", "kBar"]))
def test_extxyz_label_keys(tmp_path_factory, energy_key, forces_key, virial, stress_unit):
    """Any choice of label keys and any virial: accepted with normalised labels, or an InputError."""
    import ase.io

    from sciml.crystals.settings import LabelKeys

    atoms = bulk("Cu", "fcc", a=3.61, cubic=True)
    atoms.info["dft_energy"] = -14.0
    atoms.arrays["force"] = np.zeros((4, 3))
    if virial:
        atoms.info["stress"] = np.asarray(virial)
    path = tmp_path_factory.mktemp("keys") / "in.xyz"
    try:
        ase.io.write(path, atoms, format="extxyz")
    except ValueError:  # ase refuses some info shapes itself; nothing to read then
        return
    keys = LabelKeys(energy=energy_key, forces=forces_key, stress_unit=stress_unit)
    found = accepted_or_named(lambda: read_structures(path, require_labels=True, keys=keys), path)
    if found is not None:
        assert found[0].get_forces().shape == (4, 3)
        if "stress" in found[0].calc.results:
            assert found[0].calc.results["stress"].shape == (6,)
