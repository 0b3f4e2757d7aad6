import numpy as np
import pytest
from ase.build import bulk

from sciml.crystals.synthetic import EMT_METALS, generate, label, stillinger_weber_calculator
from sciml.errors import ConfigError


def test_stillinger_weber_diamond_silicon_reference_energy():
    atoms = label(bulk("Si", "diamond", a=5.431), stillinger_weber_calculator())
    assert atoms.get_potential_energy() / len(atoms) == pytest.approx(-4.3366, abs=1e-4)
    assert np.abs(atoms.get_forces()).max() < 1e-8


def test_generation_is_seeded_and_labelled():
    first = generate("metals", 6, seed=3)
    again = generate("metals", 6, seed=3)
    other = generate("metals", 6, seed=4)
    for a, b in zip(first, again, strict=True):
        assert a.get_chemical_formula() == b.get_chemical_formula()
        np.testing.assert_array_equal(a.positions, b.positions)
        assert a.get_potential_energy() == b.get_potential_energy()
    assert any(not np.array_equal(a.positions, b.positions) or len(a) != len(b) for a, b in zip(first, other, strict=True))
    for atoms in first:
        assert 1 <= len(atoms) <= 64
        assert set(atoms.get_chemical_symbols()) <= set(EMT_METALS)
        assert atoms.get_forces().shape == (len(atoms), 3)
        assert atoms.pbc.all()


def test_silicon_family_has_its_phases_and_energies_above_diamond():
    structures = generate("silicon", 12, seed=0, max_atoms=16)
    energies = np.array([a.get_potential_energy() / len(a) for a in structures])
    assert {a.info["lattice"] for a in structures} <= {"diamond", "beta-tin", "sc", "bcc", "amorphous"}
    assert len({a.info["lattice"] for a in structures}) >= 3
    assert (energies > -4.3367).all()


def test_bad_generation_settings_are_config_errors():
    with pytest.raises(ConfigError, match="family"):
        generate("oxides", 3, seed=0)
    with pytest.raises(ConfigError, match="n_structures"):
        generate("metals", 0, seed=0)
