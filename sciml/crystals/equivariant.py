"""Rotation-equivariant message passing with e3nn (NequIP-style).

Node features are direct sums of irreps C x l^{(-1)^l}, l = 0..l_max. Each layer convolves them
with spherical harmonics of the edge directions through a tensor product whose path weights are
an MLP of the radial basis, aggregates over neighbours, adds a species-dependent
self-interaction and applies a gated nonlinearity (scalars: SiLU, l > 0: scaled by sigmoid
gates). The per-atom energy is the scalar (0e) part of a final linear map.

Two choices that make the small CPU-sized network train: the radial MLP sees the Bessel basis
times r_c (sqrt(2 r_c) sin(n pi r / r_c) / r, O(1) for neighbour distances instead of ~0.2), and
every layer adds the invariant products of the aggregated neighbourhood with itself
(aggregated x aggregated -> 0e, e.g. sum_{j,k} R(r_ij) R(r_ik) cos theta_jik for l = 1) to its
scalars, so bond angles at atom i reach the scalars in the first layer (MACE-style correlation
order 2) instead of only through the second layer's messages.
"""

from __future__ import annotations

import torch
from e3nn import o3
from e3nn.nn import FullyConnectedNet, Gate
from torch import nn

from sciml.crystals.basis import BesselBasis, polynomial_envelope


def hidden_irreps(channels: int, l_max: int) -> o3.Irreps:
    """C x 0e + C x 1o + C x 2e + ... up to l_max."""
    return o3.Irreps([(channels, (degree, (-1) ** degree)) for degree in range(l_max + 1)])


class EquivariantConvolution(nn.Module):
    """One NequIP interaction block.

    Args:
        irreps_in: node feature irreps before the block.
        irreps_out: node feature irreps after the block.
        irreps_sh: spherical-harmonic edge attributes.
        num_elements: species count (one-hot self-interaction).
        num_basis: radial basis size (input of the radial MLP).
        radial_hidden: width of the radial MLP.
        avg_num_neighbors: normalises the neighbour sum.
        radial_input_scale: multiplies the radial basis before the radial MLP (keeps its input O(1)).

    Shapes:
        h: (N, irreps_in.dim) -> (N, irreps_out.dim).
    """

    def __init__(self, irreps_in: o3.Irreps, irreps_out: o3.Irreps, irreps_sh: o3.Irreps, num_elements: int,
                 num_basis: int, radial_hidden: int, avg_num_neighbors: float,
                 radial_input_scale: float = 1.0) -> None:
        super().__init__()
        self.avg_num_neighbors = float(avg_num_neighbors)
        self.radial_input_scale = float(radial_input_scale)
        scalars = o3.Irreps([(mul, ir) for mul, ir in irreps_out if ir.l == 0])
        gated = o3.Irreps([(mul, ir) for mul, ir in irreps_out if ir.l > 0])
        gates = o3.Irreps(f"{gated.num_irreps}x0e") if gated.num_irreps else o3.Irreps("")
        self.gate = Gate(scalars, [torch.nn.functional.silu], gates, [torch.sigmoid] if gates else [], gated)
        irreps_gate_in = self.gate.irreps_in

        self.linear_in = o3.Linear(irreps_in, irreps_in)
        # Tensor-product paths 'uvu' from every input irrep and edge harmonic to every output
        # irrep the gate can take (same l, parity), with one weight per path and channel.
        wanted = {ir for _, ir in irreps_gate_in}
        irreps_mid, instructions = [], []
        for i1, (mul, ir_in) in enumerate(irreps_in):
            for i2, (_, ir_edge) in enumerate(irreps_sh):
                for ir_out in ir_in * ir_edge:
                    if ir_out in wanted:
                        instructions.append((i1, i2, len(irreps_mid), "uvu", True))
                        irreps_mid.append((mul, ir_out))
        irreps_mid = o3.Irreps(irreps_mid)
        irreps_sorted, permutation, _ = irreps_mid.sort()
        instructions = [(i1, i2, permutation[k], mode, w) for i1, i2, k, mode, w in instructions]
        self.tensor_product = o3.TensorProduct(irreps_in, irreps_sh, irreps_sorted, instructions,
                                               shared_weights=False, internal_weights=False)
        self.radial = FullyConnectedNet([num_basis, radial_hidden, radial_hidden, self.tensor_product.weight_numel],
                                        torch.nn.functional.silu)
        self.linear_out = o3.Linear(irreps_sorted.simplify(), irreps_gate_in)
        # invariant self-products of the aggregated neighbourhood (bond angles at the centre atom)
        self.n_scalars = scalars.dim
        self.angular = o3.FullyConnectedTensorProduct(irreps_sorted.simplify(), irreps_sorted.simplify(), scalars)
        self.self_interaction = o3.FullyConnectedTensorProduct(irreps_in, o3.Irreps(f"{num_elements}x0e"),
                                                               irreps_gate_in)
        self.residual = irreps_in == irreps_out

    def forward(self, h: torch.Tensor, species_onehot: torch.Tensor, edge_index: torch.Tensor,
                sh: torch.Tensor, rbf: torch.Tensor, envelope: torch.Tensor) -> torch.Tensor:
        """Convolve, aggregate, self-interact and gate; the envelope multiplies the radial weights so
        messages vanish smoothly at the cutoff.

        Shapes:
            h: (N, D_in); species_onehot: (N, n_elements); edge_index: (2, E) [j, i]; sh: (E, D_sh);
            rbf: (E, K); envelope: (E, 1) -> (N, D_out).
        """
        j, i = edge_index
        x = self.linear_in(h)
        messages = self.tensor_product(x[j], sh, self.radial(rbf * self.radial_input_scale) * envelope)
        aggregated = torch.zeros(h.shape[0], messages.shape[1], dtype=h.dtype, device=h.device)
        aggregated = aggregated.index_add(0, i, messages) / self.avg_num_neighbors
        pre = self.linear_out(aggregated) + self.self_interaction(h, species_onehot)
        pre = torch.cat([pre[:, : self.n_scalars] + self.angular(aggregated, aggregated), pre[:, self.n_scalars:]], dim=1)
        out = self.gate(pre)
        return h + out if self.residual else out


class EquivariantNetwork(nn.Module):
    """NequIP-style E(3)-equivariant network giving per-atom energies phi_i.

    The architecture settings and their defaults are `sciml.crystals.settings.EquivariantSettings`.

    Args:
        num_elements: number of species.
        cutoff: radial cutoff (A).
        l_max: highest degree of spherical harmonics and of hidden features.
        channels: multiplicity C of each hidden irrep.
        num_layers: interaction blocks.
        num_basis: radial basis size.
        radial_hidden: radial MLP width.
        avg_num_neighbors: normalises neighbour sums.

    Shapes:
        species: (N,) int64; edge_index: (2, E) [j, i]; vectors: (E, 3) -> phi: (N,).
    """

    def __init__(self, num_elements: int, cutoff: float, *, l_max: int, channels: int, num_layers: int,
                 num_basis: int, radial_hidden: int, avg_num_neighbors: float = 1.0) -> None:
        super().__init__()
        self.num_elements = num_elements
        self.irreps_sh = o3.Irreps.spherical_harmonics(l_max)
        self.basis = BesselBasis(cutoff, num_basis)
        hidden = hidden_irreps(channels, l_max)
        irreps = o3.Irreps(f"{channels}x0e")
        self.embedding = o3.Linear(o3.Irreps(f"{num_elements}x0e"), irreps)
        layers = []
        for _ in range(num_layers):
            layers.append(EquivariantConvolution(irreps, hidden, self.irreps_sh, num_elements, num_basis,
                                                 radial_hidden, avg_num_neighbors, radial_input_scale=cutoff))
            irreps = hidden
        self.layers = nn.ModuleList(layers)
        self.readout = nn.Sequential(o3.Linear(irreps, o3.Irreps(f"{channels}x0e")), nn.SiLU(),
                                     o3.Linear(o3.Irreps(f"{channels}x0e"), o3.Irreps("1x0e")))

    def forward(self, species: torch.Tensor, edge_index: torch.Tensor, vectors: torch.Tensor) -> torch.Tensor:
        """Per-atom outputs.

        Shapes:
            species: (N,); edge_index: (2, E); vectors: (E, 3) -> phi: (N,).
        """
        onehot = torch.nn.functional.one_hot(species, self.num_elements).to(vectors.dtype)
        sh = o3.spherical_harmonics(self.irreps_sh, vectors, normalize=True, normalization="component")
        r = vectors.norm(dim=-1)
        rbf = self.basis(r)
        envelope = polynomial_envelope(r, self.basis.cutoff, self.basis.envelope_exponent).unsqueeze(-1)
        h = self.embedding(onehot)
        for layer in self.layers:
            h = layer(h, onehot, edge_index, sh, rbf, envelope)
        return self.readout(h).squeeze(-1)
