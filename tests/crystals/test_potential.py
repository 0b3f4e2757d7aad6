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
