"""Rotation-invariant message passing: SchNet-style continuous filters plus bond angles.

Every feature is a scalar. Distances enter through the Bessel basis; bond angles enter through
the angular power spectrum of each atom's neighbourhood,
    p_{i,c,l} = sum_m (sum_j a_{jc}(r_ij) Y_lm(r_ij_hat))^2
             = (2l+1)/(4 pi) sum_{j,k} a_{jc} a_{kc} P_l(cos theta_jik),
i.e. a learned sum over all bond-angle triplets (j, i, k) evaluated at the cost of a sum over
edges (the addition theorem) instead of an explicit triplet list, which for metals with ~70
neighbours per atom would be ~70x more expensive.
"""

from __future__ import annotations

import torch
from e3nn import o3
from torch import nn

from sciml.crystals.basis import BesselBasis, polynomial_envelope


def _mlp(sizes: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [nn.Linear(a, b), nn.SiLU()]
    return nn.Sequential(*layers[:-1])


class InvariantInteraction(nn.Module):
    """One message-passing step on scalar features h (N, F).

    Continuous-filter convolution m_i = sum_j W(r_ij) * (U h_j), plus (l_max > 0) the angular
    power spectrum p_{i,c,l} of the neighbourhood, both mixed into h by a residual MLP.

    Args:
        hidden: feature width F.
        num_basis: radial basis size K.
        l_max: highest angular degree of the power spectrum (0 = distances only).
        angular_channels: channels C of the power spectrum.
        avg_num_neighbors: normalises the neighbour sums.
    """

    def __init__(self, hidden: int, num_basis: int, l_max: int, angular_channels: int,
                 avg_num_neighbors: float) -> None:
        super().__init__()
        self.l_max = l_max
        self.avg_num_neighbors = float(avg_num_neighbors)
        self.filter = _mlp([num_basis, hidden, hidden])
        self.source = nn.Linear(hidden, hidden, bias=False)
        n_in = hidden
        if l_max > 0:
            self.angular_filter = _mlp([num_basis, hidden, angular_channels])
            self.angular_source = nn.Linear(hidden, angular_channels, bias=False)
            self.register_buffer("degree_of", torch.repeat_interleave(
                torch.arange(l_max + 1), torch.arange(l_max + 1) * 2 + 1))
            n_in += angular_channels * (l_max + 1)
        self.update = _mlp([n_in, hidden, hidden])

    def forward(self, h: torch.Tensor, edge_index: torch.Tensor, rbf: torch.Tensor, envelope: torch.Tensor,
                sh: torch.Tensor | None) -> torch.Tensor:
        """Update the atom features; the filters are multiplied by the envelope so that they (not just
        the basis) vanish at the cutoff.

        Shapes:
            h: (N, F); edge_index: (2, E) [j, i]; rbf: (E, K); envelope: (E, 1);
            sh: (E, (l_max+1)^2) or None -> (N, F).
        """
        j, i = edge_index
        messages = self.filter(rbf) * envelope * self.source(h)[j]
        m = torch.zeros_like(h).index_add(0, i, messages) / self.avg_num_neighbors
        parts = [m]
        if self.l_max > 0:
            a = self.angular_filter(rbf) * envelope * self.angular_source(h)[j]  # (E, C)
            density = torch.zeros(h.shape[0], a.shape[1], sh.shape[1], dtype=h.dtype, device=h.device)
            density = density.index_add(0, i, a.unsqueeze(-1) * sh.unsqueeze(1)) / self.avg_num_neighbors
            power = torch.zeros(h.shape[0], a.shape[1], self.l_max + 1, dtype=h.dtype, device=h.device)
            power = power.index_add(2, self.degree_of, density.pow(2))  # sum over m within each l
            parts.append(power.flatten(1))
        return h + self.update(torch.cat(parts, dim=1))


class InvariantNetwork(nn.Module):
    """SchNet/DimeNet-style invariant network giving per-atom energies phi_i.

    The architecture settings and their defaults are `sciml.crystals.settings.InvariantSettings`.

    Args:
        num_elements: number of species.
        cutoff: radial cutoff (A).
        hidden: feature width F.
        num_interactions: message-passing steps.
        num_basis: Bessel functions.
        l_max: highest angular degree of the bond-angle power spectrum (0 = distances only).
        angular_channels: channels C of the power spectrum.
        avg_num_neighbors: normalises neighbour sums.

    Shapes:
        species: (N,) int64; edge_index: (2, E) [j, i]; vectors: (E, 3) -> phi: (N,).
    """

    def __init__(self, num_elements: int, cutoff: float, *, hidden: int, num_interactions: int, num_basis: int,
                 l_max: int, angular_channels: int, avg_num_neighbors: float = 1.0) -> None:
        super().__init__()
        self.l_max = l_max
        self.embedding = nn.Embedding(num_elements, hidden)
        self.basis = BesselBasis(cutoff, num_basis)
        self.interactions = nn.ModuleList(
            InvariantInteraction(hidden, num_basis, l_max, angular_channels, avg_num_neighbors)
            for _ in range(num_interactions)
        )
        self.readout = _mlp([hidden, hidden // 2, 1])

    def forward(self, species: torch.Tensor, edge_index: torch.Tensor, vectors: torch.Tensor) -> torch.Tensor:
        """Per-atom outputs.

        Shapes:
            species: (N,); edge_index: (2, E); vectors: (E, 3) -> phi: (N,).
        """
        r = vectors.norm(dim=-1)
        rbf = self.basis(r)
        envelope = polynomial_envelope(r, self.basis.cutoff, self.basis.envelope_exponent).unsqueeze(-1)
        sh = None
        if self.l_max > 0:
            sh = o3.spherical_harmonics(list(range(self.l_max + 1)), vectors, normalize=True,
                                        normalization="component")
        h = self.embedding(species)
        for interaction in self.interactions:
            h = interaction(h, edge_index, rbf, envelope, sh)
        return self.readout(h).squeeze(-1)
