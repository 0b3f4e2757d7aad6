import torch
from ase import Atoms

from sciml.crystals.graphs import atoms_to_graph, edge_vectors
from sciml.crystals.invariant import InvariantNetwork


def centre_output(network: InvariantNetwork, atoms: Atoms) -> float:
    graph = atoms_to_graph(atoms, 2.5, torch.float64)
    vectors = edge_vectors(graph.pos, graph.cell, graph.edge_index, graph.cell_shift, torch.zeros(3, dtype=torch.long))
    return float(network(torch.zeros(3, dtype=torch.long), graph.edge_index, vectors)[0])


def test_bond_angles_enter_only_with_the_angular_term(trimer):
    torch.manual_seed(0)
    distances_only = InvariantNetwork(1, 2.5, hidden=8, num_interactions=1, l_max=0).double()
    with_angles = InvariantNetwork(1, 2.5, hidden=8, num_interactions=1, l_max=2, angular_channels=4).double()
    bent, linear = trimer(100.0), trimer(180.0)
    assert abs(centre_output(distances_only, bent) - centre_output(distances_only, linear)) < 1e-12
    assert abs(centre_output(with_angles, bent) - centre_output(with_angles, linear)) > 1e-6
