"""An interatomic potential: per-element reference energies + a learned per-atom network.

E = sum_i (e_ref[Z_i] + scale * phi_i), forces F = -dE/dr by autograd through the edge vectors
(which the potential rebuilds from `pos` in every forward pass), so forces are exactly the
gradient of the energy and inherit its rotation/translation/permutation invariance. On request
the stress sigma = (1/V) dE/d(epsilon) comes the same way, from a symmetric strain epsilon applied
to positions and cell (r -> r (1 + epsilon), ASE's sign convention: positive = tensile).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

import torch
from ase.data import atomic_numbers
from torch import nn
from torch_geometric.data import Batch, Data

from sciml.crystals.graphs import edge_vectors


class AtomicNetwork(Protocol):
    """A network mapping a graph to per-atom outputs phi_i."""

    def __call__(self, species: torch.Tensor, edge_index: torch.Tensor, vectors: torch.Tensor) -> torch.Tensor:
        """Per-atom outputs.

        Shapes:
            species: (N,) int64 in [0, n_elements); edge_index: (2, E) [j, i]; vectors: (E, 3) -> (N,).
        """
        ...


class Prediction(NamedTuple):
    """Potential output: `energy` (B,) eV per structure, `forces` (N, 3) eV/A, `stress` (B, 3, 3) eV/A^3
    or None, `energies` (N,) eV per atom (their sum per structure is `energy`) or None."""

    energy: torch.Tensor
    forces: torch.Tensor
    stress: torch.Tensor | None = None
    energies: torch.Tensor | None = None


class Potential(nn.Module):
    """Energy and forces of batched periodic graphs (see `sciml.crystals.graphs.atoms_to_graph`).

    Args:
        network: per-atom network (invariant or equivariant).
        elements: chemical symbols, index k is species k of the network.
        reference_energies: eV per atom of each element (least-squares fit), one per element.
        energy_scale: eV; multiplies the network output (keeps it O(1)).
        cutoff: radial cutoff (A) the graphs must be built with.

    Shapes:
        reference_energies: (n_elements,).
    """

    def __init__(self, network: nn.Module, elements: Sequence[str], reference_energies: Sequence[float],
                 energy_scale: float, cutoff: float) -> None:
        super().__init__()
        self.network = network
        self.cutoff = float(cutoff)
        self.elements = list(elements)
        table = torch.full((119,), -1, dtype=torch.long)
        for k, symbol in enumerate(self.elements):
            table[atomic_numbers[symbol]] = k
        self.register_buffer("species_of_z", table)
        self.register_buffer("reference_energies", torch.tensor(list(reference_energies), dtype=torch.float32))
        self.register_buffer("energy_scale", torch.tensor(float(energy_scale)))

    def forward(self, data: Batch | Data, stress: bool = False, per_atom: bool = False) -> Prediction:
        """Energies, forces and (on request) stresses of a graph or a batch of graphs.

        Args:
            data: a PyG `Data`/`Batch` with z, pos, cell, edge_index, cell_shift (and batch).
            stress: also return the stress (needs a full 3D cell: it divides by the cell volume).
            per_atom: also return the per-atom energies e_ref[Z_i] + scale * phi_i.

        Returns:
            energy (B,) eV, forces (N, 3) eV/A, stress (B, 3, 3) eV/A^3 or None, energies (N,) eV or None.
        """
        batch = data.batch if getattr(data, "batch", None) is not None else torch.zeros_like(data.z)
        num_graphs = int(data.num_graphs) if hasattr(data, "num_graphs") else 1
        species = self.species_of_z[data.z]
        with torch.enable_grad():  # forces need the graph even under no_grad (validation)
            pos = data.pos.detach().requires_grad_(True)
            strained_pos, cell, inputs = pos, data.cell, [pos]
            if stress:
                strain = torch.zeros(num_graphs, 3, 3, dtype=pos.dtype, device=pos.device, requires_grad=True)
                symmetric = 0.5 * (strain + strain.transpose(1, 2))
                strained_pos = pos + torch.einsum("ni,nij->nj", pos, symmetric[batch])
                cell = cell + torch.bmm(cell, symmetric)
                inputs.append(strain)
            vectors = edge_vectors(strained_pos, cell, data.edge_index, data.cell_shift, batch)
            atom_energy = self.reference_energies[species] + self.energy_scale * self.network(
                species, data.edge_index, vectors
            )
            energy = torch.zeros(num_graphs, dtype=atom_energy.dtype, device=atom_energy.device).index_add(
                0, batch, atom_energy
            )
            grads = torch.autograd.grad(energy.sum(), inputs, create_graph=self.training)
        forces = -grads[0]
        sigma = grads[1] / torch.linalg.det(data.cell).abs().view(-1, 1, 1) if stress else None
        energies = None if not per_atom else atom_energy if self.training else atom_energy.detach()
        if not self.training:
            return Prediction(energy.detach(), forces.detach(), None if sigma is None else sigma.detach(), energies)
        return Prediction(energy, forces, sigma, energies)
