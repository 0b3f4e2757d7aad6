import pytest
import torch

from sciml.crystals.graphs import atoms_to_graph, collate
from sciml.crystals.models import build_potential


def test_energy_is_reference_sum_when_the_network_is_silent(cu_alloy, si_diamond):
    potential = build_potential("invariant", ["Au", "Cu", "Si"], [-3.0, -3.5, -4.3], 0.5, 4.0, 20.0,
                                {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2}).eval()
    with torch.no_grad():
        potential.energy_scale.zero_()
    batch = collate([atoms_to_graph(cu_alloy, 4.0, labels=False), atoms_to_graph(si_diamond, 4.0, labels=False)])
    out = potential(batch)
    assert out.energy.tolist() == pytest.approx([2 * -3.0 + 6 * -3.5, 2 * -4.3])
    assert out.forces.shape == (10, 3) and float(out.forces.abs().max()) == 0.0


def test_single_graph_and_training_mode_keep_force_graph(si_diamond):
    torch.manual_seed(0)
    potential = build_potential("invariant", ["Si"], [-4.3], 0.5, 4.0, 20.0,
                                {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2})
    graph = atoms_to_graph(si_diamond, 4.0, labels=False)
    potential.train()
    out = potential(graph)
    out.forces.pow(2).sum().backward()  # force loss reaches the weights (double backward)
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in potential.parameters())
    potential.eval()
    assert not potential(graph).forces.requires_grad


@pytest.mark.parametrize("kind", ["invariant", "equivariant"])
def test_stress_is_the_strain_derivative_of_the_energy_over_the_volume(kind, cu_alloy):
    """sigma = (1/V) dE/d(epsilon) (ASE's convention) against central differences, float64."""
    import numpy as np

    torch.manual_seed(0)
    hyper = ({"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2} if kind == "invariant"
             else {"l_max": 1, "channels": 4, "num_layers": 1, "radial_hidden": 8})
    potential = build_potential(kind, ["Au", "Cu"], [-3.0, -3.5], 0.5, 4.0, 20.0, hyper).double().eval()
    stress = potential(atoms_to_graph(cu_alloy, 4.0, torch.float64), stress=True).stress[0].numpy()

    def energy(strain):
        strained = cu_alloy.copy()
        strained.set_cell(cu_alloy.cell.array @ (np.eye(3) + strain), scale_atoms=True)
        return float(potential(atoms_to_graph(strained, 4.0, torch.float64)).energy[0])

    h, volume = 1e-5, cu_alloy.get_volume()
    for a, b in [(0, 0), (1, 1), (0, 1), (1, 2)]:
        strain = np.zeros((3, 3))
        strain[a, b] = strain[b, a] = h
        numeric = (energy(strain) - energy(-strain)) / (2 * h) / volume / (1 if a == b else 2)
        assert stress[a, b] == pytest.approx(numeric, rel=1e-6, abs=1e-10)
    np.testing.assert_allclose(stress, stress.T, atol=1e-14)


def test_stress_keeps_the_graph_in_training_mode(cu_alloy):
    torch.manual_seed(0)
    potential = build_potential("invariant", ["Au", "Cu"], [-3.0, -3.5], 0.5, 4.0, 20.0,
                                {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2}).train()
    out = potential(atoms_to_graph(cu_alloy, 4.0), stress=True)
    out.stress.pow(2).sum().backward()  # a stress loss reaches the weights
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in potential.parameters())
    assert potential(atoms_to_graph(cu_alloy, 4.0)).stress is None
