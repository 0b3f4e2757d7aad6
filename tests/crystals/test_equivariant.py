import torch
from e3nn import o3

from sciml.crystals.equivariant import EquivariantNetwork, hidden_irreps
from sciml.crystals.graphs import atoms_to_graph, edge_vectors


def test_hidden_irreps_have_natural_parity():
    assert hidden_irreps(4, 2) == o3.Irreps("4x0e + 4x1o + 4x2e")


def _per_atom_energies(trimer, num_layers: int) -> list[torch.Tensor]:
    """Per-atom outputs (3,) of a seeded float64 network for the trimer bent at 100 and at 180 degrees."""
    torch.manual_seed(0)
    network = EquivariantNetwork(1, 2.5, l_max=1, channels=4, num_layers=num_layers, num_basis=8, radial_hidden=8).double()
    outputs = []
    for angle in (100.0, 180.0):
        graph = atoms_to_graph(trimer(angle), 2.5, torch.float64)
        batch = torch.zeros(3, dtype=torch.long)
        vectors = edge_vectors(graph.pos, graph.cell, graph.edge_index, graph.cell_shift, batch)
        outputs.append(network(torch.zeros(3, dtype=torch.long), graph.edge_index, vectors))
    return outputs


def test_two_layers_see_bond_angles_and_outputs_are_per_atom(trimer):
    outputs = _per_atom_energies(trimer, num_layers=2)
    assert outputs[0].shape == (3,)
    # The angle reaches the outer atoms in layer 2 (the centre's l=1 feature dotted with their bond direction).
    assert abs(float(outputs[0].sum() - outputs[1].sum())) > 1e-8


def test_one_layer_sees_the_bond_angle_at_the_centre_atom(trimer):
    """The aggregated x aggregated -> 0e product gives the centre atom (index 0 of the trimer
    fixture, bonded to both others) the angle between its two bonds already in layer 1."""
    bent, straight = _per_atom_energies(trimer, num_layers=1)
    assert abs(float(bent[0] - straight[0])) > 1e-8
