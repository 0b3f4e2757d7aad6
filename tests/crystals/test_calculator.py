import numpy as np
import pytest
import torch
from ase import Atoms
from ase.build import bulk
from ase.calculators.fd import calculate_numerical_stress

from sciml.crystals.calculator import Calculator
from sciml.crystals.models import build_potential, save_potential
from sciml.crystals.settings import EquivariantSettings, InvariantSettings
from sciml.errors import InputError


def _model_folder(tmp_path, model: str, elements=("Cu", "Au")) -> str:
    """A model folder of random (not trained) weights: these tests check derivatives, not accuracy."""
    torch.manual_seed(0)
    network = (InvariantSettings(hidden=8, num_interactions=2, num_basis=4, l_max=2, angular_channels=2)
               if model == "invariant" else EquivariantSettings(l_max=1, channels=4, num_layers=2, num_basis=4,
                                                                radial_hidden=8))
    potential = build_potential(model, list(elements), [-3.0, -2.0][: len(elements)], 0.5, 4.0, 12.0, network)
    with torch.no_grad():
        for parameter in potential.parameters():
            parameter.add_(0.3 * torch.randn_like(parameter))
    folder = tmp_path / model
    save_potential(folder, potential, model, network, 12.0)
    return str(folder)


def _cells():
    rng = np.random.default_rng(3)
    small = bulk("Cu", "fcc", a=3.6)  # 1 atom, cell far smaller than the cutoff
    skewed = bulk("Cu", "fcc", a=3.7).repeat((2, 1, 1))
    skewed.set_cell(skewed.cell.array @ np.array([[1.0, 0.25, 0.1], [0.0, 0.95, 0.3], [0.0, 0.0, 1.05]]),
                    scale_atoms=True)
    skewed.symbols[1] = "Au"
    large = bulk("Cu", "fcc", a=3.65, cubic=True).repeat((3, 3, 3))  # 108 atoms
    large.symbols[::7] = "Au"
    for atoms in (skewed, large):
        atoms.positions += rng.normal(0, 0.08, atoms.positions.shape)
    return {"small": small, "skewed": skewed, "large": large}


@pytest.mark.parametrize("model", ["invariant", "equivariant"])
@pytest.mark.parametrize("cell", ["small", "skewed", "large"])
def test_forces_and_stress_are_finite_differences_of_the_energy(tmp_path, model, cell):
    atoms = _cells()[cell]
    calc = Calculator(_model_folder(tmp_path, model), device="cpu")
    atoms.calc = calc
    energy, forces, stress = atoms.get_potential_energy(), atoms.get_forces(), atoms.get_stress()
    assert np.abs(forces).max() > 1e-3 or cell == "small"  # a non-trivial potential
    assert calc.results["energies"].sum() == pytest.approx(energy, abs=1e-9)
    components = [(a, k) for a in range(min(len(atoms), 2)) for k in range(3)]
    step = 1e-4
    for a, k in components:
        shifted = [atoms.copy() for _ in range(2)]
        for sign, copy in zip((1, -1), shifted, strict=True):
            copy.positions[a, k] += sign * step
            copy.calc = calc
        fd = -(shifted[0].get_potential_energy() - shifted[1].get_potential_energy()) / (2 * step)
        assert forces[a, k] == pytest.approx(fd, abs=1e-6)
    np.testing.assert_allclose(stress, calculate_numerical_stress(atoms, eps=1e-5), atol=1e-7)


def test_refuses_unknown_elements_by_name_and_runs_md_and_optimisation(tmp_path):
    from ase.md.verlet import VelocityVerlet
    from ase.optimize import BFGS
    from ase.units import fs

    folder = _model_folder(tmp_path, "invariant")
    atoms = _cells()["skewed"]
    atoms.symbols[0] = "Fe"
    atoms.calc = Calculator(folder, device="cpu")
    with pytest.raises(InputError, match=r"\['Fe'\] not among the model's elements \['Au', 'Cu'\]|"
                                         r"\['Fe'\] not among the model's elements \['Cu', 'Au'\]") as info:
        atoms.get_potential_energy()
    assert folder in str(info.value)

    atoms = _cells()["skewed"]
    atoms.calc = Calculator(folder, device="cpu")
    before = atoms.get_potential_energy()
    BFGS(atoms, logfile=None).run(fmax=1e-3, steps=5)
    assert atoms.get_potential_energy() < before
    molecule = Atoms("CuAu", positions=[[0, 0, 0], [2.4, 0, 0]])  # no cell: energy and forces, no stress
    molecule.calc = Calculator(folder, device="cpu")
    VelocityVerlet(molecule, 1 * fs).run(3)
    assert np.isfinite(molecule.get_potential_energy())


def test_committee_gives_the_mean_and_the_spread_of_its_members(tmp_path):
    from sciml.crystals.calculator import save_committee

    first = _model_folder(tmp_path / "a", "invariant")
    from sciml.crystals.models import load_model

    second = _model_folder(tmp_path / "b", "invariant")  # the same weights as `first` until perturbed here

    member = load_model(second)
    with torch.no_grad():
        for parameter in member.parameters():
            parameter.add_(0.2 * torch.randn_like(parameter))
    save_potential(second, member, "invariant",
                   InvariantSettings(hidden=8, num_interactions=2, num_basis=4, l_max=2, angular_channels=2), 12.0)
    committee = save_committee(tmp_path / "committee", [first, second])
    atoms = _cells()["skewed"]
    energies, forces = [], []
    for folder in (first, second):
        atoms.calc = Calculator(folder, device="cpu")
        energies.append(atoms.get_potential_energy())
        forces.append(atoms.get_forces())
    atoms.calc = Calculator(committee, device="cpu")
    assert atoms.get_potential_energy() == pytest.approx(np.mean(energies))
    np.testing.assert_allclose(atoms.get_forces(), np.mean(forces, axis=0), atol=1e-10)
    assert atoms.calc.results["energy_std"] == pytest.approx(np.std(energies, ddof=1))
    assert atoms.calc.results["forces_std"].shape == (len(atoms),) and atoms.calc.results["forces_std"].max() > 0
    with pytest.raises(InputError, match="at least two members"):
        save_committee(tmp_path / "lonely", [first])
    other = _model_folder(tmp_path / "c", "invariant", elements=("Cu", "Ni"))
    with pytest.raises(InputError, match="unlike"):
        save_committee(tmp_path / "mixed", [first, other])
    assert not (tmp_path / "mixed").exists()


def test_committee_spread_ranks_errors_against_one_members_labels(tmp_path):
    """Labelled by member 0, the committee mean errs by half the members' difference, which is
    proportional to their spread: the rank correlations are 1 (up to the rounding of the labels in
    the extxyz file, which reorders a few near-equal small force errors)."""
    import json

    from ase.calculators.singlepoint import SinglePointCalculator

    from sciml.cli import main
    from sciml.crystals.io import write_structures
    from sciml.crystals.models import load_model

    first = _model_folder(tmp_path / "a", "invariant")
    second = _model_folder(tmp_path / "b", "invariant")
    member = load_model(second)
    with torch.no_grad():
        for parameter in member.parameters():
            parameter.add_(0.2 * torch.randn_like(parameter))
    save_potential(second, member, "invariant",
                   InvariantSettings(hidden=8, num_interactions=2, num_basis=4, l_max=2, angular_channels=2), 12.0)
    rng = np.random.default_rng(0)
    labelled = []
    for k in range(6):
        atoms = bulk("Cu", "fcc", a=3.6 + 0.05 * k).repeat((2, 1, 1))
        atoms.symbols[0] = "Au"
        atoms.positions += rng.normal(0, 0.1, atoms.positions.shape)
        atoms.calc = Calculator(first, device="cpu")
        atoms.calc = SinglePointCalculator(atoms, energy=atoms.get_potential_energy(), forces=atoms.get_forces())
        labelled.append(atoms)
    write_structures(tmp_path / "val.extxyz", labelled)
    assert main(["crystals", "committee", "--members", first, second, "--out", str(tmp_path / "committee"),
                 "--structures", str(tmp_path / "val.extxyz"), "--summary", str(tmp_path / "u.json"),
                 "--plot", str(tmp_path / "u.png"), "--device", "cpu"]) == 0
    assert (tmp_path / "u.png").read_bytes()[:4] == b"\x89PNG"
    ranking = json.loads((tmp_path / "u.json").read_text())
    assert ranking["energy_spearman"] == pytest.approx(1.0) and ranking["force_spearman"] > 0.98
    assert ranking["structure_force_spearman"] > 0.9 and ranking["n_members"] == 2
    assert ranking["n_structures"] == 6 and ranking["mean_forces_std_mev_per_A"] > 0
    # the mean errs by half the members' difference; the spread is that difference / sqrt(2) per component
    assert 0 < ranking["committee_force_mae_mev_per_A"] < ranking["mean_forces_std_mev_per_A"]


def test_committee_summary_or_plot_needs_labelled_structures(tmp_path):
    from sciml.crystals.pipeline import committee_file

    first = _model_folder(tmp_path / "a", "invariant")
    second = _model_folder(tmp_path / "b", "invariant")
    with pytest.raises(InputError, match="needs labelled --structures"):
        committee_file([first, second], tmp_path / "committee", plot=tmp_path / "spread.png")
    assert not (tmp_path / "committee").exists() and not (tmp_path / "spread.png").exists()
    assert committee_file([first, second], tmp_path / "committee") == {}
    assert (tmp_path / "committee" / "committee.json").is_file()
