import numpy as np
from ase import Atoms
from ase.calculators.singlepoint import SinglePointCalculator

from sciml.crystals.references import composition_matrix, fit_reference_energies


def test_reference_energies_recover_linear_energies():
    truth = {"Cu": -3.5, "Au": -3.0, "Ni": -4.4}
    rng = np.random.default_rng(0)
    structures = []
    for _ in range(12):
        symbols = list(rng.choice(list(truth), size=int(rng.integers(1, 9))))
        atoms = Atoms(symbols, positions=np.arange(3 * len(symbols)).reshape(-1, 3) * 2.0)
        atoms.calc = SinglePointCalculator(atoms, energy=sum(truth[s] for s in symbols))
        structures.append(atoms)
    elements = ["Au", "Cu", "Ni"]
    fitted = fit_reference_energies(structures, elements)
    np.testing.assert_allclose(fitted, [truth[e] for e in elements], atol=1e-10)
    assert composition_matrix(structures, elements).sum() == sum(len(a) for a in structures)
