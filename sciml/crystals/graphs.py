"""Periodic radius graphs: neighbour lists with integer cell shifts, as torch-geometric `Data`.

PyG's `radius_graph` ignores periodic boundaries, so neighbours come from matscipy's
`neighbour_list` (ASE's `neighbor_list` for structures without a full cell), which handle non-orthogonal cells, cells smaller than the cutoff (one
neighbour seen through many images) and mixed periodicity. Edge vectors are not stored: models
recompute ``r_j - r_i + S @ cell`` from `pos` inside their forward pass so that forces
(-dE/dpos) flow through them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from ase import Atoms
from torch_geometric.data import Batch, Data

from sciml.crystals.io import energy_of, forces_of, stress_of


def periodic_neighbors(atoms: Atoms, cutoff: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All ordered pairs (i, j, S) with |r_j - r_i + S @ cell| < cutoff, i != j or S != 0.

    Args:
        atoms: the structure (any periodicity).
        cutoff: neighbour radius (A).

    Returns:
        Centre indices i, neighbour indices j and integer cell shifts S (zero along non-periodic
        directions).

    Shapes:
        i: (E,) int64; j: (E,) int64; S: (E, 3) int64.
    """
    if abs(np.linalg.det(atoms.cell.array)) > 1e-8:
        # matscipy's C neighbour list: ~25x faster than ASE's on 50-atom cells, same pairs and shifts
        from matscipy.neighbours import neighbour_list

        i, j, shifts = neighbour_list("ijS", atoms, float(cutoff))
    else:  # no full cell (molecules, wires): ASE builds a bounding box itself
        from ase.neighborlist import neighbor_list

        i, j, shifts = neighbor_list("ijS", atoms, float(cutoff), self_interaction=False)
    return i.astype(np.int64), j.astype(np.int64), shifts.astype(np.int64)


def atoms_to_graph(atoms: Atoms, cutoff: float, dtype: torch.dtype = torch.float32, labels: bool = True,
                   stress: bool = False) -> Data:
    """One structure as a torch-geometric graph.

    Args:
        atoms: the structure.
        cutoff: neighbour radius (A).
        dtype: floating dtype of positions, cell, shifts and labels.
        labels: attach the stored energy and forces (left out with False, e.g. to batch labelled
            with unlabelled structures).
        stress: also attach the stored stress (the structure must carry one).

    Shapes:
        z: (N,) atomic numbers; pos: (N, 3) A; cell: (1, 3, 3) A; edge_index: (2, E) with row 0 =
        neighbour j (source) and row 1 = centre i (target); cell_shift: (E, 3) integer shifts as
        `dtype`; n_atoms: (1,); energy: (1,) eV; forces: (N, 3) eV/A; stress: (1, 3, 3) eV/A^3.
    """
    i, j, shifts = periodic_neighbors(atoms, cutoff)
    data = Data(
        z=torch.as_tensor(atoms.numbers, dtype=torch.long),
        pos=torch.as_tensor(atoms.positions, dtype=dtype),
        cell=torch.as_tensor(atoms.cell.array, dtype=dtype).unsqueeze(0),
        edge_index=torch.as_tensor(np.stack([j, i]), dtype=torch.long),
        cell_shift=torch.as_tensor(shifts, dtype=dtype),
        n_atoms=torch.tensor([len(atoms)], dtype=torch.long),
    )
    energy, forces = energy_of(atoms), forces_of(atoms)
    if labels and energy is not None and forces is not None:
        data.energy = torch.tensor([energy], dtype=dtype)
        data.forces = torch.as_tensor(forces, dtype=dtype)
        if stress:
            data.stress = torch.as_tensor(stress_of(atoms), dtype=dtype).unsqueeze(0)
    return data


def edge_vectors(pos: torch.Tensor, cell: torch.Tensor, edge_index: torch.Tensor, cell_shift: torch.Tensor,
                 batch: torch.Tensor) -> torch.Tensor:
    """Edge vectors r_j - r_i + S @ cell, differentiable w.r.t. `pos` (and `cell`).

    Shapes:
        pos: (N, 3); cell: (B, 3, 3); edge_index: (2, E) [j, i]; cell_shift: (E, 3); batch: (N,)
        -> (E, 3).
    """
    j, i = edge_index
    shift = torch.einsum("ek,ekl->el", cell_shift, cell[batch[i]])
    return pos[j] - pos[i] + shift


def collate(graphs: Sequence[Data]) -> Batch:
    """Batch graphs (for `sciml.train.fit(collate_fn=...)`)."""
    return Batch.from_data_list(list(graphs))
