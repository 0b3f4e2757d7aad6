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
