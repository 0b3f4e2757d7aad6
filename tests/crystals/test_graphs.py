import itertools

import numpy as np
import pytest
import torch
from ase import Atoms
from ase.build import bulk

from sciml.crystals.graphs import atoms_to_graph, collate, edge_vectors, periodic_neighbors


def brute_force_pairs(atoms: Atoms, cutoff: float, reach: int = 4) -> set[tuple[int, int, tuple[int, ...]]]:
    """Every (i, j, S) within the cutoff by looping over images (only periodic directions)."""
    ranges = [range(-reach, reach + 1) if p else range(1) for p in atoms.pbc]
    pairs = set()
    for shift in itertools.product(*ranges):
        offset = np.array(shift) @ atoms.cell.array
        for i in range(len(atoms)):
            for j in range(len(atoms)):
                if i == j and not any(shift):
                    continue
                if np.linalg.norm(atoms.positions[j] - atoms.positions[i] + offset) < cutoff:
                    pairs.add((i, j, shift))
    return pairs


@pytest.mark.parametrize(
    "atoms",
    [
        bulk("Cu", "fcc", a=3.6),  # 1 atom, non-orthogonal cell much smaller than the cutoff
        bulk("Si", "diamond", a=5.43),
        Atoms("Al3", positions=[[0, 0, 0], [1.4, 1.1, 0.3], [0.2, 1.9, 2.2]],
              cell=[[2.9, 0, 0], [1.2, 3.1, 0], [0.5, 0.4, 6.0]], pbc=[True, True, False]),  # slab
        Atoms("Al3", positions=[[0, 0, -1.5], [1.4, 1.1, 0.3], [0.2, 1.9, 7.2]],
              cell=[[2.9, 0, 0], [1.2, 3.1, 0], [0.5, 0.4, 6.0]], pbc=[True, True, False]),  # atoms outside
        Atoms("Ni2", positions=[[0, 0, 0], [0, 0, 2.2]], cell=[0, 0, 2.5], pbc=[False, False, True]),  # wire
    ],
)
def test_neighbors_match_brute_force_images(atoms):
    cutoff = 4.5
    i, j, shifts = periodic_neighbors(atoms, cutoff)
    found = {(int(a), int(b), tuple(int(s) for s in S)) for a, b, S in zip(i, j, shifts, strict=True)}
    assert found == brute_force_pairs(atoms, cutoff)


def test_edge_vectors_and_batching():
    a = bulk("Cu", "fcc", a=3.6)
    b = bulk("Si", "diamond", a=5.43)
    graphs = [atoms_to_graph(x, 3.0, torch.float64) for x in (a, b)]
    batch = collate(graphs)
    vectors = edge_vectors(batch.pos, batch.cell, batch.edge_index, batch.cell_shift, batch.batch)
    lengths = vectors.norm(dim=1)
    assert (lengths < 3.0).all()
    assert graphs[0].edge_index.shape[1] == 12  # fcc: 12 nearest neighbours, all images of one atom
    torch.testing.assert_close(lengths[:12], torch.full((12,), 3.6 / np.sqrt(2), dtype=torch.float64))
    assert graphs[1].edge_index.shape[1] == 8  # diamond: 4 per atom
    torch.testing.assert_close(lengths[12:], torch.full((8,), 5.43 * np.sqrt(3) / 4, dtype=torch.float64))
    assert batch.cell.shape == (2, 3, 3) and batch.num_graphs == 2


def test_labels_are_carried(cu_alloy):
    graph = atoms_to_graph(cu_alloy, 4.0)
    assert graph.energy.item() == pytest.approx(cu_alloy.get_potential_energy(), rel=1e-6)
    assert graph.forces.shape == (8, 3)
