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
    distances_only = InvariantNetwork(1, 2.5, hidden=8, num_interactions=1, num_basis=8, l_max=0, angular_channels=16).double()
    with_angles = InvariantNetwork(1, 2.5, hidden=8, num_interactions=1, num_basis=8, l_max=2, angular_channels=4).double()
    bent, linear = trimer(100.0), trimer(180.0)
    assert abs(centre_output(distances_only, bent) - centre_output(distances_only, linear)) < 1e-12
    assert abs(centre_output(with_angles, bent) - centre_output(with_angles, linear)) > 1e-6


def test_stillinger_weber_energy_is_pair_terms_plus_a_power_spectrum_combination():
    """Why the invariant model is a complete 3-body descriptor for SW silicon (docs, Session 9):
    E_SW = pair terms + (lambda eps / 2) sum_i [sum_l c_l/(2l+1) p_il - (1 + c0)^2 sum_j g_ij^2], with the
    power spectrum p_il = sum_m (sum_j g_ij Y_lm(r_ij))^2 ('component' harmonics) of ONE radial channel
    g_ij = exp(gamma sigma / (r_ij - a sigma)) and c = (1/3 + c0^2, 2 c0, 2/3) for l = 0, 1, 2."""
    import numpy as np
    from ase.neighborlist import neighbor_list
    from e3nn import o3
    from matscipy.calculators.manybody.explicit_forms.stillinger_weber import (
        Stillinger_Weber_PRB_31_5262_Si as P,
    )

    from sciml.crystals.synthetic import random_silicon, stillinger_weber_calculator

    eps, sig, A, B, p, a, lam, gam, c0 = (P[k] for k in ("epsilon", "sigma", "A", "B", "p", "a", "lambda1",
                                                        "gamma", "costheta0"))
    rng = np.random.default_rng(0)
    for _ in range(4):
        atoms = random_silicon(rng, max_atoms=16)
        atoms.calc = stillinger_weber_calculator()
        i, D = neighbor_list("iD", atoms, a * sig)
        r = np.linalg.norm(D, axis=1)
        pair = 0.5 * np.sum(A * eps * (B * (sig / r) ** p - 1) * np.exp(sig / (r - a * sig)))
        g = np.exp(gam * sig / (r - a * sig))
        sh = o3.spherical_harmonics([0, 1, 2], torch.tensor(D), normalize=True, normalization="component").numpy()
        density = np.zeros((len(atoms), 9))
        np.add.at(density, i, g[:, None] * sh)
        power = [(density[:, s] ** 2).sum(1) for s in (slice(0, 1), slice(1, 4), slice(4, 9))]
        coefficients = (1 / 3 + c0 ** 2, 2 * c0, 2 / 3)
        triplets = sum(c / (2 * degree + 1) * power[degree] for degree, c in enumerate(coefficients)).sum()
        three_body = 0.5 * lam * eps * (triplets - (1 + c0) ** 2 * np.sum(g ** 2))
        assert abs(pair + three_body - atoms.get_potential_energy()) < 1e-10 * len(atoms)
